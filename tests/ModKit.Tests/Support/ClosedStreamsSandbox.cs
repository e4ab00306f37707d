using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ModKit.Tests.Support;

/// <summary>
/// Runs a program as the kernel's <c>request_module</c> starts <c>/sbin/modprobe</c>: standard input, output and error
/// all closed, in the host's default paths. Each run is a private mount namespace (<c>unshare --mount</c>, as root)
/// where an overlay over <c>/dev</c> gets a <c>/dev/log</c> bound to a datagram socket of the test's (the host has no
/// syslog daemon, and its <c>/dev</c> is never touched), a tmpfs over <c>/lib/modules</c> holds the given module
/// directory (read-only) under <c>$(uname -r)</c>, and a tmpfs over <c>/etc/modprobe.d</c> holds the given
/// configuration. The program runs under <c>strace -y</c>, which names the file behind every descriptor written to.
/// </summary>
internal static partial class ClosedStreamsSandbox
{
    // $1: the work folder (the socket "log" is there; the trace goes there), $2: the module directory,
    // $3: modprobe.d configuration ("" for none); the rest: the command.
    private const string Script = """
        set -e
        work=$1 tree=$2 conf=$3
        shift 3
        mkdir "$work/dev-upper" "$work/dev-work"
        mount -t overlay modkit-dev -o "lowerdir=/dev,upperdir=$work/dev-upper,workdir=$work/dev-work" /dev
        : > /dev/log
        mount --bind "$work/log" /dev/log
        mount -t tmpfs -o mode=0755 modkit-modules /lib/modules
        dir=/lib/modules/$(uname -r)
        mkdir "$dir"
        mount --bind "$tree" "$dir"
        mount -o remount,bind,ro "$dir"
        mount -t tmpfs -o mode=0755 modkit-conf /etc/modprobe.d
        if [ -n "$conf" ]; then printf '%s\n' "$conf" > /etc/modprobe.d/test.conf; fi
        strace=$(command -v strace)
        exec 0<&- 1>&- 2>&-
        exec "$strace" -f -y -qq -o "$work/trace" -e trace=execve,write,writev,pwrite64,pwritev,sendto,sendmsg -- "$@"
        """;

    /// <summary>One syslog datagram: its priority and what follows glibc's time stamp (<c>modprobe: …</c>).</summary>
    public sealed record SyslogMessage(int Priority, string Text);

    /// <summary>A write-family system call on descriptor 0, 1 or 2: the file behind it (null: none, EBADF) and its result.</summary>
    public sealed record StandardWrite(string Call, int Descriptor, string? Target, long Result);

    /// <summary>What a run did: its exit status, what reached syslog, and every write to descriptors 0–2.</summary>
    public sealed record Outcome(int ExitCode, IReadOnlyList<SyslogMessage> Syslog, IReadOnlyList<StandardWrite> StandardWrites, string Trace);

    /// <summary>
    /// Runs <paramref name="command"/> (a program and its arguments; <c>bash -c 'exec -a …'</c> to set argv[0]) with
    /// <paramref name="moduleDirectory"/> as <c>/lib/modules/$(uname -r)</c>.
    /// </summary>
    public static Outcome Run(string moduleDirectory, string configuration, IReadOnlyList<string> command, IDictionary<string, string>? environment = null)
    {
        using var work = new TempDirectory();
        string socketPath = Path.Combine(work.Path, "log");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));

        string unshare = ProcessRunner.Require("unshare");
        ProcessRunner.Require("strace");
        var result = ProcessRunner.Run(unshare, ["--mount", "--propagation", "private", "/bin/bash", "-c", Script, "bash", work.Path, moduleDirectory, configuration, .. command],
            environment: environment, timeout: TimeSpan.FromMinutes(1));
        Assert.False(result.TimedOut, "the sandboxed run timed out");

        // Every datagram was queued before the program exited.
        var messages = new List<SyslogMessage>();
        var buffer = new byte[65536];
        while (socket.Available > 0)
        {
            int length = socket.Receive(buffer);
            string datagram = System.Text.Encoding.UTF8.GetString(buffer, 0, length);
            var match = Datagram().Match(datagram);
            Assert.True(match.Success, "not a syslog datagram: " + datagram);
            messages.Add(new SyslogMessage(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value));
        }

        string trace = File.Exists(Path.Combine(work.Path, "trace")) ? File.ReadAllText(Path.Combine(work.Path, "trace")) : "";
        var writes = new List<StandardWrite>();
        foreach (Match call in TracedWrite().Matches(trace))
        {
            string? target = call.Groups[3].Success ? call.Groups[3].Value : null;
            writes.Add(new StandardWrite(call.Groups[1].Value, int.Parse(call.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), target,
                long.Parse(call.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }

        // The script's own failures (a mount) come before the streams are closed; the trace starts with the execve.
        Assert.True(trace.Contains("execve(", StringComparison.Ordinal), "the sandbox did not start the program: " + result.StderrText);
        return new Outcome(result.ExitCode, messages, writes, trace);
    }

    // "<PRI>Mmm dd hh:mm:ss TEXT": glibc's syslog(3) datagram.
    [GeneratedRegex(@"\A<(\d+)>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (.*)\z", RegexOptions.Singleline)]
    private static partial Regex Datagram();

    // "PID write(1</path>, ...) = N": strace -y names the file behind a descriptor; a closed one has no name.
    [GeneratedRegex(@"^\d+\s+(write|writev|pwrite64|pwritev|sendto|sendmsg)\(([012])(?:<([^>]*)>)?, .*\) = (-?\d+)", RegexOptions.Multiline)]
    private static partial Regex TracedWrite();
}

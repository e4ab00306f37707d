using System.Runtime.InteropServices;
using System.Text;
using ModKit.Interop;

namespace ModKit.Probe;

/// <summary>
/// Runs a modprobe.d install or remove command the way <c>system(3)</c> does — <c>/bin/sh -c COMMAND</c>
/// sharing this process's standard streams — but with an environment given explicitly.
/// </summary>
public static class ShellCommand
{
    /// <summary>Runs <paramref name="command"/> and waits for it.</summary>
    /// <param name="command">The shell command.</param>
    /// <param name="environment">The child's whole environment.</param>
    /// <returns>The wait status (exit code in bits 8-15, as <c>system</c> returns it), or -1 when the shell could not be started.</returns>
    public static unsafe int Run(string command, IEnumerable<KeyValuePair<string, string>> environment)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(environment);
        var strings = new List<nint>();
        try
        {
            byte** argv = stackalloc byte*[4];
            argv[0] = Native("sh", strings);
            argv[1] = Native("-c", strings);
            argv[2] = Native(command, strings);
            argv[3] = null;

            var variables = environment.ToList();
            var envp = new nint[variables.Count + 1];
            for (int i = 0; i < variables.Count; i++)
            {
                envp[i] = (nint)Native(variables[i].Key + "=" + variables[i].Value, strings);
            }

            byte* shell = Native("/bin/sh", strings);
            fixed (nint* envpointers = envp)
            {
                if (Libc.PosixSpawn(out int pid, shell, null, null, argv, (byte**)envpointers) != 0)
                {
                    return -1;
                }

                while (true)
                {
                    if (Libc.WaitPid(pid, out int status, 0) == pid)
                    {
                        return status;
                    }

                    if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                    {
                        return -1;
                    }
                }
            }
        }
        finally
        {
            foreach (nint pointer in strings)
            {
                NativeMemory.Free((void*)pointer);
            }
        }
    }

    /// <summary>The exit code in a wait status (<c>WEXITSTATUS</c>): what a shell command returned.</summary>
    /// <param name="waitStatus">A status from <see cref="Run"/>.</param>
    /// <returns>The exit code, 0 to 255.</returns>
    public static int ExitCode(int waitStatus) => (waitStatus >> 8) & 0xff;

    /// <summary>This process's environment with some variables set or replaced.</summary>
    /// <param name="overrides">Name and value pairs.</param>
    /// <returns>The environment.</returns>
    public static Dictionary<string, string> CurrentEnvironment(params (string Name, string Value)[] overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        foreach (var (name, value) in overrides)
        {
            result[name] = value;
        }

        return result;
    }

    private static unsafe byte* Native(string text, List<nint> owned)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        byte* buffer = (byte*)NativeMemory.Alloc((nuint)length + 1);
        owned.Add((nint)buffer);
        Encoding.UTF8.GetBytes(text, new Span<byte>(buffer, length));
        buffer[length] = 0;
        return buffer;
    }
}

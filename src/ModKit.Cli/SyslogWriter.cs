using System.Net.Sockets;
using System.Text;

namespace ModKit.Cli;

/// <summary>
/// What glibc's <c>openlog(prog, LOG_CONS, LOG_DAEMON)</c> + <c>syslog</c> send: one datagram per message to
/// <c>/dev/log</c>, <c>&lt;PRI&gt;Mmm dd hh:mm:ss prog: message</c>. Used by Program only; tools get a delegate.
/// </summary>
internal static class SyslogWriter
{
    private const int LogDaemon = 3 << 3;

    public static Action<int, string> For(string program) => (priority, message) => Send(program, priority, message);

    private static void Send(string program, int priority, string message)
    {
        var now = DateTime.Now;
        string stamp = now.ToString("MMM", System.Globalization.CultureInfo.InvariantCulture) + $" {now.Day,2} {now:HH:mm:ss}";
        byte[] datagram = Encoding.UTF8.GetBytes($"<{LogDaemon | priority}>{stamp} {program}: {message.TrimEnd('\n')}");
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint("/dev/log"));
            socket.Send(datagram);
        }
        catch (SocketException)
        {
            // glibc's syslog drops the message when no logger listens (LOG_CONS would write to /dev/console).
        }
    }
}

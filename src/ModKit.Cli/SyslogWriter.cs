using System.Text;

namespace ModKit.Cli;

/// <summary>
/// What glibc's <c>openlog(prog, LOG_CONS, LOG_DAEMON)</c> + <c>syslog</c> do, as kmod's tools use them: one datagram per
/// message to <c>/dev/log</c>, <c>&lt;PRI&gt;Mmm dd hh:mm:ss prog: message</c> (the message with kmod's newline, as glibc
/// sends it); when no logger listens there, LOG_CONS writes <c>prog: message\r\n</c> to <c>/dev/console</c> instead
/// (kmod 30 and 34.2 both do, seen with strace).
/// Used by Program only; tools get a delegate.
/// </summary>
internal static unsafe class SyslogWriter
{
    private const int LogDaemon = 3 << 3;
    private const int AF_UNIX = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000;
    private const int MSG_NOSIGNAL = 0x4000;

    public static Action<int, string> For(string program) => (priority, message) => Send(program, priority, message);

    private static void Send(string program, int priority, string message)
    {
        var now = DateTime.Now;
        string stamp = now.ToString("MMM", System.Globalization.CultureInfo.InvariantCulture) + $" {now.Day,2} {now:HH:mm:ss}";
        string text = $"{program}: {message}";
        byte[] datagram = Encoding.UTF8.GetBytes($"<{LogDaemon | priority}>{stamp} {text}");
        if (!SendToLog(datagram))
        {
            WriteToConsole(Encoding.UTF8.GetBytes(text + "\r\n"));
        }
    }

    private static bool SendToLog(byte[] datagram)
    {
        int socket = SystemCalls.Socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (socket < 0)
        {
            return false;
        }

        try
        {
            // struct sockaddr_un: sa_family, then the path, NUL-terminated.
            byte* address = stackalloc byte[2 + 9 + 1];
            address[0] = AF_UNIX;
            address[1] = 0;
            "/dev/log"u8.CopyTo(new Span<byte>(address + 2, 9));
            address[10] = 0;
            if (SystemCalls.Connect(socket, address, 2 + 9) < 0)
            {
                return false;
            }

            fixed (byte* data = datagram)
            {
                return SystemCalls.Send(socket, data, (nuint)datagram.Length, MSG_NOSIGNAL) >= 0;
            }
        }
        finally
        {
            SystemCalls.Close(socket);
        }
    }

    private static void WriteToConsole(byte[] line)
    {
        fixed (byte* path = "/dev/console\0"u8)
        {
            int console = SystemCalls.Open(path, SystemCalls.O_WRONLY | SystemCalls.O_NOCTTY | SystemCalls.O_CLOEXEC);
            if (console < 0)
            {
                return; // like glibc: the message is lost
            }

            fixed (byte* data = line)
            {
                _ = SystemCalls.Write(console, data, (nuint)line.Length);
            }

            SystemCalls.Close(console);
        }
    }
}

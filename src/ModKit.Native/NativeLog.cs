using System.Runtime.InteropServices;

namespace ModKit.Native;

/// <summary>Calls the log function a program gave <c>kmod_set_log_fn</c> through the C shim (logshim.c).</summary>
internal static unsafe partial class NativeLog
{
    // No source file or line to give: the message comes from ModKit's library, not from a C file.
    private static ReadOnlySpan<byte> File => "libkmod\0"u8;

    /// <summary>Sends one message (without its newline) to the context's log function.</summary>
    public static void Write(KmodContext context, int priority, string function, string message)
    {
        if (context.LogPriority < priority)
        {
            return;
        }

        // kmod's default writes "libkmod: [PRIORITY: ]FUNCTION: MESSAGE" (the shim adds "libkmod: ").
        if (context.LogFunction == 0 && context.Modules.Profile.LibkmodLogNamesPriority)
        {
            function = PriorityName(priority) + ": " + function;
        }

        byte* fn = NativeString.Copy(function);
        byte* text = NativeString.Copy(message + "\n");
        try
        {
            fixed (byte* file = File)
            {
                ModkitLog(context.LogFunction, context.LogData, priority, file, 0, fn, text);
            }
        }
        finally
        {
            NativeString.Free(ref fn);
            NativeString.Free(ref text);
        }
    }

    private static string PriorityName(int priority) => priority switch
    {
        0 => "EMERGENCY",
        1 => "ALERT",
        2 => "CRITICAL",
        3 => "ERROR",
        4 => "WARNING",
        5 => "NOTICE",
        6 => "INFO",
        7 => "DEBUG",
        _ => "L:" + priority.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // log == NULL: kmod's default, "libkmod: FUNCTION: MESSAGE" on stderr.
    [LibraryImport("modkit_shim", EntryPoint = "modkit_log")]
    private static partial void ModkitLog(nint log, nint data, int priority, byte* file, int line, byte* function, byte* message);
}

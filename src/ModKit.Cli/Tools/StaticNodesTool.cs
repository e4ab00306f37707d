using ModKit.Cli.GetOpt;
using ModKit.Devices;
using ModKit.IO;

namespace ModKit.Cli.Tools;

/// <summary>
/// <c>kmod static-nodes</c> (<c>tools/static-nodes.c</c>): the device nodes the running kernel's modules provide
/// before they are loaded (its <c>modules.devname</c>), written for people, for systemd-tmpfiles (systemd's
/// kmod-static-nodes.service runs <c>kmod static-nodes --format=tmpfiles --output=/run/tmpfiles.d/static-nodes.conf</c>)
/// or as the file's own lines. Malformed lines are reported and skipped; the exit status then is 1.
/// </summary>
internal static class StaticNodesTool
{
    private const int FolderMode = 0x1ED; // 0755

    public static int Run(ToolContext context, CommandLine line)
    {
        var errors = new StderrWriter(context.Stderr);
        var format = StaticNodeFormat.Human;
        string? output = context.Profile.StaticNodesDefaultOutput;

        var parser = new GetOptParser(line.Argv0, line.Options, StaticNodesOptions.Table, errors, posixlyCorrect: line.StopAtOperand);
        while (parser.TryNext(out var option))
        {
            if (option.IsError)
            {
                return 1;
            }

            switch (option.Code)
            {
                case 'o':
                    output = option.Argument!;
                    break;
                case 'f':
                    if (StaticNodeWriter.FromName(option.Argument!) is not { } chosen)
                    {
                        Complain(context, $"Unknown format: '{option.Argument}'.\n");
                        WriteHelp(context, line.Program);
                        return 1;
                    }

                    format = chosen;
                    break;
                case 'h':
                    WriteHelp(context, line.Program);
                    return 0;
            }
        }

        // Operands are ignored. Without the file there is nothing to do, and no output file is made.
        string devname = $"/lib/modules/{context.KernelRelease()}/{DevnameFile.FileName}";
        int error = DevnameFile.Open(context.UnderRoot(devname), out var input);
        if (error == Errno.ENOENT)
        {
            Complain(context, $"Warning: {devname} not found - ignoring\n");
            return 0;
        }

        if (error != 0)
        {
            Complain(context, $"Error: could not open {devname} - {Errno.Describe(error)}\n");
            return 1;
        }

        using (input)
        {
            return Write(context, input!, output, format);
        }
    }

    // The output is opened with the input still open, as kmod does: the descriptors they get matter when
    // standard output is closed (see DevnameFile).
    private static int Write(ToolContext context, DevnameFile input, string? output, StaticNodeFormat format)
    {
        OutputFile? file = null;
        if (output is not null && input.HoldsStandardOutput && NamesStandardOutput(output))
        {
            // A deliberate difference (README): with standard output closed, kmod opens modules.devname
            // itself as its output (kmod 30 by default, either release with -o /dev/stdout) and empties it,
            // a system's file when run as root. ModKit leaves the file alone and, like kmod, prints nothing.
            return 0;
        }

        if (output is not null)
        {
            // Relative to the working directory; the empty name stays empty (and names no file).
            string path = output.Length == 0 ? output : context.MakeAbsolute(output);
            if (!ParentDirectories.TryCreate(path, FolderMode, out int folderError))
            {
                Complain(context, $"Error: could not create parent directory for {output} - {Errno.Describe(folderError)}.\n");
                return 1;
            }

            int error = OutputFile.Create(path, out file);
            if (error != 0)
            {
                Complain(context, $"Error: could not create {output} - {Errno.Describe(error)}\n");
                return 1;
            }
        }

        using (file)
        {
            // Write errors (a full disk, a closed standard output) go unreported, as kmod ignores fprintf's result.
            Action<ReadOnlyMemory<byte>> sink = file is not null
                ? bytes => file.Write(bytes.Span)
                : bytes => StderrWriter.WriteOrDrop(context.Stdout, bytes.Span);
            bool terminal = file?.IsTerminal ?? context.Stdout is StandardStream { IsTerminal: true };
            using var buffered = new FullyBufferedOutput(sink, lineBuffered: terminal);
            int status = 0;
            foreach (var entry in input.ReadLines())
            {
                if (entry.Node is null)
                {
                    // The line as read: with its newline, if it had one before a NUL or the buffer's end.
                    Complain(context, [.. "Error: invalid devname entry: "u8, .. entry.Text]);
                    status = 1;
                    continue;
                }

                StaticNodeWriter.Write(buffered.Writer, entry.Node, format);
                buffered.Commit();
            }

            return status;
        }
    }

    // The names by which a process opens its own descriptor 1.
    private static bool NamesStandardOutput(string output) => output is "/dev/stdout" or "/dev/fd/1" or "/proc/self/fd/1";

    // A message on standard error, which may be closed: C's stderr then drops it.
    private static void Complain(ToolContext context, string message) => Complain(context, System.Text.Encoding.UTF8.GetBytes(message));

    private static void Complain(ToolContext context, ReadOnlySpan<byte> message) => StderrWriter.WriteOrDrop(context.Stderr, message);

    private static void WriteHelp(ToolContext context, string program)
    {
        using var output = new ToolOutput(context.Stdout);
        output.Write(StaticNodesOptions.Help(program));
    }
}

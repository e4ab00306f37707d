using System.Text;
using ModKit.Modules;

namespace ModKit.Config;

/// <summary>
/// Module options and blacklists on the kernel command line (<c>libkmod-config.c: kmod_config_parse_kcmdline</c>).
/// </summary>
internal static class KernelCommandLineParser
{
    /// <summary>kmod reads at most <c>KCMD_LINE_SIZE - 1</c> bytes of /proc/cmdline.</summary>
    public const int MaxLength = 4095;

    private enum State
    {
        Ignore,
        ModuleName,
        Parameter,
        Value,
        Complete,
    }

    public static void Parse(ReadOnlySpan<byte> commandLine, ModprobeConfig config, Action<ConfigDiagnostic>? sink)
    {
        if (commandLine.Length > MaxLength)
        {
            commandLine = commandLine[..MaxLength];
        }

        int nul = commandLine.IndexOf((byte)0);
        if (nul >= 0)
        {
            commandLine = commandLine[..nul];
        }

        // The same state machine as kmod, over a NUL-terminated copy it may rewrite in place.
        byte[] buf = new byte[commandLine.Length + 1];
        commandLine.CopyTo(buf);

        var state = State.ModuleName;
        int quoteStart = -1;
        int modname = 0;
        int param = -1;
        int value = -1;
        bool quoted = false;
        bool more = true;
        for (int p = 0; more; p++)
        {
            switch (buf[p])
            {
                case (byte)'"':
                    quoted = !quoted;

                    // A quote may open a token (GRUB quotes "mod.param=v a l" whole); anywhere else but in
                    // the value it spoils the token.
                    if (quoted && state == State.ModuleName && p == modname)
                    {
                        quoteStart = p;
                        modname = p + 1;
                    }
                    else if (state != State.Value)
                    {
                        state = State.Ignore;
                    }

                    break;
                case 0:
                case (byte)' ':
                case (byte)'\n':
                case (byte)'\t':
                case (byte)'\v':
                case (byte)'\f':
                case (byte)'\r':
                    if (buf[p] == 0)
                    {
                        more = false;
                    }

                    if (quoted && state == State.Value)
                    {
                        // Spaces are allowed inside a quoted value.
                    }
                    else if (quoted)
                    {
                        state = State.Ignore;
                    }
                    else if (state is State.Value or State.Parameter)
                    {
                        buf[p] = 0;
                        state = State.Complete;
                    }
                    else
                    {
                        modname = p + 1;
                        state = State.ModuleName;
                        quoteStart = -1;
                    }

                    break;
                case (byte)'.':
                    if (state == State.ModuleName)
                    {
                        buf[p] = 0;
                        param = p + 1;
                        state = State.Parameter;
                    }
                    else if (state == State.Parameter)
                    {
                        state = State.Ignore;
                    }

                    break;
                case (byte)'=':
                    if (state == State.Parameter)
                    {
                        value = p + 1;
                        state = State.Value;
                    }
                    else if (state == State.ModuleName)
                    {
                        state = State.Ignore;
                    }

                    break;
            }

            if (state == State.Complete)
            {
                if (quoteStart >= 0 && quoteStart < modname)
                {
                    // Undo GRUB's quoting: "mod.param=v a l" becomes mod.param="v a l".
                    Array.Copy(buf, modname, buf, quoteStart, value - modname);
                    value--;
                    modname--;
                    param--;
                    buf[value] = (byte)'"';
                }

                AddResult(buf, modname, param, value, config, sink);
                modname = p + 1;
                state = State.ModuleName;
                quoteStart = -1;
            }
        }
    }

    private static void AddResult(byte[] buf, int modnameStart, int paramStart, int valueStart, ModprobeConfig config, Action<ConfigDiagnostic>? sink)
    {
        string modname = CString(buf, modnameStart);
        string param = CString(buf, paramStart);
        if (modname == "modprobe" && param.StartsWith("blacklist=", StringComparison.Ordinal))
        {
            // The names are taken as written, not normalised.
            foreach (string name in CString(buf, valueStart).Split(','))
            {
                config.BlacklistList.Add(name);
            }
        }
        else if (ModuleName.TryNormalizeAlias(modname, out string normalized))
        {
            config.OptionList.Add(new ModuleOptions(normalized, param));
        }
        else
        {
            config.Report(
                "kcmdline_parse_result",
                $"Ignoring bad option on kernel command line while parsing module name: '{modname}'",
                sink);
        }
    }

    private static string CString(byte[] buf, int start)
    {
        int end = Array.IndexOf(buf, (byte)0, start);
        return Encoding.UTF8.GetString(buf, start, end - start);
    }
}

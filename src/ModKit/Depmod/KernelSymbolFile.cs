using System.Globalization;
using System.Text;

namespace ModKit.Depmod;

/// <summary>Reads the kernel image's exported symbols for depmod's <c>-E</c> and <c>-F</c> (kmod <c>depmod_load_symvers</c>, <c>depmod_load_system_map</c>).</summary>
public static class KernelSymbolFile
{
    /// <summary>
    /// Reads a Module.symvers: lines <c>crc&lt;TAB&gt;symbol&lt;TAB&gt;vmlinux&lt;TAB&gt;...</c>; only symbols of <c>vmlinux</c> count.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="log">Receives kmod's message for an invalid CRC.</param>
    /// <returns>The symbols with their CRCs, in file order.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static List<KeyValuePair<string, ulong>> ReadSymvers(string path, Action<DepmodLogLevel, string>? log = null)
    {
        var symbols = new List<KeyValuePair<string, ulong>>();
        int number = 0;
        foreach (string line in Lines(path))
        {
            number++;

            // kmod splits with strtok on blanks only, so the newline stays part of the last word.
            var words = line.Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 3)
                continue;
            if (words[2] != "vmlinux")
                continue;

            string crcText = words[0].StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? words[0][2..] : words[0];
            if (!ulong.TryParse(crcText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong crc))
            {
                // kmod prints %m here, i.e. whatever errno an earlier call left: in practice ENOENT from
                // looking for the configuration directories that do not exist.
                log?.Invoke(DepmodLogLevel.Error, $"{path}:{number} Invalid symbol version {words[0]}: No such file or directory");
                continue;
            }

            symbols.Add(new(words[1], crc));
        }

        return symbols;
    }

    /// <summary>Reads a System.map: every <c>__ksymtab_&lt;symbol&gt;</c> entry names an exported symbol.</summary>
    /// <param name="path">The file.</param>
    /// <param name="symbolPrefix">The architecture's symbol prefix to skip, or NUL.</param>
    /// <param name="log">Receives kmod's message for a line without address and type.</param>
    /// <returns>The symbols (CRC 0), in file order.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static List<KeyValuePair<string, ulong>> ReadSystemMap(string path, char symbolPrefix = '\0', Action<DepmodLogLevel, string>? log = null)
    {
        const string KsymtabPrefix = "__ksymtab_";
        var symbols = new List<KeyValuePair<string, ulong>>();
        int number = 0;
        foreach (string line in Lines(path))
        {
            number++;
            int first = line.IndexOf(' ');
            int second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
            if (second < 0)
            {
                log?.Invoke(DepmodLogLevel.Error, $"{path}:{number}: invalid line: {line}");
                continue;
            }

            var name = line.AsSpan(second + 1);
            if (symbolPrefix != '\0' && name.Length > 0 && name[0] == symbolPrefix)
                name = name[1..];
            if (!name.StartsWith(KsymtabPrefix, StringComparison.Ordinal))
                continue;
            int newline = name.IndexOf('\n');
            if (newline >= 0)
                name = name[..newline];
            symbols.Add(new(name[KsymtabPrefix.Length..].ToString(), 0));
        }

        return symbols;
    }

    /// <summary>Lines as <c>fgets</c> returns them: with their newline.</summary>
    private static IEnumerable<string> Lines(string path)
    {
        string text = File.ReadAllText(path, Encoding.UTF8);
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            yield return text[start..end];
            start = end;
        }
    }
}

using System.Globalization;
using System.Text;
using ModKit.Index;
using ModKit.Modules;

namespace ModKit.Depmod;

public sealed partial class DepmodResult
{
    /// <summary>The builtin-module list depmod reads from the module directory.</summary>
    public const string BuiltinFileName = "modules.builtin";

    /// <summary>
    /// Produces depmod's files in kmod's order (kmod <c>depmod_output</c>): modules.dep, modules.dep.bin,
    /// modules.alias, modules.alias.bin, modules.softdep, modules.weakdep (kmod ≥ 33), modules.symbols,
    /// modules.symbols.bin, modules.builtin.bin, modules.builtin.alias.bin, modules.devname.
    /// </summary>
    /// <param name="profile">The kmod release whose files to write: whether modules.weakdep is one of them
    /// (<see cref="KmodProfile.WritesWeakDependencies"/>) and how the indexes' nodes are placed (<see cref="KmodProfile.IndexLayout"/>).</param>
    /// <param name="includeIndexes">Whether to produce the binary indexes (<c>depmod -n</c> does not).</param>
    /// <returns>The files, produced lazily one at a time.</returns>
    /// <exception cref="InvalidOperationException">The modules have dependency cycles (<see cref="ModulesInCycles"/>).</exception>
    /// <exception cref="IndexCharacterException">A key or value of an index is not 7-bit ASCII (raised during enumeration).</exception>
    public IEnumerable<DepmodOutput> GetOutputs(KmodProfile profile, bool includeIndexes = true) =>
        GetOutputs(profile, includeIndexes, concurrently: false);

    /// <summary>
    /// Produces depmod's files as <see cref="GetOutputs(KmodProfile, bool)"/> does, and in the same order, with the
    /// same messages before each file; with <paramref name="concurrently"/>, the files are made at the same time on
    /// the thread pool (the indexes are most of the work) while the caller writes the ones already made.
    /// </summary>
    /// <param name="profile">The kmod release whose files to write.</param>
    /// <param name="includeIndexes">Whether to produce the binary indexes.</param>
    /// <param name="concurrently">Whether to make the files concurrently (each file's messages are held back until it is its turn).</param>
    /// <returns>The files, in kmod's order.</returns>
    /// <exception cref="InvalidOperationException">The modules have dependency cycles (<see cref="ModulesInCycles"/>).</exception>
    /// <exception cref="IndexCharacterException">A key or value of an index is not 7-bit ASCII (raised during enumeration).</exception>
    public IEnumerable<DepmodOutput> GetOutputs(KmodProfile profile, bool includeIndexes, bool concurrently)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (ModulesInCycles.Count > 0)
            throw new InvalidOperationException("The modules have dependency cycles; depmod writes nothing.");

        var producers = Producers(profile, includeIndexes);
        return concurrently ? Concurrently(producers) : Sequentially(producers);
    }

    private IEnumerable<DepmodOutput> Sequentially(List<Producer> producers)
    {
        foreach (var producer in producers)
            yield return producer.Make(Log);
    }

    private IEnumerable<DepmodOutput> Concurrently(List<Producer> producers)
    {
        // The pool runs the files in the order they are queued: the longest first, and what shares a part (the dependency
        // lines, the exported symbols) after the file that makes it, so that no thread waits for another.
        var made = new Task<(DepmodOutput Output, List<(DepmodLogLevel Level, string Text)> Messages)>[producers.Count];
        foreach (int i in Enumerable.Range(0, producers.Count).OrderBy(i => producers[i].StartRank))
        {
            var make = producers[i].Make;
            made[i] = Task.Run(() =>
            {
                var messages = new List<(DepmodLogLevel Level, string Text)>();
                var output = make((level, text) => messages.Add((level, text)));
                return (output, messages);
            });
        }

        foreach (var task in made)
        {
            var (output, messages) = task.GetAwaiter().GetResult();
            foreach (var (level, text) in messages)
                Log(level, text);
            yield return output;
        }
    }

    // kmod's depmod_output order: modules.dep, modules.dep.bin, modules.alias, modules.alias.bin, modules.softdep,
    // modules.weakdep (kmod >= 33), modules.symbols, modules.symbols.bin, modules.builtin.bin,
    // modules.builtin.alias.bin, modules.devname. What two files share is computed once, by whichever needs it first.
    private List<Producer> Producers(KmodProfile profile, bool includeIndexes)
    {
        var layout = profile.IndexLayout;
        var dependencyLines = new Lazy<string[]>(DependencyLines);
        var ownedSymbols = new Lazy<List<DepmodSymbol>>(() =>
        {
            var owned = _symbols.Values.Where(s => s.Owner is not null).ToList();
            KmodHashOrder.Sort(owned, s => s.Name, KmodHashOrder.SymbolBuckets);
            return owned;
        });

        // Start ranks: modules.alias.bin is the longest; the dependency lines and the exported symbols come next, then
        // the files made from them (modules.symbols.bin, the longer, first), then the small ones. On two threads one
        // makes modules.alias.bin then modules.dep.bin and the small files while the other makes the rest.
        var producers = new List<Producer>
        {
            new(_ => DependencyText(dependencyLines.Value), 1),
        };
        if (includeIndexes)
            producers.Add(new(log => Index("modules.dep.bin", DependencyIndex(dependencyLines.Value, profile, log), layout), 4));
        producers.Add(new(_ => AliasText(), 4));
        if (includeIndexes)
            producers.Add(new(log => Index("modules.alias.bin", AliasIndex(profile, log), layout), 0));
        producers.Add(new(_ => InfoText("modules.softdep", "# Soft dependencies extracted from modules themselves.\n"u8, "softdep"u8), 5));
        if (profile.WritesWeakDependencies)
            producers.Add(new(_ => InfoText("modules.weakdep", "# Weak dependencies extracted from modules themselves.\n"u8, "weakdep"u8), 5));
        producers.Add(new(_ => SymbolText(ownedSymbols.Value), 2));
        if (includeIndexes)
        {
            producers.Add(new(log => Index("modules.symbols.bin", SymbolIndex(ownedSymbols.Value, profile, log), layout), 3));
            producers.Add(new(log => BuiltinIndex(profile, log), 5));
            producers.Add(new(log => BuiltinAliasIndex(profile, log), 5));
        }

        producers.Add(new(DeviceNames, 5));
        return producers;
    }

    /// <summary>How one file is made, and when it is started among the others when they are made concurrently (lowest first).</summary>
    private readonly record struct Producer(Func<Action<DepmodLogLevel, string>, DepmodOutput> Make, int StartRank);

    /// <summary>Each module's modules.dep line, without the newline, in module order.</summary>
    private string[] DependencyLines()
    {
        var lines = new string[Modules.Count];
        var walk = new DependencyWalk(Modules.Count);
        var line = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            var module = Modules[i];
            line.Clear().Append(module.OutputPath).Append(':');
            foreach (var dependency in walk.All(module))
                line.Append(' ').Append(dependency.OutputPath);
            lines[i] = line.ToString();
        }

        return lines;
    }

    private static DepmodOutput DependencyText(string[] lines)
    {
        var text = new OutputText();
        foreach (string line in lines)
            text.Append(line).Append((byte)'\n');
        return text.ToOutput("modules.dep");
    }

    /// <summary>Every module a module needs, directly or not, users before what they use (kmod <c>mod_get_all_sorted_dependencies</c>).</summary>
    public IReadOnlyList<DepmodModule> AllDependencies(DepmodModule module)
    {
        ArgumentNullException.ThrowIfNull(module);

        // One walk (and its mark per module) for all calls: `depmod -n --json` asks for every module's.
        lock (_walkLock)
        {
            _walk ??= new DependencyWalk(Modules.Count);
            return [.. _walk.All(module)];
        }
    }

    private readonly Lock _walkLock = new();
    private DependencyWalk? _walk;

    private IndexWriter DependencyIndex(string[] lines, KmodProfile profile, Action<DepmodLogLevel, string> log)
    {
        var index = NewIndex(profile);
        for (int i = 0; i < Modules.Count; i++)
        {
            if (index.Add(Modules[i].Name, lines[i], (uint)Modules[i].Index) && _settings.WarnDuplicates)
                log(DepmodLogLevel.Warning, $"duplicate module deps:\n{lines[i]}");
        }

        return index;
    }

    private DepmodOutput AliasText()
    {
        var text = new OutputText();
        text.Append("# Aliases extracted from modules themselves.\n"u8);
        foreach (var module in Modules)
        {
            foreach (var entry in module.Info)
            {
                if (entry.KeyIs("alias"u8))
                    text.Append("alias "u8).Append(entry.RawValue.Span).Append((byte)' ').Append(module.Name).Append((byte)'\n');
            }
        }

        return text.ToOutput("modules.alias");
    }

    private IndexWriter AliasIndex(KmodProfile profile, Action<DepmodLogLevel, string> log)
    {
        var index = NewIndex(profile);
        foreach (var module in Modules)
        {
            byte[]? name = null;
            foreach (var entry in module.Info)
            {
                if (!entry.KeyIs("alias"u8))
                    continue;
                name ??= Encoding.UTF8.GetBytes(module.Name);
                var value = entry.RawValue.Span;
                bool added;
                if (value.Length <= ModuleName.MaxLength && value.IndexOfAny("-[]\0"u8) < 0)
                {
                    // Nothing to normalise (most aliases): the bytes as they are.
                    added = index.Add(value, name, (uint)module.Index);
                }
                else
                {
                    // Latin-1 maps bytes to chars one to one, so aliases that are not UTF-8 keep their bytes.
                    if (!ModuleName.TryNormalizeAlias(Encoding.Latin1.GetString(value), out string alias))
                    {
                        log(DepmodLogLevel.Warning, $"Unmatched bracket in {entry.Value}");
                        continue;
                    }

                    added = index.Add(Encoding.Latin1.GetBytes(alias), name, (uint)module.Index);
                }

                if (added && _settings.WarnDuplicates)
                    log(DepmodLogLevel.Warning, $"duplicate module alias:\n{NormalizedAlias(value)} {module.Name}");
            }
        }

        return index;
    }

    private static string NormalizedAlias(ReadOnlySpan<byte> value) =>
        ModuleName.TryNormalizeAlias(Encoding.Latin1.GetString(value), out string alias) ? alias : string.Empty;

    private DepmodOutput InfoText(string name, ReadOnlySpan<byte> header, ReadOnlySpan<byte> key)
    {
        var text = new OutputText();
        text.Append(header);
        foreach (var module in Modules)
        {
            foreach (var entry in module.Info)
            {
                if (!entry.KeyIs(key))
                    continue;
                text.Append(key).Append((byte)' ').Append(module.Name).Append((byte)' ').Append(entry.RawValue.Span).Append((byte)'\n');
            }
        }

        return text.ToOutput(name);
    }

    private static DepmodOutput SymbolText(List<DepmodSymbol> ownedSymbols)
    {
        var text = new OutputText();
        text.Append("# Aliases for symbols, used by symbol_request().\n"u8);
        foreach (var symbol in ownedSymbols)
            text.Append("alias symbol:"u8).Append(symbol.Name).Append((byte)' ').Append(symbol.Owner!.Name).Append((byte)'\n');
        return text.ToOutput("modules.symbols");
    }

    private IndexWriter SymbolIndex(List<DepmodSymbol> ownedSymbols, KmodProfile profile, Action<DepmodLogLevel, string> log)
    {
        var index = NewIndex(profile);
        foreach (var symbol in ownedSymbols)
        {
            if (index.Add("symbol:" + symbol.Name, symbol.Owner!.Name, (uint)symbol.Owner.Index) && _settings.WarnDuplicates)
                log(DepmodLogLevel.Warning, $"duplicate module syms:\nsymbol:{symbol.Name} {symbol.Owner.Name}");
        }

        return index;
    }

    /// <summary>modules.builtin.bin from modules.builtin (kmod <c>output_builtin_bin</c>); empty when the list is missing.</summary>
    private DepmodOutput BuiltinIndex(KmodProfile profile, Action<DepmodLogLevel, string> log)
    {
        const string Name = "modules.builtin.bin";
        if (!TryReadInput(BuiltinFileName, log, out byte[] contents))
            return new DepmodOutput(Name, [], true);

        var index = NewIndex(profile);
        foreach (string line in Lines(contents))
        {
            if (line.Length == 0 || !char.IsAsciiLetter(line[0]))
            {
                log(DepmodLogLevel.Error, $"Invalid modules.builtin line: {line}");
                continue;
            }

            index.Add(ModuleName.FromPath(line) ?? string.Empty, string.Empty, 0);
        }

        return Index(Name, index, profile.IndexLayout);
    }

    /// <summary>
    /// modules.builtin.alias.bin from the <c>&lt;module&gt;.alias=&lt;value&gt;</c> records of modules.builtin.modinfo
    /// (kmod <c>output_builtin_alias_bin</c>); empty when the file is missing.
    /// </summary>
    private DepmodOutput BuiltinAliasIndex(KmodProfile profile, Action<DepmodLogLevel, string> log)
    {
        const string Name = "modules.builtin.alias.bin";
        if (!TryReadInput(BuiltinModInfo.FileName, log, out byte[] contents))
            return new DepmodOutput(Name, [], true);

        var index = NewIndex(profile);
        int position = 0;
        while (position < contents.Length)
        {
            var module = ReadUntil(contents, ref position, (byte)'.');
            if (module is not { Length: > 0 })
                continue;
            var key = ReadUntil(contents, ref position, (byte)'=');
            if (key is null || !key.AsSpan().SequenceEqual("alias"u8))
            {
                ReadUntil(contents, ref position, 0);
                continue;
            }

            var value = ReadUntil(contents, ref position, 0);
            if (value is not { Length: > 0 })
                continue;
            if (!ModuleName.TryNormalizeAlias(Encoding.Latin1.GetString(value), out string alias))
            {
                log(DepmodLogLevel.Warning, $"Unmatched bracket in {Encoding.UTF8.GetString(value)}");
                continue;
            }

            index.Add(Encoding.Latin1.GetBytes(alias), module, 0);
        }

        return Index(Name, index, profile.IndexLayout);
    }

    /// <summary>
    /// Reads up to <paramref name="end"/>, stopping also at NUL and at the end of the data as kmod's
    /// <c>flush_stream_to</c> does; returns null unless <paramref name="end"/> itself was found.
    /// </summary>
    private static byte[]? ReadUntil(byte[] data, ref int position, byte end)
    {
        int start = position;
        while (position < data.Length && data[position] != end && data[position] != 0)
            position++;
        if (position >= data.Length)
            return null;
        byte stop = data[position++];
        return stop == end ? data[start..(position - 1)] : null;
    }

    /// <summary>modules.devname (kmod <c>output_devname</c>): modules with a <c>devname:</c> alias and a device number alias.</summary>
    private DepmodOutput DeviceNames(Action<DepmodLogLevel, string> log)
    {
        var text = new OutputText();
        foreach (var module in Modules)
        {
            string? devname = null;
            char type = '\0';
            uint major = 0, minor = 0;
            foreach (var entry in module.Info)
            {
                if (!entry.KeyIs("alias"u8))
                    continue;
                string value = Encoding.Latin1.GetString(entry.RawValue.Span);
                if (value.StartsWith("devname:", StringComparison.Ordinal))
                {
                    devname = value["devname:".Length..];
                }
                else if (TryParseDevice(value, "char-major-", out uint maj, out uint min))
                {
                    (type, major, minor) = ('c', maj, min);
                }
                else if (TryParseDevice(value, "block-major-", out maj, out min))
                {
                    (type, major, minor) = ('b', maj, min);
                }

                if (type != '\0' && devname is not null)
                    break;
            }

            if (devname is null)
                continue;
            if (type == '\0')
            {
                log(DepmodLogLevel.Error, $"Module '{module.Name}' has devname ({devname}) but lacks major and minor information. Ignoring.");
                continue;
            }

            if (text.Length == 0)
                text.Append("# Device nodes to trigger on-demand module loading.\n"u8);
            text.Append(module.Name).Append((byte)' ').Append(Encoding.Latin1.GetBytes(devname))
                .Append(string.Create(CultureInfo.InvariantCulture, $" {type}{major}:{minor}\n"));
        }

        return text.ToOutput("modules.devname");
    }

    /// <summary><c>sscanf(value, "char-major-%u-%u")</c> matching two numbers.</summary>
    private static bool TryParseDevice(string value, string prefix, out uint major, out uint minor)
    {
        major = minor = 0;
        if (!value.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        int i = prefix.Length;
        return TryParseNumber(value, ref i, out major) && i < value.Length && value[i++] == '-' && TryParseNumber(value, ref i, out minor);
    }

    private static bool TryParseNumber(string text, ref int i, out uint number)
    {
        number = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
            i++;
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-')
            negative = text[i++] == '-';
        int start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
            number = unchecked((number * 10) + (uint)(text[i++] - '0'));
        if (negative)
            number = unchecked(0u - number);
        return i > start;
    }

    private bool TryReadInput(string name, Action<DepmodLogLevel, string> log, out byte[] contents) =>
        DepmodEngine.TryReadInput(_settings.ModuleDirectory, name, log, out contents);

    /// <summary>Lines as <c>fgets</c> returns them, each with its newline if it has one.</summary>
    private static IEnumerable<string> Lines(byte[] contents)
    {
        int start = 0;
        while (start < contents.Length)
        {
            int end = Array.IndexOf(contents, (byte)'\n', start);
            end = end < 0 ? contents.Length : end + 1;
            yield return Encoding.UTF8.GetString(contents, start, end - start);
            start = end;
        }
    }

    private static DepmodOutput Index(string name, IndexWriter index, IndexLayout layout) => new(name, index.ToArray(layout), true);

    private IndexWriter NewIndex(KmodProfile profile) =>
        new() { AllowNonAsciiOutsideChildTables = _settings.AllowNonAsciiOutsideChildTables && !profile.DepmodRefusesNonAsciiIndexText };

    private void Log(DepmodLogLevel level, string message) => _settings.Log?.Invoke(level, message);
}

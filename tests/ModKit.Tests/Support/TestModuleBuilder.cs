using System.Buffers.Binary;
using System.Text;

namespace ModKit.Tests.Support;

/// <summary>
/// Writes minimal relocatable ELF modules for synthetic depmod trees: a <c>.modinfo</c>, exported symbols in
/// <c>__ksymtab_strings</c> and needed symbols as undefined <c>.symtab</c> entries; ELF32/ELF64, either byte
/// order. Enough for kmod's depmod and ModKit's, nothing a kernel would load.
/// </summary>
internal sealed class TestModuleBuilder
{
    private readonly List<string> _modinfo = [];
    private readonly List<string> _exports = [];
    private readonly List<(string Name, bool Weak)> _needs = [];

    public bool Is64 { get; init; } = true;

    public bool BigEndian { get; init; }

    public ushort Machine { get; init; } = 62; // x86-64

    public TestModuleBuilder Info(string key, string value)
    {
        _modinfo.Add($"{key}={value}");
        return this;
    }

    /// <summary>A <c>.modinfo</c> string as given, <c>=</c> or not.</summary>
    public TestModuleBuilder RawInfo(string entry)
    {
        _modinfo.Add(entry);
        return this;
    }

    public TestModuleBuilder Exports(params string[] symbols)
    {
        _exports.AddRange(symbols);
        return this;
    }

    public TestModuleBuilder Needs(params string[] symbols)
    {
        _needs.AddRange(symbols.Select(s => (s, false)));
        return this;
    }

    public TestModuleBuilder NeedsWeak(string symbol)
    {
        _needs.Add((symbol, true));
        return this;
    }

    public void WriteTo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Build());
    }

    public byte[] Build()
    {
        var strtab = new StringTable();
        int symSize = Is64 ? 24 : 16;
        var symtab = new byte[symSize * (1 + _needs.Count)];
        for (int i = 0; i < _needs.Count; i++)
        {
            var sym = symtab.AsSpan(symSize * (i + 1));
            uint name = strtab.Add(_needs[i].Name);
            byte info = (byte)(((_needs[i].Weak ? 2 : 1) << 4) | 0); // STB_GLOBAL/STB_WEAK, STT_NOTYPE
            Write32(sym, name);
            if (Is64)
                sym[4] = info;
            else
                sym[12] = info;

            // st_shndx stays 0: SHN_UNDEF.
        }

        var sections = new List<(string Name, uint Type, byte[] Data, uint Link, uint EntSize)>
        {
            (".modinfo", 1, Encoding.Latin1.GetBytes(string.Concat(_modinfo.Select(s => s + "\0"))), 0, 0),
            ("__ksymtab_strings", 1, Encoding.ASCII.GetBytes(string.Concat(_exports.Select(s => s + "\0"))), 0, 0),
            (".strtab", 3, strtab.ToArray(), 0, 0),
        };
        sections.Add((".symtab", 2, symtab, 3, (uint)symSize)); // linked to .strtab (section 3)
        var shstrtab = new StringTable();
        var names = sections.Select(s => shstrtab.Add(s.Name)).ToList();
        uint shstrName = shstrtab.Add(".shstrtab");
        sections.Add((".shstrtab", 3, shstrtab.ToArray(), 0, 0));
        names.Add(shstrName);

        int ehSize = Is64 ? 64 : 52, shSize = Is64 ? 64 : 40;
        var body = new List<byte>(new byte[ehSize]);
        var offsets = new List<int>();
        foreach (var section in sections)
        {
            while (body.Count % 8 != 0)
                body.Add(0);
            offsets.Add(body.Count);
            body.AddRange(section.Data);
        }

        while (body.Count % 8 != 0)
            body.Add(0);
        int shoff = body.Count;
        var file = new byte[shoff + (shSize * (sections.Count + 1))];
        body.CopyTo(file);

        var header = file.AsSpan();
        "\x7f"u8.CopyTo(header);
        "ELF"u8.CopyTo(header[1..]);
        header[4] = (byte)(Is64 ? 2 : 1);
        header[5] = (byte)(BigEndian ? 2 : 1);
        header[6] = 1;
        Write16(header[16..], 1); // ET_REL
        Write16(header[18..], Machine);
        Write32(header[20..], 1);
        if (Is64)
        {
            Write64(header[40..], (ulong)shoff);
            Write16(header[52..], (ushort)ehSize);
            Write16(header[58..], (ushort)shSize);
            Write16(header[60..], (ushort)(sections.Count + 1));
            Write16(header[62..], (ushort)sections.Count);
        }
        else
        {
            Write32(header[32..], (uint)shoff);
            Write16(header[40..], (ushort)ehSize);
            Write16(header[46..], (ushort)shSize);
            Write16(header[48..], (ushort)(sections.Count + 1));
            Write16(header[50..], (ushort)sections.Count);
        }

        for (int i = 0; i < sections.Count; i++)
        {
            var sh = file.AsSpan(shoff + (shSize * (i + 1)), shSize);
            var (_, type, data, link, entSize) = sections[i];
            Write32(sh, names[i]);
            Write32(sh[4..], type);
            if (Is64)
            {
                Write64(sh[24..], (ulong)offsets[i]);
                Write64(sh[32..], (ulong)data.Length);
                Write32(sh[40..], link);
                Write64(sh[48..], 1);
                Write64(sh[56..], entSize);
            }
            else
            {
                Write32(sh[16..], (uint)offsets[i]);
                Write32(sh[20..], (uint)data.Length);
                Write32(sh[24..], link);
                Write32(sh[32..], 1);
                Write32(sh[36..], entSize);
            }
        }

        return file;
    }

    private void Write16(Span<byte> at, ushort value)
    {
        if (BigEndian)
            BinaryPrimitives.WriteUInt16BigEndian(at, value);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(at, value);
    }

    private void Write32(Span<byte> at, uint value)
    {
        if (BigEndian)
            BinaryPrimitives.WriteUInt32BigEndian(at, value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(at, value);
    }

    private void Write64(Span<byte> at, ulong value)
    {
        if (BigEndian)
            BinaryPrimitives.WriteUInt64BigEndian(at, value);
        else
            BinaryPrimitives.WriteUInt64LittleEndian(at, value);
    }

    private sealed class StringTable
    {
        private readonly List<byte> _bytes = [0];

        public uint Add(string text)
        {
            uint offset = (uint)_bytes.Count;
            _bytes.AddRange(Encoding.ASCII.GetBytes(text));
            _bytes.Add(0);
            return offset;
        }

        public byte[] ToArray() => [.. _bytes];
    }
}

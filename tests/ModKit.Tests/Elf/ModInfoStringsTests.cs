using System.Text;
using ModKit.Elf;

namespace ModKit.Tests.Elf;

/// <summary>
/// <c>.modinfo</c> splitting as kmod 30's <c>kmod_elf_get_strings</c> and <c>kmod_module_get_info</c> do it:
/// leading NUL padding skipped, runs of NULs separate strings, the last string is force-terminated, a remainder
/// of one byte holds nothing, and each string splits at its first <c>=</c>.
/// </summary>
public sealed class ModInfoStringsTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string[] Parse(byte[] section) => [.. ModInfoStrings.Parse(section).Select(e => $"{e.Key}|{e.Value}")];

    [Theory]
    [InlineData("license=GPL\0author=me\0", "license|GPL", "author|me")]
    [InlineData("\0\0\0license=GPL\0", "license|GPL")]                       // leading padding
    [InlineData("a=1\0\0\0\0b=2\0\0", "a|1", "b|2")]                          // runs of NULs
    [InlineData("a=1\0b=2", "a|1", "b|2")]                                     // unterminated last string
    [InlineData("\0\0a=1\0b", "a|1", "b|")]                                    // unterminated one-byte last string
    [InlineData("intree\0", "intree|")]                                        // no '=': key only
    [InlineData("parm=debug:int=a=b\0", "parm|debug:int=a=b")]                 // first '=' splits
    [InlineData("=value\0key=\0", "|value", "key|")]
    [InlineData("XY", "XY|")]                                                  // two bytes are enough
    [InlineData("\0XY", "XY|")]
    public void Strings_split_like_kmod(string section, params string[] expected) =>
        Assert.Equal(expected, Parse(B(section)));

    [Theory]
    [InlineData("")]
    [InlineData("\0")]
    [InlineData("\0\0\0\0")]
    [InlineData("X")]       // a one-byte remainder holds nothing (kmod: size <= 1 after the padding)
    [InlineData("\0\0X")]
    public void Sections_with_at_most_one_byte_after_padding_are_empty(string section) =>
        Assert.Empty(ModInfoStrings.Parse(B(section)));

    [Fact]
    public void Non_ASCII_bytes_are_kept_raw()
    {
        byte[] section = [0xFF, 0xC3, (byte)'=', 0xC3, 0x28, 0x80, 0, (byte)'k', (byte)'=', 0xE9, 0];
        var entries = ModInfoStrings.Parse(section);
        Assert.Equal(2, entries.Count);
        Assert.Equal(new byte[] { 0xFF, 0xC3 }, entries[0].RawKey.ToArray());
        Assert.Equal(new byte[] { 0xC3, 0x28, 0x80 }, entries[0].RawValue.ToArray());
        Assert.Equal("k"u8.ToArray(), entries[1].RawKey.ToArray());
        Assert.Equal(new byte[] { 0xE9 }, entries[1].RawValue.ToArray());
        Assert.True(entries[1].KeyIs("k"u8));
        Assert.False(entries[1].KeyIs("K"u8));
    }

    [Fact]
    public void Entries_are_views_of_the_section()
    {
        byte[] section = B("\0alias=pci:v*\0");
        var entry = Assert.Single(ModInfoStrings.Parse(section));
        Assert.Equal("alias", entry.Key);
        Assert.Equal("pci:v*", entry.Value);
        Assert.Equal("alias=pci:v*", entry.ToString());
    }

    [Theory]
    [AllElfFormats]
    public void Modinfo_section_of_an_ELF_file(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = new SyntheticElf(elfClass, order);
        builder.AddSection(".text", [0xC3]);
        builder.AddSection(".modinfo", B("\0\0\0\0license=GPL v2\0\0alias=usb:v1234p*\0depends=\0intree=Y\0vermagic=6.1.0 SMP mod_unload"));
        Assert.True(builder.Open().TryReadSection(".modinfo", out byte[] data));
        Assert.Equal(
            ["license|GPL v2", "alias|usb:v1234p*", "depends|", "intree|Y", "vermagic|6.1.0 SMP mod_unload"],
            Parse(data));
    }
}

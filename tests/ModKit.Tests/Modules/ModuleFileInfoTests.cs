using System.Text;
using ModKit.Elf;
using ModKit.Modules;
using ModKit.Tests.Elf;
using ModKit.Tests.Signing;

namespace ModKit.Tests.Modules;

/// <summary>
/// <see cref="ModuleFile.GetInfo"/> on synthetic modules: the <c>.modinfo</c> entries in file order, then for a
/// signed module <c>sig_id</c>, <c>signer</c>, <c>sig_key</c>, <c>sig_hashalgo</c>, <c>signature</c>
/// (<c>kmod_module_get_info</c>, kmod-behavior.md §6.2).
/// </summary>
public sealed class ModuleFileInfoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("modkit-moduleinfo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Module(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = new SyntheticElf(elfClass, order);
        builder.AddSection(".text", [0xC3]);
        builder.AddSection(".modinfo", Encoding.UTF8.GetBytes("\0\0license=GPL\0\0description=a=b\0intree\0vermagic=6.1.0 SMP"));
        builder.AddSection("__versions", builder.VersionRecord(1, "module_layout"));
        return builder.Build();
    }

    private static readonly string[] ModInfo = ["license=GPL", "description=a=b", "intree=", "vermagic=6.1.0 SMP"];

    private List<ModInfoEntry> GetInfo(byte[] image)
    {
        string path = Path.Combine(_dir, "synthetic.ko");
        File.WriteAllBytes(path, image);
        using var module = ModuleFile.Open(path);
        Assert.Equal("synthetic", module.Name);
        return module.GetInfo();
    }

    [Theory]
    [AllElfFormats]
    public void PKCS7_signature_fields_follow_the_modinfo_entries(ElfClass elfClass, ElfByteOrder order)
    {
        var pkcs7 = new Pkcs7Builder
        {
            Serial = [0x00, 0x9A, 0x01],           // the INTEGER's leading zero is not part of sig_key
            DigestOid = "2.16.840.1.101.3.4.2.3",  // sha512
            EncryptedDigest = [0xDE, 0xAD, 0x0B, 0xEE, 0xF0],
        };
        byte[] image = SignedModule.Append(Module(elfClass, order), pkcs7.Build());

        var entries = GetInfo(image);
        Assert.Equal(
        [
            .. ModInfo,
            "sig_id=PKCS#7",
            "signer=Test signing key",
            "sig_key=9A:01",
            "sig_hashalgo=sha512",
            "signature=DE:AD:0B:EE:F0",
        ], entries.Select(e => e.ToString()));
    }

    [Theory]
    [AllElfFormats]
    public void Legacy_signature_fields_are_the_raw_trailer_parts(ElfClass elfClass, ElfByteOrder order)
    {
        byte[] image = SignedModule.Append(Module(elfClass, order), [0x11, 0x22, 0x33], idType: 1, algorithm: 1, hash: 2,
            signer: Encoding.ASCII.GetBytes("Magrathea: Glacier signing key"), keyId: [0xAB, 0xCD]);
        Assert.Equal(
        [
            .. ModInfo,
            "sig_id=X509",
            "signer=Magrathea: Glacier signing key",
            "sig_key=AB:CD",
            "sig_hashalgo=sha1",
            "signature=11:22:33",
        ], GetInfo(image).Select(e => e.ToString()));
    }

    [Theory]
    [AllElfFormats]
    public void Unsigned_or_malformed_trailer_gives_only_modinfo(ElfClass elfClass, ElfByteOrder order)
    {
        Assert.Equal(ModInfo, GetInfo(Module(elfClass, order)).Select(e => e.ToString()));
        byte[] badIdType = SignedModule.Append(Module(elfClass, order), [0x11], idType: 3);
        Assert.Equal(ModInfo, GetInfo(badIdType).Select(e => e.ToString()));
    }

    [Theory]
    [AllElfFormats]
    public void Missing_modinfo_is_ENOENT_and_not_ELF_is_ENOEXEC(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = new SyntheticElf(elfClass, order);
        builder.AddSection(".text", [0xC3]);
        string path = Path.Combine(_dir, "nomodinfo.ko");
        File.WriteAllBytes(path, SignedModule.Append(builder.Build(), new Pkcs7Builder().Build()));
        Assert.Equal(ModKit.Errno.ENOENT, ModuleFile.TryGetInfo(path, out var entries));
        Assert.Empty(entries);

        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("not an ELF file at all"), .. Module(elfClass, order)]);
        Assert.Equal(ModKit.Errno.ENOEXEC, ModuleFile.TryGetInfo(path, out _));
    }
}

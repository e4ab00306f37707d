using ModKit.Tests.Signing;
using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Tools;

/// <summary>
/// modinfo's signature fields (<c>sig_id</c>, <c>signer</c>, <c>sig_key</c>, <c>sig_hashalgo</c>, <c>signature</c>) on
/// modules signed in every way <see cref="SignatureVariants"/> crafts and with every digest the openssl command
/// offers, against kmod 30 and kmod 34.2 in the matching profile: whole outputs, byte for byte, one run per profile.
/// kmod 30 shows no signature for a digest outside the kernel's table; kmod 34.2 names any digest as OpenSSL does.
/// </summary>
public sealed class ModinfoSignatureDifferentialTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private byte[] UnsignedContent()
    {
        var files = KernelTree.Instance.ModuleFiles("plain");
        return SignedModule.StripSignature(File.ReadAllBytes(files[0]));
    }

    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void CraftedSignaturesMatchKmod(string release)
    {
        byte[] content = UnsignedContent();
        var paths = new List<string>();
        foreach (var variant in SignatureVariants.All())
        {
            string path = Path.Combine(_directory.Path, variant.Name + ".ko");
            File.WriteAllBytes(path, variant.Sign(content));
            paths.Add(path);
        }

        var comparison = new ModinfoComparison(output, oracle: KmodOracle.Named(release)) { BatchSize = paths.Count };
        Assert.Equal(0, comparison.CountDifferences(paths, ["-F", "signer"]) + comparison.CountDifferences(paths, []));
        Assert.Empty(comparison.KmodCrashes);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void OpensslDigestsMatchKmod(string release)
    {
        byte[] content = UnsignedContent();
        string key = Path.Combine(_directory.Path, "key.pem");
        string cert = Path.Combine(_directory.Path, "cert.pem");
        string payload = Path.Combine(_directory.Path, "payload");
        File.WriteAllBytes(payload, content);
        Openssl("req", "-new", "-x509", "-nodes", "-newkey", "rsa:1024", "-days", "2", "-set_serial", "0x00F1E2D3C4B5A69788",
            "-subj", "/CN=digest test key", "-keyout", key, "-out", cert);
        var paths = new List<string>();
        foreach (string digest in new[] { "md5", "sha1", "ripemd160", "sha224", "sha256", "sha384", "sha512", "sha512-224", "sha512-256", "sha3-224", "sha3-256", "sha3-384", "sha3-512", "shake128", "shake256" })
        {
            // What sign-file does: detached, binary, no certificates, no signed attributes.
            string der = Path.Combine(_directory.Path, digest + ".der");
            var signed = ProcessRunner.Run("openssl", ["cms", "-sign", "-binary", "-noattr", "-nocerts", "-nosmimecap", "-md", digest,
                "-in", payload, "-signer", cert, "-inkey", key, "-outform", "DER", "-out", der]);
            if (signed.ExitCode != 0)
            {
                output.WriteLine($"openssl cannot sign with {digest}: {signed.StderrText.Trim()}");
                continue;
            }

            string module = Path.Combine(_directory.Path, $"openssl-{digest}.ko");
            File.WriteAllBytes(module, SignedModule.Append(content, File.ReadAllBytes(der)));
            paths.Add(module);
        }

        Assert.True(paths.Count >= 10, $"openssl signed only {paths.Count} modules");
        var comparison = new ModinfoComparison(output, oracle: KmodOracle.Named(release)) { BatchSize = paths.Count };
        Assert.Equal(0, comparison.CountDifferences(paths, []));
    }

    private static void Openssl(params string[] arguments)
    {
        var result = ProcessRunner.Run("openssl", arguments);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)}: {result.StderrText}");
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ModKit.Signing;

namespace ModKit.Tests.Signing;

/// <summary>
/// An EC certificate is read only on a named curve the kernel's x509 parser takes (fuzzing found a curve OID that
/// <see cref="SigningCertificate.Parse"/> accepted and verification then failed on with PlatformNotSupportedException).
/// </summary>
public sealed class SigningCertificateCurveTests
{
    // 1.2.840.10045.3.1.7 (P-256) as DER contents of an OBJECT IDENTIFIER.
    private static readonly byte[] P256Oid = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    [Theory]
    [InlineData("nistP256")]
    [InlineData("nistP384")]
    [InlineData("nistP521")]
    public void KernelCurvesAreRead(string curve)
    {
        var certificate = Assert.Single(SigningCertificate.Parse(SelfSigned(ECCurve.CreateFromFriendlyName(curve))));
        Assert.Equal("ecdsa", certificate.KeyAlgorithm);
    }

    [Theory]
    [InlineData((byte)0x08)]
    [InlineData((byte)0x00)]
    public void OtherCurvesAreRefusedWhenRead(byte last)
    {
        byte[] der = SelfSigned(ECCurve.NamedCurves.nistP256);
        int at = der.AsSpan().IndexOf(P256Oid);
        Assert.True(at > 0);
        der[at + P256Oid.Length - 1] = last;
        var error = Assert.Throws<FormatException>(() => SigningCertificate.Parse(der));
        Assert.Contains("unsupported elliptic curve", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FuzzFoundCertificateIsRefusedAndItsModuleVerifiesAsUnknownKey()
    {
        string dir = Path.Combine(Support.RepositoryPaths.Root, "tests/ModKit.Tests/Fuzz/Regressions/verify");
        byte[] input = File.ReadAllBytes(Path.Combine(dir, "44278fed620ac3d7"));
        int length = (input[0] << 8) | input[1];
        var error = Assert.Throws<FormatException>(() => SigningCertificate.Parse(input.AsSpan(2, length).ToArray()));
        Assert.Contains("unsupported elliptic curve", error.Message, StringComparison.Ordinal);
        var result = ModuleSignatureVerifier.Verify(input.AsSpan(2 + length), []);
        Assert.NotEqual(SignatureStatus.Valid, result.Status);
    }

    private static byte[] SelfSigned(ECCurve curve)
    {
        using var key = ECDsa.Create(curve);
        var request = new CertificateRequest("CN=modkit-curve-test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        return certificate.RawData;
    }
}

using System.Text;
using ModKit.Signing;

namespace ModKit.Tests.Signing;

/// <summary>The trailer rules and the decoded fields, on synthetic modules. What kmod prints for them is proven in <see cref="ModinfoDifferentialTests"/>.</summary>
public sealed class ModuleSignatureTests
{
    private static readonly byte[] Content = [.. Encoding.ASCII.GetBytes("\u007fELF"), .. new byte[200]];

    private static ModuleSignature? Read(byte[] image)
    {
        bool found = ModuleSignature.TryRead(image, out ModuleSignature? signature);
        Assert.Equal(found, signature is not null);
        return signature;
    }

    private static ModuleSignature? ReadVariant(string name) =>
        Read(SignatureVariants.All().Single(v => v.Name == name).Sign(Content));

    [Fact]
    public void Legacy_x509_trailer_from_kmod_testsuite_layout()
    {
        // testsuite dummy.sha1: algo RSA, hash sha1, id X509, signer 30 bytes, key id 20 bytes.
        byte[] keyId = [.. Enumerable.Range(0, 20).Select(i => (byte)i)];
        byte[] image = SignedModule.Append(Content, [0x11, 0x22, 0x33], idType: 1, algorithm: 1, hash: 2,
            signer: Encoding.ASCII.GetBytes("Magrathea: Glacier signing key"), keyId: keyId);
        ModuleSignature signature = Read(image)!;
        Assert.Equal("X509", signature.IdType);
        Assert.Equal("Magrathea: Glacier signing key", Encoding.ASCII.GetString(signature.Signer.Span));
        Assert.Equal(keyId, signature.KeyId.ToArray());
        Assert.Equal("sha1", signature.HashAlgorithm);
        Assert.Equal(new byte[] { 0x11, 0x22, 0x33 }, signature.Signature.ToArray());
        Assert.Equal(Content.Length, signature.ContentLength);
    }

    [Theory]
    [InlineData((byte)0, "PGP")]
    [InlineData((byte)1, "X509")]
    public void Legacy_id_types(byte idType, string name) =>
        Assert.Equal(name, Read(SignedModule.Append(Content, [1], idType: idType))!.IdType);

    [Theory]
    [InlineData(0, "md4")]
    [InlineData(3, "rmd160")]
    [InlineData(7, "sha224")]
    [InlineData(8, "sm3")]
    public void Legacy_hash_names_come_from_kmods_table(byte hash, string name) =>
        Assert.Equal(name, Read(SignedModule.Append(Content, [1], idType: 1, hash: hash))!.HashAlgorithm);

    [Theory]
    [InlineData("bad-algorithm")]
    [InlineData("bad-hash")]
    [InlineData("bad-id-type")]
    [InlineData("pkcs7-bad-hash-index")]
    [InlineData("sig-len-zero")]
    [InlineData("sig-len-past-start")]
    [InlineData("sig-len-huge")]
    [InlineData("sig-len-too-short-for-der")]
    public void Trailers_kmod_ignores(string variant) => Assert.Null(ReadVariant(variant));

    [Fact]
    public void No_magic_or_too_short_means_no_signature()
    {
        Assert.Null(Read(Content));
        Assert.Null(Read([]));
        Assert.Null(Read(SignedModule.Magic));
        // Magic present, but no room for the 12-byte descriptor.
        Assert.Null(Read([.. new byte[11], .. SignedModule.Magic]));
        byte[] image = SignedModule.Append(Content, [1], idType: 1);
        image[^1] = (byte)'X';
        Assert.Null(Read(image));
    }

    [Fact]
    public void Signature_exactly_filling_the_file_is_accepted()
    {
        ModuleSignature signature = Read(SignedModule.Append([], [9, 8, 7], idType: 1))!;
        Assert.Equal(0, signature.ContentLength);
        Assert.Null(Read(SignedModule.Append([], [9, 8, 7], idType: 1, signatureLength: 4)));
    }

    [Fact]
    public void Two_step_read_uses_only_the_tail()
    {
        byte[] image = SignedModule.Append(Content, new Pkcs7Builder().Build());
        Assert.True(ModuleSignature.TryGetTailLength(image.AsSpan(image.Length - ModuleSignature.FixedTrailerLength), image.Length, out int tailLength));
        Assert.Equal(image.Length - Content.Length, tailLength);
        Assert.True(ModuleSignature.TryDecode(image.AsSpan(image.Length - tailLength), image.Length, out ModuleSignature? fromTail));
        Assert.Equal(Content.Length, fromTail.ContentLength);
        Assert.Equal(ModinfoOracle.Render(Read(image)), ModinfoOracle.Render(fromTail));

        // A tail shorter than announced, or claiming a longer file than it came from, is refused.
        Assert.False(ModuleSignature.TryDecode(image.AsSpan(image.Length - tailLength + 1), image.Length, out _));
        Assert.False(ModuleSignature.TryDecode(image, image.Length - 1, out _));
    }

    [Fact]
    public void Tail_length_is_bounded_by_the_file_length()
    {
        byte[] image = SignedModule.Append(Content, [1], idType: 1, signatureLength: 100_000);
        Assert.False(ModuleSignature.TryGetTailLength(image.AsSpan(image.Length - 40), image.Length, out _));
        Assert.True(ModuleSignature.TryGetTailLength(image.AsSpan(image.Length - 40), 100_040, out int tail));
        Assert.Equal(100_040, tail);
        Assert.False(ModuleSignature.TryGetTailLength(image.AsSpan(image.Length - 39), long.MaxValue, out _));
    }

    [Fact]
    public void Pkcs7_fields_of_a_sign_file_signature()
    {
        var builder = new Pkcs7Builder { Serial = [0x00, 0xE1, 0x02] };
        ModuleSignature signature = Read(SignedModule.Append(Content, builder.Build()))!;
        Assert.Equal("PKCS#7", signature.IdType);
        Assert.Equal("Test signing key", Encoding.UTF8.GetString(signature.Signer.Span));
        Assert.Equal(new byte[] { 0xE1, 0x02 }, signature.KeyId.ToArray());
        Assert.Equal("sha256", signature.HashAlgorithm);
        Assert.Equal(builder.EncryptedDigest, signature.Signature.ToArray());
        Assert.Equal(Content.Length, signature.ContentLength);
    }

    [Theory]
    [InlineData("issuer-no-cn", "DE")]
    [InlineData("issuer-no-cn-unknown-last", "weird")]
    [InlineData("issuer-cn-first-of-two", "first")]
    [InlineData("issuer-cn-in-middle", "middle")]
    [InlineData("issuer-empty", "")]
    [InlineData("cn-bmp", "")]
    [InlineData("cn-nul-inside", "ab")]
    [InlineData("cn-constructed-utf8", "Hello")]
    [InlineData("cn-sequence", "0\u0004\u000c\u0002hi")]
    [InlineData("indefinite-everywhere", "indef")]
    public void Signer_selection(string variant, string signer) =>
        Assert.Equal(signer, Encoding.Latin1.GetString(ReadVariant(variant)!.Signer.Span));

    [Theory]
    [InlineData("serial-high-bit", "8001")]
    [InlineData("serial-negative", "FF")]
    [InlineData("serial-minus-128", "80")]
    [InlineData("serial-minus-256", "0100")]
    [InlineData("serial-zero", "")]
    public void Serial_number_is_the_magnitude_without_leading_zeros(string variant, string hex) =>
        Assert.Equal(Convert.FromHexString(hex), ReadVariant(variant)!.KeyId.ToArray());

    [Theory]
    [InlineData("digest-sha1", "sha1")]
    [InlineData("digest-sm3", "sm3")]
    [InlineData("digest-md4", "md4")]
    public void Digest_names(string variant, string name) => Assert.Equal(name, ReadVariant(variant)!.HashAlgorithm);

    [Theory]
    [InlineData("digest-sha3-256")]
    [InlineData("digest-sha256WithRSA")]
    [InlineData("digest-unknown-oid")]
    [InlineData("no-signers")]
    [InlineData("content-type-enveloped")]
    [InlineData("content-type-data")]
    [InlineData("outer-content-missing")]
    [InlineData("serial-padded")]
    [InlineData("serial-empty")]
    [InlineData("cn-visible")]
    [InlineData("cn-utf8-invalid")]
    [InlineData("cn-bmp-surrogate")]
    [InlineData("signer-info-extra-field")]
    [InlineData("param-two")]
    [InlineData("param-constructed-octets-7-levels")]
    [InlineData("indefinite-missing-eoc")]
    [InlineData("long-form-length-padded-8-byte-header")]
    [InlineData("garbage")]
    [InlineData("truncated")]
    public void Pkcs7_that_kmod_does_not_report(string variant) => Assert.Null(ReadVariant(variant));

    [Theory]
    [InlineData("two-signers")]
    [InlineData("trailing-garbage")]
    [InlineData("signed-and-enveloped")]
    [InlineData("certificates-primitive")]
    [InlineData("param-constructed-octets-6-levels")]
    [InlineData("empty-encrypted-digest")]
    [InlineData("long-form-length-padded-7-byte-header")]
    [InlineData("pkcs7-with-signer-and-key-id-bytes")]
    public void Pkcs7_that_kmod_reports(string variant) => Assert.NotNull(ReadVariant(variant));
}

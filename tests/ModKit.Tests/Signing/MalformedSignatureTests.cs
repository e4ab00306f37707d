using ModKit.Signing;
using static ModKit.Tests.Signing.Der;

namespace ModKit.Tests.Signing;

/// <summary>Hostile input never throws, never recurses without bound and never allocates beyond the input's size.</summary>
public sealed class MalformedSignatureTests
{
    private static readonly byte[] Content = new byte[64];

    [Fact]
    public void Deterministic_mutations_never_throw()
    {
        byte[][] seeds = [.. SignatureVariants.All().Select(v => v.Sign(Content))];
        var random = new Random(20240607);
        int decoded = 0;
        for (int round = 0; round < 20_000; round++)
        {
            byte[] image = (byte[])seeds[random.Next(seeds.Length)].Clone();
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits; e++)
            {
                // Mutate the signature region (before the 40-byte fixed trailer) most of the time.
                int region = random.Next(10) == 0 ? image.Length : Math.Max(1, image.Length - 40 - Content.Length);
                int at = image.Length - 1 - random.Next(Math.Min(region + 40, image.Length));
                image[at] = random.Next(4) switch
                {
                    0 => 0x00,
                    1 => 0x80,
                    2 => 0xFF,
                    _ => (byte)random.Next(256),
                };
            }

            if (ModuleSignature.TryRead(image, out ModuleSignature? signature))
            {
                decoded++;
                Assert.True(signature.Signature.Length < image.Length);
                Assert.True(signature.ContentLength >= 0 && signature.ContentLength < image.Length);
                _ = HexFormat.Format(signature.Signature.Span);
            }
        }

        Assert.True(decoded > 0);
    }

    [Fact]
    public void Every_truncation_of_a_valid_signature_is_handled()
    {
        byte[] der = new Pkcs7Builder().Build();
        for (int length = 1; length < der.Length; length++)
        {
            Assert.False(ModuleSignature.TryRead(SignedModule.Append(Content, der[..length]), out _));
        }
    }

    [Fact]
    public void Deep_nesting_is_refused_without_stack_overflow()
    {
        // ContentInfo inside SignedData inside ContentInfo…, 10 000 levels, all indefinite-length.
        var prefix = new List<byte>();
        byte[] signedDataStart = [.. Int(1), .. Set()];
        for (int i = 0; i < 10_000; i++)
        {
            prefix.AddRange([0x30, 0x80, .. Oid(Pkcs7Builder.SignedData), 0xA0, 0x80, 0x30, 0x80, .. signedDataStart]);
        }

        Assert.False(ModuleSignature.TryRead(SignedModule.Append(Content, [.. prefix]), out _));

        // Indefinite-length ANY parameters nested deeply are skipped iteratively.
        byte[] parameter = [.. Enumerable.Repeat(new byte[] { 0xA5, 0x80 }, 100_000).SelectMany(b => b), .. new byte[200_000]];
        byte[] der = SignatureVariants.SignedData(digestAlgorithm: [0x30, 0x80, .. Oid(Pkcs7Builder.Sha256), .. parameter, 0x00, 0x00]);
        Assert.True(ModuleSignature.TryRead(SignedModule.Append(Content, der), out _));
    }

    [Fact]
    public void Nested_signed_data_within_the_depth_limit_is_accepted()
    {
        byte[] inner = SignatureVariants.SignedData();
        for (int i = 0; i < 5; i++)
        {
            inner = SignatureVariants.SignedData(contentInfo: inner);
        }

        Assert.True(ModuleSignature.TryRead(SignedModule.Append(Content, inner), out _));
    }
}

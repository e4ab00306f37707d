using System.Text;
using static ModKit.Tests.Signing.Der;

namespace ModKit.Tests.Signing;

/// <summary>
/// Signature trailers, well-formed and hostile, each appended to a real module and shown to the real modinfo by
/// <see cref="ModinfoDifferentialTests"/>; the unit tests pin what kmod printed for the interesting ones.
/// </summary>
internal static class SignatureVariants
{
    public sealed record Variant(string Name, Func<byte[], byte[]> Sign);

    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    private static Variant Pkcs7(string name, Action<Pkcs7Builder> configure) => new(name, content =>
    {
        var builder = new Pkcs7Builder();
        configure(builder);
        return SignedModule.Append(content, builder.Build());
    });

    private static Variant Raw(string name, byte[] blob) => new(name, content => SignedModule.Append(content, blob));

    /// <summary>A SignedData around one SignerInfo built from raw parts.</summary>
    public static byte[] SignedData(byte[]? issuer = null, byte[]? serial = null, byte[]? digestAlgorithm = null, byte[]? signerTail = null,
        byte[]? encryptedDigest = null, byte[]? contentInfo = null, byte[]? middle = null, byte[]? version = null, string outerType = Pkcs7Builder.SignedData) =>
        Seq(Oid(outerType), Tlv(0xA0, SignedDataBody(issuer, serial, digestAlgorithm, signerTail, encryptedDigest, contentInfo, middle, version)));

    /// <summary>The SignedData SEQUENCE alone.</summary>
    public static byte[] SignedDataBody(byte[]? issuer = null, byte[]? serial = null, byte[]? digestAlgorithm = null, byte[]? signerTail = null,
        byte[]? encryptedDigest = null, byte[]? contentInfo = null, byte[]? middle = null, byte[]? version = null)
    {
        byte[] signerInfo = Seq(Int(1),
            Seq(issuer ?? Name([(Pkcs7Builder.CommonName, 0x0C, U("Test CN"))]), serial ?? Int(1)),
            digestAlgorithm ?? Seq(Oid(Pkcs7Builder.Sha256)),
            Seq(Oid("1.2.840.113549.1.1.1"), Null()),
            encryptedDigest ?? Tlv(0x04, [0xAB, 0xCD]),
            signerTail ?? []);
        return Seq(version ?? Int(1), Set(Seq(Oid(Pkcs7Builder.Sha256))), contentInfo ?? Seq(Oid(Pkcs7Builder.Data)), middle ?? [], Set(signerInfo));
    }

    private static byte[] CnValue(byte tag, byte[] value) => Name([(Pkcs7Builder.CommonName, tag, value)]);

    private static byte[] AlgorithmWith(byte[] parameter) => Seq(Oid(Pkcs7Builder.Sha256), parameter);

    /// <summary>An OCTET STRING in constructed form, <paramref name="levels"/> constructed layers deep.</summary>
    private static byte[] ConstructedOctets(int levels)
    {
        byte[] value = Tlv(0x04, [1]);
        for (int i = 0; i < levels; i++)
        {
            value = Tlv(0x24, value);
        }

        return value;
    }

    /// <summary>
    /// Inputs where ModKit knowingly differs from kmod: OpenSSL decodes embedded certificates completely and
    /// rejects the whole signature over a malformed one; ModKit only checks that each is a SEQUENCE. Kernel
    /// signatures never embed certificates (sign-file passes CMS_NOCERTS).
    /// </summary>
    public static IEnumerable<Variant> KnownDivergences()
    {
        yield return Raw("certificate-garbage", SignedData(middle: Tlv(0xA0, Seq(Int(1)))));
    }

    public static IEnumerable<Variant> All()
    {
        // Digest algorithms: kmod 30's table, and what falls outside it.
        yield return Pkcs7("sha256", _ => { });
        foreach ((string name, string oid) in new[]
        {
            ("md4", "1.2.840.113549.2.4"), ("md5", "1.2.840.113549.2.5"), ("sha1", "1.3.14.3.2.26"), ("rmd160", "1.3.36.3.2.1"),
            ("sha384", "2.16.840.1.101.3.4.2.2"), ("sha512", "2.16.840.1.101.3.4.2.3"), ("sha224", "2.16.840.1.101.3.4.2.4"),
            ("sm3", "1.2.156.10197.1.401"), ("sha3-256", "2.16.840.1.101.3.4.2.8"), ("sha256WithRSA", "1.2.840.113549.1.1.11"),
            ("streebog512", "1.2.643.7.1.1.2.3"), ("unknown-oid", "1.2.3.4"),
        })
        {
            yield return Pkcs7("digest-" + name, b => b.DigestOid = oid);
        }

        // Issuer names.
        yield return Pkcs7("issuer-no-cn", b => b.Issuer = Name([(Pkcs7Builder.Organization, 0x0C, U("Org"))], [(Pkcs7Builder.Country, 0x13, U("DE"))]));
        yield return Pkcs7("issuer-no-cn-unknown-last", b => b.Issuer = Name([(Pkcs7Builder.Organization, 0x0C, U("Org"))], [("1.2.3.4.5", 0x0C, U("weird"))]));
        yield return Pkcs7("issuer-cn-first-of-two", b => b.Issuer = Name([(Pkcs7Builder.CommonName, 0x0C, U("first"))], [(Pkcs7Builder.CommonName, 0x0C, U("second"))]));
        yield return Pkcs7("issuer-cn-in-middle", b => b.Issuer = Name([(Pkcs7Builder.Country, 0x13, U("DE"))], [(Pkcs7Builder.CommonName, 0x0C, U("middle")), (Pkcs7Builder.Organization, 0x0C, U("Org"))]));
        yield return Pkcs7("issuer-empty", b => b.Issuer = Seq());
        yield return Pkcs7("issuer-empty-rdn", b => b.Issuer = Seq(Set(), Set(Seq(Oid(Pkcs7Builder.Organization), Tlv(0x0C, U("org"))))));
        yield return Pkcs7("cn-bmp", b => b.Issuer = CnValue(0x1E, Encoding.BigEndianUnicode.GetBytes("AB")));
        yield return Pkcs7("cn-bmp-surrogate", b => b.Issuer = CnValue(0x1E, [0xD8, 0x00]));
        yield return Pkcs7("cn-bmp-odd", b => b.Issuer = CnValue(0x1E, [0x00]));
        yield return Pkcs7("cn-universal", b => b.Issuer = CnValue(0x1C, [0, 0, 0, 0x41]));
        yield return Pkcs7("cn-universal-too-big", b => b.Issuer = CnValue(0x1C, [0, 0x11, 0, 0]));
        yield return Pkcs7("cn-nul-inside", b => b.Issuer = CnValue(0x0C, U("ab\0cd")));
        yield return Pkcs7("cn-printable-latin1", b => b.Issuer = CnValue(0x13, [0x61, 0xE9, 0x5F]));
        yield return Pkcs7("cn-t61", b => b.Issuer = CnValue(0x14, [0xFF, 0x41]));
        yield return Pkcs7("cn-ia5", b => b.Issuer = CnValue(0x16, U("ia5")));
        yield return Pkcs7("cn-numeric", b => b.Issuer = CnValue(0x12, U("abc")));
        yield return Pkcs7("cn-visible", b => b.Issuer = CnValue(0x1A, U("vis")));
        yield return Pkcs7("cn-general", b => b.Issuer = CnValue(0x1B, U("gen")));
        yield return Pkcs7("cn-videotex", b => b.Issuer = CnValue(0x15, U("vid")));
        yield return Pkcs7("cn-octet-string", b => b.Issuer = CnValue(0x04, U("oct")));
        yield return Pkcs7("cn-integer", b => b.Issuer = CnValue(0x02, [0x05]));
        yield return Pkcs7("cn-tag13", b => b.Issuer = CnValue(0x0D, U("rel")));
        yield return Pkcs7("cn-sequence", b => b.Issuer = CnValue(0x30, Tlv(0x0C, U("hi"))));
        yield return Pkcs7("cn-set", b => b.Issuer = CnValue(0x31, Tlv(0x0C, U("hi"))));
        yield return Pkcs7("cn-bitstring", b => b.Issuer = CnValue(0x03, [0x00, 0x41, 0x42, 0x00]));
        yield return Pkcs7("cn-constructed-utf8", b => b.Issuer = CnValue(0x2C, [.. Tlv(0x04, U("He")), .. Tlv(0x04, U("llo"))]));
        yield return Pkcs7("cn-context-tag", b => b.Issuer = CnValue(0x80, U("ctx")));
        yield return Pkcs7("cn-utf8-4byte", b => b.Issuer = CnValue(0x0C, U("key \U0001F600")));
        yield return Pkcs7("cn-utf8-noncharacter", b => b.Issuer = CnValue(0x0C, [0xEF, 0xBF, 0xBE]));
        yield return Pkcs7("cn-utf8-invalid", b => b.Issuer = CnValue(0x0C, [0xFF, 0xFE]));
        yield return Pkcs7("cn-utf8-surrogate", b => b.Issuer = CnValue(0x0C, [0xED, 0xA0, 0x80]));
        yield return Pkcs7("cn-utf8-overlong", b => b.Issuer = CnValue(0x0C, [0xC0, 0x80]));
        yield return Pkcs7("cn-utf8-too-big", b => b.Issuer = CnValue(0x0C, [0xF4, 0x90, 0x80, 0x80]));
        yield return Pkcs7("other-attr-invalid-utf8", b => b.Issuer = Name([(Pkcs7Builder.Organization, 0x0C, [0xC3])], [(Pkcs7Builder.CommonName, 0x0C, U("cn"))]));
        yield return Pkcs7("long-cn", b => b.Issuer = CnValue(0x0C, U(new string('x', 300))));

        // Serial numbers.
        yield return Pkcs7("serial-high-bit", b => b.Serial = [0x00, 0x80, 0x01]);
        yield return Pkcs7("serial-negative", b => b.Serial = [0xFF, 0x01]);
        yield return Pkcs7("serial-minus-128", b => b.Serial = [0x80]);
        yield return Pkcs7("serial-minus-256", b => b.Serial = [0xFF, 0x00]);
        yield return Pkcs7("serial-zero", b => b.Serial = [0x00]);
        yield return Pkcs7("serial-padded", b => b.Serial = [0x00, 0x01]);
        yield return Pkcs7("serial-padded-negative", b => b.Serial = [0xFF, 0x80]);
        yield return Pkcs7("serial-empty", b => b.Serial = []);
        yield return Pkcs7("serial-long", b => b.Serial = [0x7F, .. Enumerable.Range(1, 40).Select(i => (byte)i)]);

        // Signers and signatures.
        yield return Pkcs7("two-signers", b => b.SignerCount = 2);
        yield return Pkcs7("no-signers", b => b.SignerCount = 0);
        yield return Pkcs7("empty-encrypted-digest", b => b.EncryptedDigest = []);
        yield return Pkcs7("signature-21-bytes", b => b.EncryptedDigest = [.. Enumerable.Range(0, 21).Select(i => (byte)i)]);
        yield return Pkcs7("signature-40-bytes", b => b.EncryptedDigest = [.. Enumerable.Range(0, 40).Select(i => (byte)i)]);
        yield return Pkcs7("content-type-enveloped", b => b.ContentType = "1.2.840.113549.1.7.3");
        yield return Pkcs7("content-type-data", b => b.ContentType = Pkcs7Builder.Data);
        yield return Pkcs7("content-type-signed-and-enveloped-shape", b => b.ContentType = "1.2.840.113549.1.7.4");
        yield return Pkcs7("unauthenticated-attributes", b => b.SignerInfoTail = Tlv(0xA1, Seq(Oid("1.2.3"), Set(Null()))));
        yield return Pkcs7("unauthenticated-attributes-empty", b => b.SignerInfoTail = Tlv(0xA1));
        yield return Pkcs7("signer-info-extra-field", b => b.SignerInfoTail = Null());
        yield return Pkcs7("signer-info-attribute-wrong-tag", b => b.SignerInfoTail = Tlv(0xA2));
        yield return Pkcs7("certificates-empty", b => b.CertificatesAndCrls = Tlv(0xA0));
        yield return Pkcs7("crls-empty", b => b.CertificatesAndCrls = Tlv(0xA1));
        yield return Pkcs7("certificates-primitive", b => b.CertificatesAndCrls = [0x80, 0x00]);
        yield return Pkcs7("name-primitive", b => b.Issuer = [0x10, .. Seq(Set(Seq(Oid(Pkcs7Builder.CommonName), Tlv(0x0C, U("prim")))))[1..]]);
        yield return Pkcs7("rdn-primitive", b => b.Issuer = Seq([0x11, .. Set(Seq(Oid(Pkcs7Builder.CommonName), Tlv(0x0C, U("prim"))))[1..]]));
        yield return Pkcs7("attribute-primitive", b => b.Issuer = Seq(Set([0x10, .. Seq(Oid(Pkcs7Builder.CommonName), Tlv(0x0C, U("prim")))[1..]])));

        // Algorithm parameters go through OpenSSL's ANY rules.
        yield return Pkcs7("param-null", b => b.DigestAlgorithm = AlgorithmWith(Null()));
        yield return Pkcs7("param-null-with-content", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x05, [0])));
        yield return Pkcs7("param-integer-padded", b => b.DigestAlgorithm = AlgorithmWith(Int(0, 1)));
        yield return Pkcs7("param-boolean-2-bytes", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x01, [1, 1])));
        yield return Pkcs7("param-bitstring-bad", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x03, [8])));
        yield return Pkcs7("param-bitstring-empty", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x03)));
        yield return Pkcs7("param-oid-bad", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x06, [0x80, 0x01])));
        yield return Pkcs7("param-oid-empty", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x06)));
        yield return Pkcs7("param-bmp-odd", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x1E, [0])));
        yield return Pkcs7("param-utctime-short", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x17, U("1"))));

        // OpenSSL 3.5 (Debian 13's kmod 34.2) refuses a UTCTime under 13 bytes and a GeneralizedTime under 15,
        // whatever the characters; OpenSSL 3.0 takes any.
        yield return Pkcs7("param-utctime-12", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x17, U("250101000000"))));
        yield return Pkcs7("param-utctime-13-garbage", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x17, U("abcdefghijklm"))));
        yield return Pkcs7("param-utctime-offset", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x17, U("250101000000+0100"))));
        yield return Pkcs7("param-gentime-14", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x18, U("20250101000000"))));
        yield return Pkcs7("param-gentime-15-month-13", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x18, U("20251301000000Z"))));
        yield return Pkcs7("param-utctime-constructed-short", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x37, Tlv(0x04, U("1")))));
        yield return Pkcs7("param-utctime-context-tag", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x97, U("1"))));
        yield return Pkcs7("param-context", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x85, U("zz"))));
        yield return Pkcs7("param-sequence-junk", b => b.DigestAlgorithm = AlgorithmWith(Seq(Tlv(0x05, U("junk")))));
        yield return Pkcs7("param-sequence-primitive", b => b.DigestAlgorithm = AlgorithmWith(Tlv(0x10, U("x"))));
        yield return Pkcs7("param-two", b => b.DigestAlgorithm = AlgorithmWith([.. Null(), .. Null()]));
        yield return Pkcs7("param-high-tag-universal-null", b => b.DigestAlgorithm = AlgorithmWith([0x1F, 0x05, 0x00]));
        yield return Pkcs7("param-high-tag-leading-0x80", b => b.DigestAlgorithm = AlgorithmWith([0x9F, 0x80, 0x05, 0x00]));
        yield return Pkcs7("param-high-tag-128", b => b.DigestAlgorithm = AlgorithmWith([0x1F, 0x81, 0x00, 0x01, 0x00]));
        yield return Pkcs7("param-end-of-contents", b => b.DigestAlgorithm = AlgorithmWith([0x00, 0x00]));
        yield return Pkcs7("param-long-form-empty-last", b => b.DigestAlgorithm = AlgorithmWith([0x04, 0x81, 0x00]));
        yield return Pkcs7("param-long-form-4-octets-last", b => b.DigestAlgorithm = AlgorithmWith([0x04, 0x84, 0, 0, 0, 0]));
        yield return Pkcs7("param-long-form-1-octet-then-content", b => b.DigestAlgorithm = AlgorithmWith([0x04, 0x81, 0x01, 0x41]));
        yield return Pkcs7("param-constructed-octets-6-levels", b => b.DigestAlgorithm = AlgorithmWith(ConstructedOctets(6)));
        yield return Pkcs7("param-constructed-octets-7-levels", b => b.DigestAlgorithm = AlgorithmWith(ConstructedOctets(7)));
        yield return Pkcs7("digest-oid-trailing-continuation", b => b.DigestAlgorithm = Seq(Tlv(0x06, [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x81])));

        // Encodings that only BER allows, and structure errors.
        yield return Raw("indefinite-outer", Indefinite(0x30, Oid(Pkcs7Builder.SignedData), Indefinite(0xA0, Seq(Int(1), Set(), Seq(Oid(Pkcs7Builder.Data)),
            Set(Seq(Int(1), Seq(Name([(Pkcs7Builder.CommonName, 0x0C, U("indef"))]), Int(9)), Seq(Oid(Pkcs7Builder.Sha256)), Seq(Oid("1.2.840.113549.1.1.1")), Tlv(0x04, [1, 2])))))));
        yield return Raw("indefinite-everywhere", Indefinite(0x30, Oid(Pkcs7Builder.SignedData), Indefinite(0xA0, Indefinite(0x30, Int(1), Indefinite(0x31), Indefinite(0x30, Oid(Pkcs7Builder.Data)),
            Indefinite(0x31, Indefinite(0x30, Int(1), Indefinite(0x30, Indefinite(0x30, Indefinite(0x31, Indefinite(0x30, Oid(Pkcs7Builder.CommonName), Indefinite(0x2C, Tlv(0x04, U("in")), Tlv(0x04, U("def")))))), Int(9)),
                Indefinite(0x30, Oid(Pkcs7Builder.Sha256)), Seq(Oid("1.2.840.113549.1.1.1")), Indefinite(0x24, Tlv(0x04, [1, 2]), Indefinite(0x24, Tlv(0x04, [3])))))))));
        yield return Raw("indefinite-missing-eoc", [.. Indefinite(0x30, Oid(Pkcs7Builder.SignedData), Tlv(0xA0, SignedDataBody()))[..^2]]);
        byte[] body = [.. Oid(Pkcs7Builder.SignedData), .. Tlv(0xA0, SignedDataBody())];
        yield return Raw("long-form-length-padded-7-byte-header", [0x30, 0x85, 0, 0, 0, (byte)(body.Length >> 8), (byte)body.Length, .. body]);
        yield return Raw("long-form-length-padded-8-byte-header", [0x30, 0x86, 0, 0, 0, 0, (byte)(body.Length >> 8), (byte)body.Length, .. body]);
        yield return Raw("long-form-length-padded-10-byte-header", [0x30, 0x88, 0, 0, 0, 0, 0, 0, (byte)(body.Length >> 8), (byte)body.Length, .. body]);
        yield return Raw("long-form-length-padded-11-byte-header", [0x30, 0x89, 0, 0, 0, 0, 0, 0, 0, (byte)(body.Length >> 8), (byte)body.Length, .. body]);
        byte[] signedBody = SignedDataBody();
        yield return Raw("long-form-inner-padded", Seq(Oid(Pkcs7Builder.SignedData), [0xA0, 0x88, 0, 0, 0, 0, 0, 0, (byte)(signedBody.Length >> 8), (byte)signedBody.Length, .. signedBody]));
        yield return Raw("long-form-inside-indefinite-padded", Indefinite(0x30, Oid(Pkcs7Builder.SignedData), [0xA0, 0x86, 0, 0, 0, 0, (byte)(signedBody.Length >> 8), (byte)signedBody.Length, .. signedBody]));
        yield return Raw("context-zero-as-eoc-in-indefinite", Indefinite(0x30, Oid(Pkcs7Builder.SignedData), Tlv(0xA0, signedBody), [0x80, 0x00]));
        yield return Raw("trailing-garbage", [.. SignedData(), .. U("garbage after the object")]);
        yield return Raw("outer-content-missing", Seq(Oid(Pkcs7Builder.SignedData)));
        yield return Raw("outer-extra-element", Seq(Oid(Pkcs7Builder.SignedData), Tlv(0xA0, Seq(Int(1), Set(), Seq(Oid(Pkcs7Builder.Data)), Set())), Null()));
        yield return Raw("explicit-extra-element", Seq(Oid(Pkcs7Builder.SignedData), Tlv(0xA0, [.. SignedDataBody(), .. Null()])));
        yield return Raw("explicit-wrong-tag", Seq(Oid(Pkcs7Builder.SignedData), Tlv(0xA1, SignedDataBody())));
        yield return Raw("version-negative", SignedData(version: Int(0xFF)));
        yield return Raw("version-empty", SignedData(version: Tlv(0x02)));
        yield return Raw("inner-content-present", SignedData(contentInfo: Seq(Oid(Pkcs7Builder.Data), Tlv(0xA0, Tlv(0x04, U("hello"))))));
        yield return Raw("inner-content-wrong-type", SignedData(contentInfo: Seq(Oid(Pkcs7Builder.Data), Tlv(0xA0, Null()))));
        yield return Raw("inner-content-unknown-type", SignedData(contentInfo: Seq(Oid("1.2.3.4"), Tlv(0xA0, Tlv(0x85, U("x"))))));
        yield return Raw("inner-content-signed", SignedData(contentInfo: SignedData()));
        yield return Raw("inner-content-signed-broken", SignedData(contentInfo: SignedData(serial: Int(0, 1))));
        // OpenSSL stops at 30 nested items (ASN1_MAX_CONSTRUCTED_NEST); each SignedData in SignedData adds two.
        for (int levels = 9; levels <= 15; levels++)
        {
            byte[] nested = SignedData(contentInfo: Seq(Oid(Pkcs7Builder.Data), Tlv(0xA0, Tlv(0x04, U("innermost")))));
            for (int i = 1; i < levels; i++)
            {
                nested = SignedData(contentInfo: nested);
            }

            yield return Raw($"nested-signed-data-{levels}", nested);
        }

        yield return Raw("signed-and-enveloped", Seq(Oid("1.2.840.113549.1.7.4"), Tlv(0xA0, Seq(Int(1), Set(), Set(),
            Seq(Oid(Pkcs7Builder.Data), Seq(Oid("1.2.3"))), Set(Seq(Int(1), Seq(Name([(Pkcs7Builder.CommonName, 0x0C, U("sae"))]), Int(5)),
                Seq(Oid(Pkcs7Builder.Sha256)), Seq(Oid("1.2.840.113549.1.1.1")), Tlv(0x04, [7])))))));
        yield return Raw("empty-blob-byte", [0x00]);
        yield return Raw("garbage", U("this is not DER at all"));
        yield return Raw("truncated", SignedData()[..^3]);

        // Legacy trailers and trailer rules.
        yield return new Variant("legacy-x509", c => SignedModule.Append(c, [0x11, 0x22, 0x33], idType: 1, algorithm: 1, hash: 2,
            signer: U("Magrathea: Glacier signing key"), keyId: [.. Enumerable.Range(0, 20).Select(i => (byte)i)]));
        yield return new Variant("legacy-pgp-sm3-empty-parts", c => SignedModule.Append(c, [0x11], idType: 0, hash: 8));
        yield return new Variant("legacy-x509-long-key-id", c => SignedModule.Append(c, [0x01], idType: 1, hash: 4, keyId: [.. Enumerable.Range(0, 41).Select(i => (byte)i)]));
        yield return new Variant("bad-algorithm", c => SignedModule.Append(c, [0x11], idType: 1, algorithm: 2));
        yield return new Variant("bad-hash", c => SignedModule.Append(c, [0x11], idType: 1, hash: 9));
        yield return new Variant("bad-id-type", c => SignedModule.Append(c, [0x11], idType: 3));
        yield return new Variant("pkcs7-bad-hash-index", c => SignedModule.Append(c, new Pkcs7Builder().Build(), hash: 9));
        yield return new Variant("pkcs7-with-signer-and-key-id-bytes", c => SignedModule.Append(c, new Pkcs7Builder().Build(), signer: U("ignored"), keyId: [1, 2]));
        yield return new Variant("sig-len-zero", c => SignedModule.Append(c, [], idType: 1));
        yield return new Variant("sig-len-past-start", c => SignedModule.Append(c, [0x11], idType: 1, signatureLength: (uint)c.Length + 2));
        yield return new Variant("sig-len-huge", c => SignedModule.Append(c, [0x11], idType: 1, signatureLength: uint.MaxValue));
        yield return new Variant("sig-len-too-short-for-der", c => SignedModule.Append(c, new Pkcs7Builder().Build(), signatureLength: 10));
    }
}

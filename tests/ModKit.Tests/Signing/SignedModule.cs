using System.Buffers.Binary;
using System.Text;

namespace ModKit.Tests.Signing;

/// <summary>Appends a signature trailer the way the kernel's sign-file does.</summary>
internal static class SignedModule
{
    public static readonly byte[] Magic = Encoding.ASCII.GetBytes("~Module signature appended~\n");

    /// <summary><c>[content][signer][keyId][signature][struct module_signature][magic]</c>.</summary>
    public static byte[] Append(
        byte[] content,
        byte[] signature,
        byte idType = 2,
        byte algorithm = 0,
        byte hash = 0,
        byte[]? signer = null,
        byte[]? keyId = null,
        uint? signatureLength = null)
    {
        signer ??= [];
        keyId ??= [];
        byte[] descriptor = new byte[12];
        descriptor[0] = algorithm;
        descriptor[1] = hash;
        descriptor[2] = idType;
        descriptor[3] = (byte)signer.Length;
        descriptor[4] = (byte)keyId.Length;
        BinaryPrimitives.WriteUInt32BigEndian(descriptor.AsSpan(8), signatureLength ?? (uint)signature.Length);
        return [.. content, .. signer, .. keyId, .. signature, .. descriptor, .. Magic];
    }

    /// <summary>The ELF part of a real signed module, i.e. the module without its signature.</summary>
    public static byte[] StripSignature(byte[] module)
    {
        uint length = BinaryPrimitives.ReadUInt32BigEndian(module.AsSpan(module.Length - 40 + 8));
        return module[..(module.Length - 40 - (int)length - module[module.Length - 37] - module[module.Length - 36])];
    }
}

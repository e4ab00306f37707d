using System.Text;
using ModKit.Signing;
using ModKit.Tests.Support;

namespace ModKit.Tests.Signing;

/// <summary>
/// Runs the real kmod <c>modinfo</c> (Debian 12's kmod 30, built with OpenSSL) and extracts the signature lines,
/// and renders a <see cref="ModuleSignature"/> the way modinfo prints it. Bytes are compared as Latin-1 text so
/// that non-UTF-8 signer bytes survive.
/// </summary>
internal static class ModinfoOracle
{
    private static readonly string[] SignatureKeys = ["sig_id", "signer", "sig_key", "sig_hashalgo", "signature"];

    /// <summary>The kernel/ folder of Debian 12's plain tree (scripts/fetch-kernel.sh).</summary>
    public static string KernelTree => Path.Combine(Support.KernelTree.Instance.ModuleDirectory("plain"), "kernel");

    /// <summary>The signature block modinfo prints for each path (empty when it prints none).</summary>
    public static Dictionary<string, string> SignatureBlocks(IReadOnlyList<string> paths)
    {
        string output = Run("modinfo", paths, out int exitCode);
        Assert.True(exitCode == 0, $"modinfo exited with {exitCode}");
        var blocks = paths.ToDictionary(p => p, _ => "");
        string? current = null;
        var block = new StringBuilder();
        bool inSignature = false;
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith("filename:", StringComparison.Ordinal))
            {
                Flush();
                current = line["filename:".Length..].TrimStart(' ');
                continue;
            }

            int colon = line.IndexOf(':');
            string key = colon > 0 ? line[..colon] : "";
            if (SignatureKeys.Contains(key))
            {
                inSignature = true;
                block.Append(line).Append('\n');
            }
            else if (inSignature && line.StartsWith("\t\t", StringComparison.Ordinal))
            {
                block.Append(line).Append('\n');
            }
            else
            {
                inSignature = false;
            }
        }

        Flush();
        return blocks;

        void Flush()
        {
            if (current is not null)
            {
                Assert.True(blocks.ContainsKey(current), $"unexpected modinfo filename {current}");
                blocks[current] = block.ToString();
            }

            block.Clear();
            inSignature = false;
        }
    }

    /// <summary>What modinfo prints for <paramref name="signature"/>: <c>"%s:%-*s%s\n"</c> with width 15 − len(key).</summary>
    public static string Render(ModuleSignature? signature)
    {
        if (signature is null)
        {
            return "";
        }

        var text = new StringBuilder();
        Line("sig_id", signature.IdType);
        Line("signer", Encoding.Latin1.GetString(signature.Signer.Span));
        Line("sig_key", HexFormat.Format(signature.KeyId.Span));
        Line("sig_hashalgo", signature.HashAlgorithm);
        Line("signature", HexFormat.Format(signature.Signature.Span));
        return text.ToString();

        void Line(string key, string value) => text.Append(key).Append(':').Append(new string(' ', 15 - key.Length)).Append(value).Append('\n');
    }

    /// <summary>
    /// Runs a program and returns its standard output as Latin-1 text, followed by its standard error when it
    /// fails; a missing program fails the test (no skipping).
    /// </summary>
    public static string Run(string program, IEnumerable<string> arguments, out int exitCode)
    {
        var result = ProcessRunner.Run(program, arguments);
        exitCode = result.ExitCode;
        string output = Encoding.Latin1.GetString(result.Stdout);
        return exitCode != 0 ? output + result.StderrText : output;
    }
}

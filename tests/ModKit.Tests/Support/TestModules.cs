using System.Collections.Concurrent;
using ModKit.Tests.Files;

namespace ModKit.Tests.Support;

/// <summary>
/// Small relocatable objects that look like kernel modules to the kernel's loader and to ModKit: a
/// <c>.modinfo</c> section, a <c>.gnu.linkonce.this_module</c> whose name sits at offset 24 (the <c>name</c>
/// field of the kernel's <c>struct module</c> on 64-bit) and a <c>__versions</c> section. Built with the
/// machine's <c>cc</c> (a missing compiler fails the test) and cached per (name, vermagic).
/// </summary>
internal static class TestModules
{
    private static readonly ConcurrentDictionary<(string, string?), byte[]> Cache = new();

    public static byte[] Build(string name, string? vermagic = "0.0.0-fake SMP mod_unload")
        => Cache.GetOrAdd((name, vermagic), key => Compile(key.Item1, key.Item2));

    /// <summary>Writes the module as <c>&lt;dir&gt;/&lt;file&gt;</c>, compressed by the extension (.ko, .ko.gz, .ko.xz, .ko.zst).</summary>
    public static string Write(string directory, string fileName, string name, string? vermagic = "0.0.0-fake SMP mod_unload")
    {
        byte[] image = Build(name, vermagic);
        byte[] data = fileName switch
        {
            _ when fileName.EndsWith(".ko.xz", StringComparison.Ordinal) => CompressionTool.CompressFile(image, "xz", "--check=crc32"),
            _ when fileName.EndsWith(".ko.zst", StringComparison.Ordinal) => CompressionTool.CompressFile(image, "zstd", "-q"),
            _ when fileName.EndsWith(".ko.gz", StringComparison.Ordinal) => CompressionTool.CompressFile(image, "gzip"),
            _ => image,
        };
        string path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, data);
        return path;
    }

    private static byte[] Compile(string name, string? vermagic)
    {
        string work = Path.Combine(Path.GetTempPath(), $"modkit-testmod-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            string source = Path.Combine(work, "m.c");
            string vermagicLine = vermagic is null
                ? string.Empty
                : $"__attribute__((section(\".modinfo\"), used)) static const char vm[] = \"vermagic={vermagic}\";\n";
            File.WriteAllText(source,
                "__attribute__((section(\".modinfo\"), used)) static const char lic[] = \"license=GPL\";\n" +
                vermagicLine +
                $"__attribute__((section(\".modinfo\"), used)) static const char nm[] = \"name={name}\";\n" +
                "struct module { char head[24]; char name[56]; };\n" +
                $"__attribute__((section(\".gnu.linkonce.this_module\"), used)) struct module __this_module = {{ .name = \"{name}\" }};\n" +
                "__attribute__((section(\"__versions\"), used)) static const char versions[64] = \"x\";\n");
            string output = Path.Combine(work, "m.ko");
            var cc = ProcessRunner.Run(ProcessRunner.Require("/usr/bin/cc"), ["-c", "-O0", "-o", output, source]);
            if (cc.ExitCode != 0)
            {
                throw new InvalidOperationException("cc failed: " + cc.StderrText);
            }

            return File.ReadAllBytes(output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

// Decompresses every module of the .ko.xz and .ko.zst trees made by scripts/fetch-kernel.sh, reports
// throughput (decompressed MB/s, 1 MB = 10^6 bytes) and checks every image against the plain .ko.
// Run: dotnet run -c Release bench/codecs-throughput.cs [release]
//
// Measured 2025-11-25, 2-core Debian 12 VM shared with other jobs (load average 3-4, so +-20%),
// 6.1.0-56-amd64, 4023 modules, 397.2 MB uncompressed, all images byte-identical to the plain .ko:
//   xz  (79.5 MB):  1 thread 6.87 s = 58 MB/s, 2 threads 5.17 s = 77 MB/s; from memory 66-69 MB/s
//   zst (107.3 MB): 1 thread 0.99 s = 401 MB/s, 2 threads 0.62 s = 642 MB/s; from memory 615-679 MB/s
//   same moment, whole tree as one concatenated stream: `xz -dc` 5.26 s (75 MB/s), `zstd -dc` 0.67 s (590 MB/s)
// Pooling the native decoder contexts (NativeContextPool) took zstd from 152 to 401 MB/s (1 thread).
#:project ../src/ModKit/ModKit.csproj
#:property PublishAot=false
using System.Diagnostics;
using ModKit.Files;

string release = args.Length > 0 ? args[0] : "6.1.0-56-amd64";
string root = Path.Combine(Environment.GetEnvironmentVariable("MODKIT_CACHE")
    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "modkit"), release);
string plainDirectory = Path.Combine(root, "plain", "lib", "modules", release);

foreach ((string tree, string extension) in new[] { ("xz", ".ko.xz"), ("zst", ".ko.zst") })
{
    string directory = Path.Combine(root, tree, "lib", "modules", release);
    string[] files = Directory.GetFiles(directory, "*" + extension, SearchOption.AllDirectories);
    long compressed = files.Sum(f => new FileInfo(f).Length);

    // Verification pass (also warms the page cache and the JIT).
    int mismatches = 0;
    foreach (string file in files)
    {
        using var handle = File.OpenHandle(file);
        byte[] image = ModuleDecompressor.Decompress(handle, ModuleCompressionDetector.Detect(handle));
        string plain = Path.Combine(plainDirectory, ModuleFileName.StripModuleExtension(Path.GetRelativePath(directory, file)) + ".ko");
        if (!image.AsSpan().SequenceEqual(File.ReadAllBytes(plain)))
        {
            mismatches++;
            Console.WriteLine($"MISMATCH {file}");
        }
    }

    foreach (int threads in new[] { 1, 2 })
    {
        long decompressed = 0;
        var stopwatch = Stopwatch.StartNew();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = threads }, file =>
        {
            using var handle = File.OpenHandle(file);
            byte[] image = ModuleDecompressor.Decompress(handle, ModuleCompressionDetector.Detect(handle));
            Interlocked.Add(ref decompressed, image.Length);
        });
        stopwatch.Stop();
        double seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"{tree}: {files.Length} modules, {compressed / 1e6:F1} MB -> {decompressed / 1e6:F1} MB, " +
                          $"{threads} thread(s): {seconds:F2} s = {decompressed / 1e6 / seconds:F0} MB/s; mismatches: {mismatches}");
    }
}

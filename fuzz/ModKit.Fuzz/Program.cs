using SharpFuzz;

namespace ModKit.Fuzz;

/// <summary>
/// <c>ModKit.Fuzz TARGET</c>: the afl-fuzz harness (SharpFuzz's out-of-process persistent loop) for one target of
/// <see cref="FuzzTargets"/>. <c>ModKit.Fuzz TARGET --replay FILE...</c> runs files once each and prints what each
/// threw (fuzz/run.sh's triage of crashes and hangs).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || !FuzzTargets.All.ContainsKey(args[0]))
        {
            Console.Error.WriteLine($"usage: ModKit.Fuzz TARGET [--replay FILE...]; targets: {string.Join(' ', FuzzTargets.All.Keys)}");
            return 2;
        }

        string target = args[0];
        if (args.Length > 1 && args[1] == "--replay")
        {
            int failed = 0;
            foreach (string file in args.Skip(2))
            {
                try
                {
                    FuzzTargets.Run(target, File.ReadAllBytes(file));
                    Console.WriteLine($"ok {file}");
                }
                catch (Exception e)
                {
                    failed++;
                    Console.WriteLine($"FAILED {file}: {e}");
                }
            }

            return failed == 0 ? 0 : 1;
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            FuzzTargets.Run(target, buffer.ToArray());
        });
        return 0;
    }
}

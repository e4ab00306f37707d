using ModKit.Depmod;

namespace ModKit.Tests.Depmod;

public sealed class ReadScheduleTests
{
    private const long Large = ReadSchedule.LargeImageBytes / 4;

    private static DepmodModule Module(string file, long? compressedLength) =>
        DepmodEngine.NewModule("/lib/modules/x", $"/lib/modules/x/kernel/{file}", compressedLength);

    [Fact]
    public void OneThread_LargeCompressedFirst_ThenCompressedLargestFirst_ThenPlainInModuleOrder()
    {
        var modules = new List<DepmodModule>
        {
            Module("p1.ko", null),
            Module("small.ko.xz", 100),
            Module("big.ko.xz", Large * 3),
            Module("p2.ko", null),
            Module("mid.ko.zst", 5000),
            Module("tie.ko.xz", 100),
            Module("bigger.ko.xz", Large * 7),
        };
        var order = new List<string>();

        new ReadSchedule(modules).Run(1, i => order.Add(modules[i].Name));

        Assert.Equal(["bigger", "big", "mid", "small", "tie", "p1", "p2"], order);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void ManyThreads_ReadEveryModuleOnce_AndOneLargeImageAtATime(int threads)
    {
        var random = new Random(15);
        var modules = Enumerable.Range(0, 3000).Select(i => i % 3 == 0
            ? Module($"m{i}.ko", null)
            : Module($"m{i}.ko.xz", i % 400 == 1 ? Large + random.Next(1000) : random.Next(1, 100_000))).ToList();
        var reads = new int[modules.Count];
        int largeInFlight = 0;
        int mostLargeInFlight = 0;

        new ReadSchedule(modules).Run(threads, i =>
        {
            Interlocked.Increment(ref reads[i]);
            if (modules[i].CompressedLength >= Large)
            {
                int now = Interlocked.Increment(ref largeInFlight);
                InterlockedMax(ref mostLargeInFlight, now);
                Thread.SpinWait(20_000);
                Interlocked.Decrement(ref largeInFlight);
            }
        });

        Assert.All(reads, count => Assert.Equal(1, count));
        Assert.Equal(1, mostLargeInFlight);
    }

    [Fact]
    public void FilesTheScanDidNotMeasure_AreMeasuredOrCountAsEmpty()
    {
        string root = Directory.CreateTempSubdirectory("modkit-schedule-").FullName;
        try
        {
            File.WriteAllBytes($"{root}/a.ko.xz", new byte[10]);
            File.WriteAllBytes($"{root}/b.ko.xz", new byte[20]);
            var modules = new List<DepmodModule>
            {
                DepmodEngine.NewModule(root, $"{root}/missing.ko.xz"),
                DepmodEngine.NewModule(root, $"{root}/a.ko.xz"),
                DepmodEngine.NewModule(root, $"{root}/b.ko.xz"),
            };
            var order = new List<string>();

            new ReadSchedule(modules).Run(1, i => order.Add(modules[i].Name));

            Assert.Equal(["b", "a", "missing"], order);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
                return;
            seen = previous;
        }
    }
}

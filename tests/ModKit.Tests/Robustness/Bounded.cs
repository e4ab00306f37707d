namespace ModKit.Tests.Robustness;

/// <summary>Runs a piece of parsing work with a time limit and an allocation limit.</summary>
internal static class Bounded
{
    public static void Run(string label, long maxAllocatedBytes, Action work)
    {
        var task = Task.Run(() =>
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            work();
            return GC.GetAllocatedBytesForCurrentThread() - start;
        });
        Assert.True(task.Wait(TimeSpan.FromSeconds(20)), $"{label}: hung");
        Assert.True(task.Result < maxAllocatedBytes, $"{label}: allocated {task.Result} bytes");
    }
}

namespace ModKit.Depmod;

/// <summary>
/// The order in which depmod's threads read the modules. Compressed files go first, largest first, since their
/// cost is decompressing the whole file: the longest jobs first leave only short ones for the end, so no thread
/// is still decoding a big driver long after the others are done. Plain files follow in their own order (their
/// cost is the few sections read, not the file). The large compressed images go through one lane, one at a
/// time, so the peak memory holds one of them rather than one per thread; a thread only waits for that lane
/// when nothing else is left to read.
/// </summary>
internal sealed class ReadSchedule
{
    /// <summary>The decompressed size (guessed as four times the file's) from which an image takes the large lane.</summary>
    public const long LargeImageBytes = 4 << 20;

    private readonly int[] _large;
    private readonly int[] _other;
    private readonly object _largeLane = new();
    private int _largeTaken;
    private int _otherTaken;

    public ReadSchedule(IReadOnlyList<DepmodModule> modules)
    {
        var compressed = new List<(long Length, int Index)>();
        var plain = new List<int>();
        for (int i = 0; i < modules.Count; i++)
        {
            string path = modules[i].Path;
            if (path.EndsWith(".ko", StringComparison.Ordinal))
                plain.Add(i);
            else
                compressed.Add((modules[i].CompressedLength ?? FileLength(path), i));
        }

        // Largest first; equal sizes in module order, so a single thread always reads in the same order.
        compressed.Sort((a, b) => a.Length != b.Length ? b.Length.CompareTo(a.Length) : a.Index.CompareTo(b.Index));
        _large = [.. compressed.Where(c => c.Length * 4 >= LargeImageBytes).Select(c => c.Index)];
        _other = [.. compressed.Where(c => c.Length * 4 < LargeImageBytes).Select(c => c.Index), .. plain];
    }

    /// <summary>Calls <paramref name="read"/> once for every module index, on up to <paramref name="threads"/> threads.</summary>
    public void Run(int threads, Action<int> read)
    {
        if (threads <= 1)
        {
            Work(read);
            return;
        }

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Work(read));
    }

    private void Work(Action<int> read)
    {
        while (true)
        {
            if (LargeRemain && Monitor.TryEnter(_largeLane))
            {
                try
                {
                    if (TryTake(_large, ref _largeTaken, out int large))
                    {
                        read(large);
                        continue;
                    }
                }
                finally
                {
                    Monitor.Exit(_largeLane);
                }
            }

            if (TryTake(_other, ref _otherTaken, out int other))
            {
                read(other);
                continue;
            }

            if (!LargeRemain)
                return;

            lock (_largeLane)
            {
                if (TryTake(_large, ref _largeTaken, out int large))
                    read(large);
            }
        }
    }

    private bool LargeRemain => Volatile.Read(ref _largeTaken) < _large.Length;

    private static bool TryTake(int[] queue, ref int taken, out int index)
    {
        int position = Interlocked.Increment(ref taken) - 1;
        if (position < queue.Length)
        {
            index = queue[position];
            return true;
        }

        index = -1;
        return false;
    }

    private static long FileLength(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // the read reports it
        }
    }
}

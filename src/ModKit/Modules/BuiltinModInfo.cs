using ModKit.Elf;

namespace ModKit.Modules;

/// <summary>
/// Reads <c>modules.builtin.modinfo</c>: the <c>.modinfo</c> strings of the modules built into the
/// kernel, each stored as <c>&lt;module&gt;.&lt;key&gt;=&lt;value&gt;\0</c>, grouped by module. The file is
/// streamed, record by record, with kmod's rules (<c>libkmod/libkmod-builtin.c</c>): a module's
/// strings are the consecutive records that carry its prefix, and the scan stops at a record without
/// a dot.
/// </summary>
public static class BuiltinModInfo
{
    /// <summary>The file's name inside a module directory.</summary>
    public const string FileName = "modules.builtin.modinfo";

    /// <summary>Finds the strings of builtin module <paramref name="name"/>.</summary>
    /// <param name="path">The path of <c>modules.builtin.modinfo</c>.</param>
    /// <param name="name">The normalised module name.</param>
    /// <param name="entries">The module's entries, without the <c>name.</c> prefix, in file order.</param>
    /// <returns>
    /// 0 on success; otherwise the error number kmod returns: <see cref="Errno.ENOENT"/> when the file
    /// does not exist (kernels before 5.2 have none), <see cref="Errno.ENOSYS"/> when the module is not
    /// in it.
    /// </returns>
    public static int TryRead(string path, string name, out List<ModInfoEntry> entries)
    {
        entries = [];
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 16 * 1024);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Errno.FromException(e);
        }

        using (stream)
        {
            byte[] wanted = System.Text.Encoding.UTF8.GetBytes(name);
            byte[]? group = null;
            var reader = new NulRecordReader(stream);
            while (reader.TryNext(out var record))
            {
                int dot = record.AsSpan().IndexOf((byte)'.');
                if (dot < 0)
                {
                    // kmod logs "unexpected string without modname prefix" and stops scanning.
                    break;
                }

                var prefix = record.AsSpan(0, dot);
                bool inGroup = group is not null && prefix.SequenceEqual(group);
                if (!inGroup)
                {
                    if (entries.Count > 0)
                    {
                        return 0; // the module's group ended
                    }

                    group = prefix.ToArray();
                }

                if (prefix.SequenceEqual(wanted))
                {
                    entries.Add(ModInfoStrings.Split(record.AsMemory(dot + 1)));
                }
            }

            return entries.Count > 0 ? 0 : Errno.ENOSYS;
        }
    }

    /// <summary>Reads NUL-terminated records from a stream.</summary>
    private sealed class NulRecordReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;
        private bool _eof;

        public bool TryNext(out byte[] record)
        {
            List<byte>? pending = null;
            while (true)
            {
                if (_start == _end)
                {
                    if (_eof || !Fill())
                    {
                        // kmod's reader drops a last record that has no NUL.
                        record = [];
                        return false;
                    }
                }

                var available = _buffer.AsSpan(_start, _end - _start);
                int nul = available.IndexOf((byte)0);
                if (nul >= 0)
                {
                    if (pending is null)
                    {
                        record = available[..nul].ToArray();
                    }
                    else
                    {
                        pending.AddRange(available[..nul]);
                        record = pending.ToArray();
                    }

                    _start += nul + 1;
                    return true;
                }

                pending ??= new List<byte>(available.Length * 2);
                pending.AddRange(available);
                _start = _end;
            }
        }

        private bool Fill()
        {
            _start = 0;
            _end = stream.Read(_buffer, 0, _buffer.Length);
            _eof = _end == 0;
            return !_eof;
        }
    }
}

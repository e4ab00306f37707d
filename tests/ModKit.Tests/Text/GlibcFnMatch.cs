using ModKit.Tests.Support;

namespace ModKit.Tests.Text;

/// <summary>glibc's own fnmatch, through a small C program compiled with <c>cc</c> once per test run.</summary>
public sealed class GlibcFnMatch : IDisposable
{
    private const string Source = """
        #include <fnmatch.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        /* stdin: NUL-terminated pattern, string, pattern, string...; stdout: '1' match, '0' no match, 'E' error */
        int main(void)
        {
            size_t cap = 1 << 16, len = 0, r;
            char *buf = malloc(cap);
            while ((r = fread(buf + len, 1, cap - len, stdin)) > 0) {
                len += r;
                if (len == cap)
                    buf = realloc(buf, cap *= 2);
            }
            for (size_t i = 0; i < len;) {
                const char *p = buf + i;
                i += strlen(p) + 1;
                const char *s = buf + i;
                i += strlen(s) + 1;
                int rc = fnmatch(p, s, 0);
                putchar(rc == 0 ? '1' : rc == FNM_NOMATCH ? '0' : 'E');
            }
            return 0;
        }
        """;

    private readonly string _directory;
    private readonly string _program;

    public GlibcFnMatch()
    {
        _directory = Directory.CreateTempSubdirectory("modkit-fnmatch-").FullName;
        string source = Path.Combine(_directory, "fnmatch.c");
        _program = Path.Combine(_directory, "fnmatch");
        File.WriteAllText(source, Source);
        var cc = ProcessRunner.Run(ProcessRunner.Require("cc"), ["-O2", "-o", _program, source]);
        if (cc.ExitCode != 0)
            throw new InvalidOperationException("cannot compile the fnmatch harness: " + cc.StderrText);
    }

    /// <summary>glibc's answers for each pair, in order.</summary>
    public bool[] Match(IReadOnlyList<(byte[] Pattern, byte[] Text)> pairs)
    {
        var input = new MemoryStream();
        foreach (var (pattern, text) in pairs)
        {
            input.Write(pattern);
            input.WriteByte(0);
            input.Write(text);
            input.WriteByte(0);
        }

        var result = ProcessRunner.Run(_program, [], stdin: input.ToArray());
        var (exit, stdout, stderr) = (result.ExitCode, result.StdoutText, result.StderrText);
        if (exit != 0 || stdout.Length != pairs.Count || stdout.Contains('E'))
            throw new InvalidOperationException($"fnmatch harness failed ({exit}): {stderr}");
        return [.. stdout.Select(c => c == '1')];
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

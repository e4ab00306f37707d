using System.Diagnostics;
using System.Text;
using ModKit.Text;

namespace ModKit.Tests.Text;

public class FnMatchTests(GlibcFnMatch glibc) : IClassFixture<GlibcFnMatch>
{
    public static TheoryData<string, string, bool> Known => new()
    {
        { "pci:v00008086d*", "pci:v00008086d00001533", true },
        { "*", "", true },
        { "?", "", false },
        { "a?c", "abc", true },
        { "[abc]", "b", true },
        { "[!abc]", "b", false },
        { "[^abc]", "d", true },
        { "[]a]", "]", true },
        { "[!]a]", "b", true },
        { "[]-a]", "^", true },
        { "[a-]", "-", true },
        { "[z-a]", "m", false },
        { "\\*", "*", true },
        { "\\", "\\", false },
        { "[a", "a", false },
        { "[a", "[a", true },
        { "[", "[", true },
        { "[[", "[[", true },
        { "[[a", "[a", false },
        { "[[[=x", "[[[=x", false },
        { "[[:alpha:]]", "q", true },
        { "[[:digit:]x]", "x", true },
        { "[[:nope:]]", "n", false },
        { "[[.a.]-z]", "q", true },
        { "[[=a=]]", "a", true },
        { "*.ko", "dir/.ko", true },
    };

    [Theory]
    [MemberData(nameof(Known))]
    public void KnownCasesAgreeWithGlibc(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, FnMatch.IsMatch(pattern, text));
        Assert.Equal(expected, glibc.Match([(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(text))])[0]);
    }

    [Fact]
    public void RandomPatternsAgreeWithGlibc()
    {
        string[] tokens =
        [
            "a", "b", "c", "z", "A", "0", "-", "]", "[", "!", "^", "\\", ":", ".", "=", "*", "?", "*", "?", "/",
            "[:alpha:]", "[:digit:]", "[:upper:]", "[:space:]", "[:punct:]", "[:xdigit:]", "[:nope:]", "[:",
            "[.a.]", "[.-.]", "[.ab.]", "[=b=]", "[=", "\x80", "\xff", "]", "[a-c]", "[!a]", "[^b]",
        ];
        const string textAlphabet = "abcz-]![:.=\\A0/^ \x80\xff";
        var random = new Random(20240601);
        var pairs = new List<(byte[], byte[])>();
        for (int n = 0; n < 30000; n++)
        {
            var pattern = new StringBuilder();
            int length = random.Next(0, 9);
            for (int i = 0; i < length; i++)
                pattern.Append(tokens[random.Next(tokens.Length)]);
            var text = new StringBuilder();
            if (random.Next(3) == 0)
            {
                // Derive the text from the pattern so that a good share of pairs match.
                foreach (char ch in pattern.ToString())
                {
                    bool special = ch is '*' or '?' or '[' or ']' or '\\';
                    text.Append(special && random.Next(2) == 0 ? textAlphabet[random.Next(textAlphabet.Length)] : ch);
                }
            }
            else
            {
                int textLength = random.Next(0, 7);
                for (int i = 0; i < textLength; i++)
                    text.Append(textAlphabet[random.Next(textAlphabet.Length)]);
            }

            pairs.Add((Latin1(pattern.ToString()), Latin1(text.ToString())));
        }

        AssertAgree(pairs);
    }

    [Fact]
    public void StarOnlyPatternsAgreeWithGlibc()
    {
        // Literals and '*' only, as modules.alias has them: matched by searching for the pieces between stars.
        string[] pieces = ["a", "b", "ab", "ba", "aa", "v0", "d*", "*", "*", "**", ":", "pci:v", "sv*sd*", "\x80"];
        const string alphabet = "ab:v0d";
        var random = new Random(20261207);
        var pairs = new List<(byte[], byte[])>
        {
            (Latin1("a*a"), Latin1("a")), (Latin1("a*a"), Latin1("aa")), (Latin1("*"), Latin1("")), (Latin1("**a**"), Latin1("a")),
            (Latin1("ab*ba"), Latin1("aba")), (Latin1("ab*ba"), Latin1("abba")), (Latin1("*ab*ab*"), Latin1("abab")), (Latin1("*ab*ab*"), Latin1("aab")),
        };
        for (int n = 0; n < 30000; n++)
        {
            var pattern = new StringBuilder();
            int length = random.Next(0, 7);
            for (int i = 0; i < length; i++)
                pattern.Append(pieces[random.Next(pieces.Length)]);
            var text = new StringBuilder();
            foreach (char ch in pattern.ToString())
            {
                if (ch == '*')
                {
                    for (int k = random.Next(0, 4); k > 0; k--)
                        text.Append(alphabet[random.Next(alphabet.Length)]);
                }
                else if (random.Next(12) != 0)
                {
                    text.Append(ch);
                }
            }

            pairs.Add((Latin1(pattern.ToString()), Latin1(text.ToString())));
        }

        AssertAgree(pairs);
    }

    [Fact]
    public void HostilePatternsAgreeWithGlibcInLinearishTime()
    {
        string manyA = new('a', 4000);
        var pairs = new List<(byte[], byte[])>
        {
            (Latin1(string.Concat(Enumerable.Repeat("*a", 200)) + "b"), Latin1(manyA)),
            (Latin1(string.Concat(Enumerable.Repeat("*a", 200))), Latin1(manyA)),
            (Latin1(new string('*', 5000) + "b"), Latin1(manyA)),
            (Latin1(string.Concat(Enumerable.Repeat("*?", 300)) + "c"), Latin1(manyA)),
            (Latin1(string.Concat(Enumerable.Repeat("[a]*", 300)) + "b"), Latin1(manyA)),
            (Latin1(new string('[', 5000)), Latin1(new string('[', 5000))),
            (Latin1("[[:" + new string('a', 2046) + "1]"), Latin1("1")),
            (Latin1("[[:" + new string('a', 2047) + "1]"), Latin1("1")),
            (Latin1("[[:" + new string('a', 2048) + "1]"), Latin1("1")),
            (Latin1("[1[:" + new string('a', 2046) + "1]"), Latin1("1")),
            (Latin1("[1[:" + new string('a', 2047) + "1]"), Latin1("1")),
            (Latin1("*" + new string('a', 3000) + "b"), Latin1(manyA)),
        };

        var stopwatch = Stopwatch.StartNew();
        AssertAgree(pairs);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void StringOverloadAgreesWithGlibcOnTheirUtf8()
    {
        // Plain names take a shortcut (first character, then ordinal equality); NUL, surrogates and non-ASCII
        // characters must still give what fnmatch gives on the UTF-8 bytes a C program would receive.
        string[] pieces = ["a", "b", "snd", "_", "-", "*", "?", "[a-c]", "\\", "\0", "é", "\uFFFD", "\uD800", "\uDC00", "😀", ":"];
        var random = new Random(20261126);
        var strings = new List<(string Pattern, string Text)>();
        for (int n = 0; n < 20000; n++)
        {
            string pattern = RandomString(random, pieces);
            string text = random.Next(3) == 0 ? pattern.Replace("*", "", StringComparison.Ordinal) : RandomString(random, pieces);
            strings.Add((pattern, text));
        }

        bool[] expected = glibc.Match(strings.ConvertAll(p => (CString(p.Pattern), CString(p.Text))));
        var failures = new List<string>();
        for (int i = 0; i < strings.Count; i++)
        {
            if (FnMatch.IsMatch(strings[i].Pattern, strings[i].Text) != expected[i])
                failures.Add($"\"{strings[i].Pattern}\" / \"{strings[i].Text}\": glibc {expected[i]}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} differ:\n" + string.Join("\n", failures.Take(40)));
    }

    // The UTF-8 bytes up to the first NUL: what a C program sees (the harness reads NUL-terminated strings).
    private static byte[] CString(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        int nul = Array.IndexOf(bytes, (byte)0);
        return nul < 0 ? bytes : bytes[..nul];
    }

    private static string RandomString(Random random, string[] pieces)
    {
        var text = new StringBuilder();
        int length = random.Next(0, 5);
        for (int i = 0; i < length; i++)
            text.Append(pieces[random.Next(pieces.Length)]);
        return text.ToString();
    }

    [Fact]
    public void StopsAtNul()
    {
        Assert.True(FnMatch.IsMatch("ab\0cd"u8, "ab"u8));
        Assert.True(FnMatch.IsMatch("a*"u8, "ab\0zz"u8));
    }

    private void AssertAgree(List<(byte[] Pattern, byte[] Text)> pairs)
    {
        bool[] expected = glibc.Match(pairs);
        var failures = new List<string>();
        for (int i = 0; i < pairs.Count; i++)
        {
            bool actual = FnMatch.IsMatch(pairs[i].Pattern, pairs[i].Text);
            if (actual != expected[i])
                failures.Add($"fnmatch(\"{Show(pairs[i].Pattern)}\", \"{Show(pairs[i].Text)}\"): glibc {expected[i]}, ours {actual}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {pairs.Count} differ:\n" + string.Join("\n", failures.Take(40)));
    }

    private static byte[] Latin1(string s) => Encoding.Latin1.GetBytes(s);

    private static string Show(byte[] bytes)
    {
        string s = Encoding.Latin1.GetString(bytes);
        return s.Length > 80 ? s[..80] + $"...({s.Length})" : s;
    }
}

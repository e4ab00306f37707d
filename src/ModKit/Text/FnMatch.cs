using System.Runtime.CompilerServices;
using System.Text;

namespace ModKit.Text;

/// <summary>
/// Shell-pattern matching with the semantics of glibc's <c>fnmatch(pattern, string, 0)</c> in the C locale,
/// which kmod uses to match module aliases (<c>libkmod/libkmod-index.c</c>, <c>libkmod/libkmod-config.c</c>).
/// </summary>
/// <remarks>
/// <para>
/// Supported, as glibc 2.36 does without flags: <c>*</c> (any sequence, including <c>/</c> and a leading
/// <c>.</c>), <c>?</c> (any one byte), <c>\x</c> (a literal <c>x</c>; a trailing <c>\</c> never matches),
/// bracket expressions <c>[...]</c> with ranges by byte value, negation by <c>!</c> or <c>^</c>, <c>]</c> as
/// the first member, backslash escapes inside brackets, the twelve POSIX classes (<c>[[:alpha:]]</c>, ASCII
/// only as in the C locale; an unknown class name never matches), single-byte collating symbols
/// (<c>[[.a.]]</c>) and equivalence classes (<c>[[=a=]]</c>). A <c>[</c> whose expression is not closed
/// before the end of the pattern is an ordinary character; other malformed brackets (an unknown class, a multi-byte collating symbol) never match.
/// <c>POSIXLY_CORRECT</c> is assumed unset (so <c>^</c> negates).
/// </para>
/// <para>
/// Patterns and strings are C strings: each ends at its first NUL byte. Matching takes time proportional to
/// the pattern length times the string length, never exponential: like glibc, the text between two
/// <c>*</c> is committed at the first position where it matches.
/// </para>
/// </remarks>
public static class FnMatch
{
    /// <summary>glibc's CHAR_CLASS_MAX_LENGTH (CHARCLASS_NAME_MAX): longest class name scanned in <c>[:name:]</c>.</summary>
    private const int CharClassMaxLength = 2048;

    /// <summary>Whether <paramref name="text"/> matches the shell pattern <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The pattern; UTF-8 encoded before matching, as a C program receives it.</param>
    /// <param name="text">The string to test; UTF-8 encoded before matching.</param>
    /// <returns><see langword="true"/> where glibc's <c>fnmatch(pattern, text, 0)</c> returns 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> or <paramref name="text"/> is null.</exception>
    [SkipLocalsInit]
    public static bool IsMatch(string pattern, string text)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(text);

        // A pattern starting with an ordinary ASCII character matches only a text starting with it (a NUL
        // would end the text, and a non-ASCII character encodes to bytes >= 0x80): most pairs end here.
        if (pattern.Length > 0 && IsOrdinaryAscii(pattern[0]) && (text.Length == 0 || text[0] != pattern[0]))
        {
            return false;
        }

        // Most patterns (softdep lines, install and remove commands, many aliases) are plain names: for them
        // fnmatch compares bytes.
        if (IsPlain(pattern) && IsPlain(text))
        {
            return string.Equals(pattern, text, StringComparison.Ordinal);
        }

        int patternLength = Encoding.UTF8.GetMaxByteCount(pattern.Length);
        int textLength = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (patternLength + textLength > 1024)
        {
            return IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(text));
        }

        // Module names and aliases are short: encode them on the stack, not in two arrays per call.
        Span<byte> buffer = stackalloc byte[1024];
        int p = Encoding.UTF8.GetBytes(pattern, buffer);
        int t = Encoding.UTF8.GetBytes(text, buffer[p..]);
        return IsMatch(buffer[..p], buffer.Slice(p, t));
    }

    /// <summary>Whether <paramref name="text"/> matches the shell pattern <paramref name="pattern"/>, byte by byte.</summary>
    /// <param name="pattern">The pattern bytes; a NUL byte ends it.</param>
    /// <param name="text">The string bytes; a NUL byte ends it.</param>
    /// <returns><see langword="true"/> where glibc's <c>fnmatch(pattern, text, 0)</c> returns 0.</returns>
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text)
    {
        pattern = UpToNul(pattern);
        var s = UpToNul(text);

        // The patterns of modules.alias are literals and '*' (pci:v00008086d*sv*sd*bc*sc*i*): for them the text
        // between stars is searched for, leftmost first, which is what glibc's commitment comes to.
        if (pattern.IndexOfAny("?[\\"u8) < 0)
            return MatchStarsOnly(pattern, s);

        return Match(new Cursor(pattern), s, 0, 0, stopAtStar: false, out _, out _) == Outcome.Match;
    }

    // A pattern of literal bytes and '*' only: the text starts with what precedes the first star, ends with what
    // follows the last, and holds each piece between in order, without overlaps.
    private static bool MatchStarsOnly(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text)
    {
        int first = pattern.IndexOf((byte)'*');
        if (first < 0)
            return pattern.SequenceEqual(text);
        if (!text.StartsWith(pattern[..first]))
            return false;
        text = text[first..];
        pattern = pattern[(first + 1)..];

        int last = pattern.LastIndexOf((byte)'*');
        var tail = last < 0 ? pattern : pattern[(last + 1)..];
        if (!text.EndsWith(tail))
            return false;
        text = text[..^tail.Length];
        pattern = last < 0 ? [] : pattern[..last];

        while (!pattern.IsEmpty)
        {
            int star = pattern.IndexOf((byte)'*');
            var piece = star < 0 ? pattern : pattern[..star];
            pattern = star < 0 ? [] : pattern[(star + 1)..];
            if (piece.IsEmpty)
                continue;
            int at = text.IndexOf(piece);
            if (at < 0)
                return false;
            text = text[(at + piece.Length)..];
        }

        return true;
    }

    private static ReadOnlySpan<byte> UpToNul(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        return nul < 0 ? bytes : bytes[..nul];
    }

    private enum Outcome
    {
        NoMatch,
        Match,
        /// <summary>Reached a <c>*</c> while matching a segment (glibc's <c>ends</c> record).</summary>
        Star,
    }

    private enum BracketOutcome
    {
        NoMatch,
        Match,
        /// <summary>The bracket expression is unterminated: the <c>[</c> is an ordinary character.</summary>
        Literal,
    }

    /// <summary>The pattern as glibc reads it: every index past the end reads as the terminating NUL.</summary>
    private readonly ref struct Cursor(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public int Length => _bytes.Length;

        public byte this[int index] => (uint)index < (uint)_bytes.Length ? _bytes[index] : (byte)0;
    }

    /// <summary>
    /// Matches the pattern from <paramref name="p"/> against the string from <paramref name="n"/>.
    /// With <paramref name="stopAtStar"/>, returns <see cref="Outcome.Star"/> at the first <c>*</c> with the
    /// positions reached, which is how glibc matches the segment after a <c>*</c> (<c>fnmatch_loop.c</c>).
    /// </summary>
    private static Outcome Match(Cursor pat, ReadOnlySpan<byte> s, int p, int n, bool stopAtStar, out int starP, out int starN)
    {
        starP = 0;
        starN = 0;
        while (p < pat.Length)
        {
            byte c = pat[p++];
            switch (c)
            {
                case (byte)'?':
                    if (n == s.Length)
                        return Outcome.NoMatch;
                    break;

                case (byte)'\\':
                    c = pat[p++];
                    if (c == 0)
                        return Outcome.NoMatch; // a trailing backslash never matches
                    if (n == s.Length || s[n] != c)
                        return Outcome.NoMatch;
                    break;

                case (byte)'*':
                    if (stopAtStar)
                    {
                        starP = p - 1;
                        starN = n;
                        return Outcome.Star;
                    }

                    // A run of '*' and '?' is one star that must consume at least as many bytes as it has '?'.
                    for (c = pat[p]; c == '?' || c == '*'; c = pat[++p])
                    {
                        if (c == '?')
                        {
                            if (n == s.Length)
                                return Outcome.NoMatch;
                            n++;
                        }
                    }

                    if (p >= pat.Length)
                        return Outcome.Match;

                    // Try the segment up to the next '*' at each position; commit to the first that matches.
                    bool committed = false;
                    for (; n < s.Length; n++)
                    {
                        var segment = Match(pat, s, p, n, stopAtStar: true, out int nextP, out int nextN);
                        if (segment == Outcome.Match)
                            return Outcome.Match;
                        if (segment == Outcome.Star)
                        {
                            p = nextP;
                            n = nextN;
                            committed = true;
                            break;
                        }
                    }

                    if (!committed)
                        return Outcome.NoMatch;
                    continue; // p is at the next '*'; n is where its segment starts

                case (byte)'[':
                    if (n == s.Length)
                        return Outcome.NoMatch;
                    switch (MatchBracket(pat, ref p, s[n]))
                    {
                        case BracketOutcome.NoMatch:
                            return Outcome.NoMatch;
                        case BracketOutcome.Literal:
                            if (s[n] != '[')
                                return Outcome.NoMatch;
                            break;
                    }
                    break;

                default:
                    if (n == s.Length || s[n] != c)
                        return Outcome.NoMatch;
                    break;
            }

            n++;
        }

        return n == s.Length ? Outcome.Match : Outcome.NoMatch;
    }

    /// <summary>
    /// Evaluates the bracket expression whose <c>[</c> precedes <paramref name="p"/> against byte
    /// <paramref name="fn"/>. On <see cref="BracketOutcome.Match"/>, <paramref name="p"/> is past the closing
    /// <c>]</c>; on <see cref="BracketOutcome.Literal"/>, it is unchanged (just past the <c>[</c>).
    /// </summary>
    private static BracketOutcome MatchBracket(Cursor pat, ref int p, byte fn)
    {
        int pInit = p;
        bool negate = pat[p] == '!' || pat[p] == '^';
        if (negate)
            p++;

        byte c = pat[p++];
        while (true)
        {
            byte cold;
            if (c == '\\')
            {
                if (pat[p] == 0)
                    return BracketOutcome.NoMatch;
                c = pat[p++];
                if (NormalMember(pat, ref p, ref c, fn, out cold))
                    return Matched(pat, ref p, pInit, negate);
            }
            else if (c == '[' && pat[p] == ':')
            {
                int start = p;
                var name = ClassName.None;
                bool isClass = true;
                int length = 0;
                while (true)
                {
                    if (length == CharClassMaxLength)
                        return BracketOutcome.NoMatch; // the name is too long: the pattern is ill-formed
                    c = pat[++p];
                    if (c == ':' && pat[p + 1] == ']')
                    {
                        p += 2;
                        break;
                    }

                    // glibc's test is c < 'a' || c >= 'z': not a class name, so '[' is an ordinary member.
                    if (c < 'a' || c >= 'z')
                    {
                        isClass = false;
                        break;
                    }

                    length++;
                }

                if (isClass)
                {
                    name = ClassName.Parse(pat, start + 1, length);
                    if (name == ClassName.None)
                        return BracketOutcome.NoMatch; // unknown class name
                    if (ClassName.Contains(name, fn))
                        return Matched(pat, ref p, pInit, negate);
                    c = pat[p++];
                    goto Next;
                }

                p = start;
                c = (byte)'[';
                if (NormalMember(pat, ref p, ref c, fn, out cold))
                    return Matched(pat, ref p, pInit, negate);
            }
            else if (c == '[' && pat[p] == '=')
            {
                int start = p;
                byte symbol = pat[++p];
                if (symbol != 0 && pat[p + 1] == '=' && pat[p + 2] == ']')
                {
                    p += 3;
                    if (fn == symbol) // the C locale has no collation rules: a class of one byte
                        return Matched(pat, ref p, pInit, negate);
                    c = pat[p++];
                    goto Next;
                }

                p = start;
                c = (byte)'[';
                if (NormalMember(pat, ref p, ref c, fn, out cold))
                    return Matched(pat, ref p, pInit, negate);
            }
            else if (c == 0)
            {
                p = pInit;
                return BracketOutcome.Literal;
            }
            else if (c == '[' && pat[p] == '.')
            {
                int start = p;
                int length = 0;
                while (true)
                {
                    c = pat[++p];
                    if (c == '.' && pat[p + 1] == ']')
                    {
                        p += 2;
                        break;
                    }
                    if (c == 0)
                        return BracketOutcome.NoMatch;
                    length++;
                }

                bool isRange = pat[p] == '-' && pat[p + 1] != 0;
                if (length != 1)
                    return BracketOutcome.NoMatch; // the C locale only knows one-byte collating symbols
                cold = pat[start + 1];
                if (!isRange && fn == cold)
                    return Matched(pat, ref p, pInit, negate);
                c = pat[p++];
            }
            else
            {
                if (NormalMember(pat, ref p, ref c, fn, out cold))
                    return Matched(pat, ref p, pInit, negate);
            }

            // c is the byte after a member; a '-' not followed by ']' makes that member a range start.
            if (c == '-' && pat[p] != ']')
            {
                byte cend = pat[p++];
                if (cend == '[' && pat[p] == '.')
                {
                    int start = p;
                    int length = 0;
                    while (true)
                    {
                        byte d = pat[++p];
                        if (d == '.' && pat[p + 1] == ']')
                        {
                            p += 2;
                            break;
                        }
                        if (d == 0)
                            return BracketOutcome.NoMatch;
                        length++;
                    }

                    if (length != 1)
                        return BracketOutcome.NoMatch;
                    cend = pat[start + 1];
                }
                else
                {
                    if (cend == '\\')
                        cend = pat[p++];
                    if (cend == 0)
                        return BracketOutcome.NoMatch;
                }

                // The C locale collates by byte value.
                if (cold <= fn && fn <= cend)
                    return Matched(pat, ref p, pInit, negate);
                c = pat[p++];
            }

        Next:
            if (c == ']')
                break;
        }

        return negate ? BracketOutcome.Match : BracketOutcome.NoMatch;
    }

    /// <summary>
    /// An ordinary member <paramref name="c"/> (glibc's <c>normal_bracket</c>): true when it matches
    /// <paramref name="fn"/> and is not the start of a range; otherwise advances <paramref name="c"/> to the
    /// next pattern byte and reports the member as <paramref name="cold"/>.
    /// </summary>
    private static bool NormalMember(Cursor pat, ref int p, ref byte c, byte fn, out byte cold)
    {
        bool isRange = pat[p] == '-' && pat[p + 1] != 0 && pat[p + 1] != ']';
        cold = c;
        if (!isRange && c == fn)
            return true;
        c = pat[p++];
        return false;
    }

    /// <summary>Skips the rest of a bracket expression after a member matched (glibc's <c>matched:</c>).</summary>
    private static BracketOutcome Matched(Cursor pat, ref int p, int pInit, bool negate)
    {
        byte c;
        while ((c = pat[p++]) != ']')
        {
            if (c == 0)
            {
                // Unterminated after a member matched: glibc 2.36 then also takes the '[' literally.
                p = pInit;
                return BracketOutcome.Literal;
            }

            if (c == '\\')
            {
                if (pat[p] == 0)
                    return BracketOutcome.NoMatch;
                p++;
            }
            else if (c == '[' && pat[p] == ':')
            {
                int length = 0;
                int start = p;
                while (true)
                {
                    c = pat[++p];
                    if (++length == CharClassMaxLength)
                        return BracketOutcome.NoMatch;
                    if (pat[p] == ':' && pat[p + 1] == ']')
                        break;
                    if (c < 'a' || c >= 'z')
                    {
                        p = start - 2;
                        break;
                    }
                }

                p += 2;
            }
            else if (c == '[' && pat[p] == '=')
            {
                c = pat[++p];
                if (c == 0)
                    return BracketOutcome.NoMatch;
                c = pat[++p];
                if (c != '=' || pat[p + 1] != ']')
                    return BracketOutcome.NoMatch;
                p += 2;
            }
            else if (c == '[' && pat[p] == '.')
            {
                while (true)
                {
                    c = pat[++p];
                    if (c == 0)
                        return BracketOutcome.NoMatch;
                    if (c == '.' && pat[p + 1] == ']')
                        break;
                }

                p += 2;
            }
        }

        return negate ? BracketOutcome.NoMatch : BracketOutcome.Match;
    }

    /// <summary>The POSIX character classes of the C locale, as glibc's <c>wctype</c> knows them there.</summary>
    private static class ClassName
    {
        public const int None = 0;
        private static readonly string[] Names =
            ["", "alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "xdigit"];

        public static int Parse(Cursor pat, int start, int length)
        {
            for (int i = 1; i < Names.Length; i++)
            {
                string name = Names[i];
                if (name.Length != length)
                    continue;
                int k = 0;
                while (k < length && pat[start + k] == name[k])
                    k++;
                if (k == length)
                    return i;
            }

            return None;
        }

        public static bool Contains(int name, byte b)
        {
            if (b >= 0x80)
                return false; // the C locale classifies only ASCII
            char ch = (char)b;
            return Names[name] switch
            {
                "alnum" => char.IsAsciiLetterOrDigit(ch),
                "alpha" => char.IsAsciiLetter(ch),
                "blank" => ch is ' ' or '\t',
                "cntrl" => ch < 0x20 || ch == 0x7F,
                "digit" => char.IsAsciiDigit(ch),
                "graph" => ch > 0x20 && ch < 0x7F,
                "lower" => char.IsAsciiLetterLower(ch),
                "print" => ch >= 0x20 && ch < 0x7F,
                "punct" => ch > 0x20 && ch < 0x7F && !char.IsAsciiLetterOrDigit(ch),
                "space" => ch is ' ' or '\t' or '\n' or '\v' or '\f' or '\r',
                "upper" => char.IsAsciiLetterUpper(ch),
                "xdigit" => char.IsAsciiHexDigit(ch),
                _ => false,
            };
        }
    }

    private static bool IsOrdinaryAscii(char c) => c is > '\0' and < (char)0x80 and not ('*' or '?' or '[' or '\\');

    /// <summary>
    /// Whether fnmatch takes <paramref name="value"/> literally, byte for byte: no special character, no NUL (the end
    /// of a C string) and no UTF-16 surrogate (a lone one encodes as U+FFFD, like that character itself). Two such
    /// strings match exactly when they are equal.
    /// </summary>
    /// <param name="value">A pattern or a text.</param>
    /// <returns>Whether it is literal.</returns>
    internal static bool IsLiteral(string value) => IsPlain(value);

    // See IsLiteral.
    private static bool IsPlain(string value)
    {
        foreach (char c in value)
        {
            if (c is '*' or '?' or '[' or '\\' or '\0' || char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}

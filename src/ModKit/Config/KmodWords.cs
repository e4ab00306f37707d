namespace ModKit.Config;

/// <summary>
/// The word splitter of kmod_config_add_softdep/_weakdep, quirk included: when the text starts with a
/// single whitespace character, that character stays in the first word (so " pre: a" has no "pre:").
/// </summary>
internal ref struct KmodWords(ReadOnlySpan<char> text)
{
    private readonly ReadOnlySpan<char> _text = text;
    private int _start;
    private int _scan;
    private bool _wasSpace;
    private bool _done;

    /// <summary>The next word; false when there are no more.</summary>
    public bool TryNext(out ReadOnlySpan<char> word)
    {
        while (!_done)
        {
            int s = _scan++;
            bool end = s == _text.Length;
            if (!end)
            {
                if (!IsCSpace(_text[s]))
                {
                    _wasSpace = false;
                    continue;
                }

                if (_wasSpace)
                {
                    _start = s + 1;
                    continue;
                }

                _wasSpace = true;
                if (_start >= s)
                {
                    continue;
                }
            }

            bool emit = !end || !_wasSpace;
            int start = _start;
            _start = s + 1;
            _done = end;
            if (emit)
            {
                word = _text[start..s];
                return true;
            }
        }

        word = default;
        return false;
    }

    // isspace in the C locale.
    private static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}

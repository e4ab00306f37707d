namespace ModKit.Config;

/// <summary>
/// <c>strtok_r</c> over one logical line with the delimiters space and tab, as kmod_config_parse uses it.
/// Words are slices of the line: only what the configuration keeps becomes a string.
/// </summary>
internal ref struct ConfigTokenizer(ReadOnlySpan<char> line)
{
    private readonly ReadOnlySpan<char> _line = line;
    private int _position;

    /// <summary>The next word (<c>strtok_r(NULL, "\t ", ...)</c>), or an empty span at the end of the line.</summary>
    public ReadOnlySpan<char> Next()
    {
        while (_position < _line.Length && IsDelimiter(_line[_position]))
        {
            _position++;
        }

        int start = _position;
        while (_position < _line.Length && !IsDelimiter(_line[_position]))
        {
            _position++;
        }

        var word = _line[start.._position];

        // strtok_r swallows the one delimiter that ended the word.
        if (_position < _line.Length)
        {
            _position++;
        }

        return word;
    }

    /// <summary>The rest of the line verbatim (<c>strtok_r(NULL, "\0", ...)</c>), or an empty span when nothing is left.</summary>
    public ReadOnlySpan<char> Rest()
    {
        var rest = _line[_position..];
        _position = _line.Length;
        return rest;
    }

    private static bool IsDelimiter(char c) => c is ' ' or '\t';
}

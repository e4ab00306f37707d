namespace ModKit.Config;

/// <summary>
/// <c>strtok_r</c> over one logical line with the delimiters space and tab, as kmod_config_parse uses it.
/// </summary>
internal ref struct ConfigTokenizer(string line)
{
    private int _position;

    /// <summary>The next word (<c>strtok_r(NULL, "\t ", ...)</c>), or null at the end of the line.</summary>
    public string? Next()
    {
        while (_position < line.Length && IsDelimiter(line[_position]))
        {
            _position++;
        }

        if (_position >= line.Length)
        {
            return null;
        }

        int start = _position;
        while (_position < line.Length && !IsDelimiter(line[_position]))
        {
            _position++;
        }

        string word = line[start.._position];

        // strtok_r swallows the one delimiter that ended the word.
        if (_position < line.Length)
        {
            _position++;
        }

        return word;
    }

    /// <summary>The rest of the line verbatim (<c>strtok_r(NULL, "\0", ...)</c>), or null when nothing is left.</summary>
    public string? Rest()
    {
        if (_position >= line.Length)
        {
            return null;
        }

        string rest = line[_position..];
        _position = line.Length;
        return rest;
    }

    private static bool IsDelimiter(char c) => c is ' ' or '\t';
}

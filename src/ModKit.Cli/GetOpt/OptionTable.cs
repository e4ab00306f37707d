namespace ModKit.Cli.GetOpt;

/// <summary>
/// A tool's options as data: glibc's short option string together with its long option table.
/// Build one per tool, once, and hand it to <see cref="GetOptParser"/> for each command line.
/// </summary>
internal sealed class OptionTable
{
    private readonly int _specStart;

    public OptionTable(string shortOptions, params IReadOnlyList<LongOption> longOptions)
    {
        ArgumentNullException.ThrowIfNull(shortOptions);
        ArgumentNullException.ThrowIfNull(longOptions);
        foreach (LongOption option in longOptions)
        {
            // getopt ends a long option's name at '=', and matches the empty name to everything.
            if (option.Name.Length == 0 || option.Name.Contains('='))
            {
                throw new ArgumentException($"Invalid long option name '{option.Name}'.", nameof(longOptions));
            }
        }

        ShortOptions = shortOptions;
        LongOptions = [.. longOptions];

        // glibc looks at one leading '+' or '-' for the ordering, and after it at one ':' that
        // silences the messages and makes a missing argument return ':' instead of '?'.
        ReadOnlySpan<char> spec = shortOptions;
        if (spec.StartsWith('+'))
        {
            Ordering = ArgumentOrdering.RequireOrder;
            spec = spec[1..];
        }
        else if (spec.StartsWith('-'))
        {
            Ordering = ArgumentOrdering.ReturnInOrder;
            spec = spec[1..];
        }

        ColonMode = spec.StartsWith(':');

        _specStart = shortOptions.Length - spec.Length;
    }

    /// <summary>The short option string as written, e.g. "adlpn0mF:k:b:Vh".</summary>
    public string ShortOptions { get; }

    public IReadOnlyList<LongOption> LongOptions { get; }

    /// <summary>The ordering the short option string asks for with a leading '+' or '-', if any.</summary>
    public ArgumentOrdering? Ordering { get; }

    /// <summary>A ':' leads the short option string (after any '+' or '-'): no messages, ':' for a missing argument.</summary>
    public bool ColonMode { get; }

    // getopt finds an option character with strchr, so the first occurrence decides how it is read;
    // ':' and ';' are never option characters. "W;" makes "-W name" mean "--name".
    internal bool TryGetShortOption(char c, out ShortOption option)
    {
        option = ShortOption.NoArgument;
        ReadOnlySpan<char> spec = ShortOptions.AsSpan(_specStart);
        int i = spec.IndexOf(c);
        if (c is ':' or ';' || i < 0)
        {
            return false;
        }

        option = spec[(i + 1)..] switch
        {
            [';', ..] when c == 'W' => ShortOption.LongOptionPrefix,
            [':', ':', ..] => ShortOption.OptionalArgument,
            [':', ..] => ShortOption.RequiredArgument,
            _ => ShortOption.NoArgument,
        };
        return true;
    }
}

namespace ModKit.Cli.GetOpt;

/// <summary>
/// One row of a long option table, like glibc's <c>struct option</c> with <c>flag == NULL</c>:
/// a match makes the parser return <paramref name="Value"/> (usually the equivalent short option
/// character, or a small integer for options that have no short form).
/// </summary>
internal sealed record LongOption(string Name, OptionArgument Argument, int Value);

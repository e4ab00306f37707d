namespace ModKit.Cli;

/// <summary>
/// The command line a tool or a <c>kmod</c> command parses. Run through a link, a tool gets argv[0] and its
/// arguments. The <c>kmod</c> front-end (<c>tools/kmod.c</c>) hands a command its own argv shifted by one
/// element, so argv[0] is the front-end's first argument (the command, or a <c>--</c> before it), while
/// glibc's getopt carries on where the front-end's stopped (<see cref="FirstOption"/>) and in its order: the
/// front-end's <c>"+hV"</c> makes every later getopt stop at the first operand (<see cref="StopAtOperand"/>).
/// </summary>
/// <param name="Program">The program's short name (<c>program_invocation_short_name</c>): what messages and help texts name.</param>
/// <param name="Argv0">argv[0]: what getopt's messages name.</param>
/// <param name="Args">The arguments after argv[0].</param>
/// <param name="FirstOption">The index in <paramref name="Args"/> where option parsing starts.</param>
/// <param name="StopAtOperand">Options end at the first operand (glibc's REQUIRE_ORDER) instead of being gathered from everywhere.</param>
internal readonly record struct CommandLine(string Program, string Argv0, IReadOnlyList<string> Args, int FirstOption = 0, bool StopAtOperand = false)
{
    /// <summary>A tool's command line as the program was invoked with it.</summary>
    public static CommandLine Direct(string argv0, IReadOnlyList<string> args) =>
        new(ModKit.Modules.ModuleName.BaseName(argv0), argv0, args);

    /// <summary>The arguments getopt reads.</summary>
    public IReadOnlyList<string> Options => FirstOption == 0 ? Args : [.. Args.Skip(FirstOption)];
}

using ModKit.Cli.GetOpt;

namespace ModKit.Tests.Cli.GetOpt;

/// <summary>One command line to run through both glibc's getopt_long and GetOptParser.</summary>
internal sealed record GetOptVector(OptionTable Table, string Program, string[] Args, bool PosixlyCorrect = false);

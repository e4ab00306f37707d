using System.Text;
using ModKit.Cli.GetOpt;
using static ModKit.Tests.Cli.GetOpt.KmodOptionTables;

namespace ModKit.Tests.Cli.GetOpt;

/// <summary>
/// Runs each vector through glibc 2.36's getopt_long (getopt_harness.c) and through GetOptParser,
/// and requires the same transcript: every returned code, longindex, optarg and optopt, every
/// message where it was printed, and the final optind and permuted argv.
/// </summary>
public sealed class GetOptGlibcEquivalenceTests(GlibcGetOptHarness glibc) : IClassFixture<GlibcGetOptHarness>
{
    private static readonly Dictionary<string, GetOptVector> Vectors = new()
    {
        // modinfo: permutation
        ["modinfo operand before option"] = new(Modinfo, "modinfo", ["x.ko", "-a"]),
        ["modinfo operands around --"] = new(Modinfo, "modinfo", ["a", "-a", "b", "--", "-c"]),
        ["modinfo many operands"] = new(Modinfo, "modinfo", ["a", "b", "-a", "c", "-F", "x", "d", "--", "-e", "f"]),
        ["modinfo empty arguments"] = new(Modinfo, "modinfo", ["", "-a", ""]),
        ["modinfo no arguments"] = new(Modinfo, "modinfo", []),
        ["modinfo POSIXLY_CORRECT"] = new(Modinfo, "modinfo", ["-d", "x.ko", "-a"], PosixlyCorrect: true),

        // modinfo: short options
        ["modinfo bundle -aa"] = new(Modinfo, "modinfo", ["-aa", "x.ko"]),
        ["modinfo bundle -aF value"] = new(Modinfo, "modinfo", ["-aF", "foo", "x.ko"]),
        ["modinfo attached -Ffoo"] = new(Modinfo, "modinfo", ["-Ffoo", "x.ko"]),
        ["modinfo attached -k -b"] = new(Modinfo, "modinfo", ["-k6.1.0-9-amd64", "-b/root", "x.ko"]),
        ["modinfo argument is --"] = new(Modinfo, "modinfo", ["-F", "--", "x.ko"]),
        ["modinfo unknown short"] = new(Modinfo, "modinfo", ["-z", "x.ko"]),
        ["modinfo unknown inside bundle"] = new(Modinfo, "modinfo", ["-azd", "x.ko"]),
        ["modinfo colon is no option"] = new(Modinfo, "modinfo", ["-:", "-?"]),
        ["modinfo missing short argument"] = new(Modinfo, "modinfo", ["x.ko", "-F"]),
        ["modinfo missing argument after bundle"] = new(Modinfo, "modinfo", ["x.ko", "-aF"]),
        ["modinfo full path program"] = new(Modinfo, "/sbin/modinfo", ["-q", "--frob"]),

        // modinfo: long options
        ["modinfo --field=value"] = new(Modinfo, "modinfo", ["--field=license", "x.ko"]),
        ["modinfo --field value"] = new(Modinfo, "modinfo", ["--field", "license", "x.ko"]),
        ["modinfo --field=empty"] = new(Modinfo, "modinfo", ["--field=", "x.ko"]),
        ["modinfo --field takes an option"] = new(Modinfo, "modinfo", ["--field", "-a", "x.ko"]),
        ["modinfo abbreviation"] = new(Modinfo, "modinfo", ["--fie", "alias", "x.ko"]),
        ["modinfo abbreviation with ="] = new(Modinfo, "modinfo", ["--fiel=alias", "--mod", "x.ko"]),
        ["modinfo ambiguous"] = new(Modinfo, "modinfo", ["--f", "x.ko"]),
        ["modinfo ambiguous with ="] = new(Modinfo, "modinfo", ["--f=1", "x.ko"]),
        ["modinfo empty long name"] = new(Modinfo, "modinfo", ["--=x"]),
        ["modinfo unknown long"] = new(Modinfo, "modinfo", ["--frobnicate", "x.ko"]),
        ["modinfo unknown long with ="] = new(Modinfo, "modinfo", ["--frob=1", "x.ko"]),
        ["modinfo triple dash"] = new(Modinfo, "modinfo", ["---", "x.ko"]),
        ["modinfo missing long argument"] = new(Modinfo, "modinfo", ["x.ko", "--field"]),
        ["modinfo missing abbreviated argument"] = new(Modinfo, "modinfo", ["x.ko", "--fie"]),
        ["modinfo ambiguous --fi"] = new(Modinfo, "modinfo", ["--fi", "x.ko"]),
        ["modinfo --noarg=value"] = new(Modinfo, "modinfo", ["--author=yes", "x.ko"]),
        ["modinfo abbreviated --noarg=value"] = new(Modinfo, "modinfo", ["--auth=yes", "x.ko"]),
        ["modinfo lone dash"] = new(Modinfo, "modinfo", ["-", "-a"]),
        ["modinfo only --"] = new(Modinfo, "modinfo", ["--"]),
        ["modinfo -- at the end"] = new(Modinfo, "modinfo", ["x.ko", "-a", "--"]),
        ["modinfo second -- is an operand"] = new(Modinfo, "modinfo", ["--", "--", "-a"]),

        // modprobe
        ["modprobe --show-dep"] = new(KmodOptionTables.Modprobe, "modprobe", ["--show-dep", "snd"]),
        ["modprobe exact --show among prefixes"] = new(KmodOptionTables.Modprobe, "modprobe", ["--show", "snd"]),
        ["modprobe ambiguous --sho"] = new(KmodOptionTables.Modprobe, "modprobe", ["--sho", "snd"]),
        ["modprobe --show-c"] = new(KmodOptionTables.Modprobe, "modprobe", ["--show-c", "snd"]),
        ["modprobe --showc"] = new(KmodOptionTables.Modprobe, "modprobe", ["--showc"]),
        ["modprobe same-option candidates"] = new(KmodOptionTables.Modprobe, "modprobe", ["--remove-", "--ignore", "snd"]),
        ["modprobe ambiguous --rem"] = new(KmodOptionTables.Modprobe, "modprobe", ["--rem", "snd"]),
        ["modprobe exact --force"] = new(KmodOptionTables.Modprobe, "modprobe", ["--force", "--force-m", "snd"]),
        ["modprobe ambiguous --force-"] = new(KmodOptionTables.Modprobe, "modprobe", ["--force-", "snd"]),
        ["modprobe -Cdir -vv"] = new(KmodOptionTables.Modprobe, "modprobe", ["-Cdir", "-vv", "snd"]),
        ["modprobe --config= and module options"] = new(KmodOptionTables.Modprobe, "modprobe", ["--config=/etc/m.conf", "snd", "index=-2", "-q"]),
        ["modprobe -n --dry"] = new(KmodOptionTables.Modprobe, "modprobe", ["-n", "--dry", "snd", "a=b"]),
        ["modprobe -S and --dump"] = new(KmodOptionTables.Modprobe, "modprobe", ["-S", "6.1", "--dump", "x.ko"]),
        ["modprobe missing --set-version"] = new(KmodOptionTables.Modprobe, "modprobe", ["snd", "--set-version"]),
        ["modprobe -rw value"] = new(KmodOptionTables.Modprobe, "modprobe", ["-rw", "1000", "snd"]),
        ["modprobe -- before module options"] = new(KmodOptionTables.Modprobe, "modprobe", ["snd", "--", "-v", "x=1"]),
        ["modprobe --wait="] = new(KmodOptionTables.Modprobe, "modprobe", ["-r", "--wait=", "--verbose=1", "snd"]),

        // depmod
        ["depmod -a version"] = new(KmodOptionTables.Depmod, "depmod", ["-a", "6.1.0"]),
        ["depmod -b -F"] = new(KmodOptionTables.Depmod, "depmod", ["-b", "/tmp/root", "-F", "System.map", "6.1.0"]),
        ["depmod -ae -E"] = new(KmodOptionTables.Depmod, "depmod", ["-ae", "-E", "Module.symvers", "-nv"]),
        ["depmod --symbol-prefix="] = new(KmodOptionTables.Depmod, "depmod", ["--symbol-prefix=_", "-A"]),
        ["depmod ambiguous --s"] = new(KmodOptionTables.Depmod, "depmod", ["--s"]),
        ["depmod ambiguous --q"] = new(KmodOptionTables.Depmod, "depmod", ["--q", "--qui", "--sh"]),

        // kmod front-end and insmod
        ["kmod stops at subcommand"] = new(Kmod, "kmod", ["list", "-h"]),
        ["kmod option before subcommand"] = new(Kmod, "kmod", ["-V", "list", "-V"]),
        ["kmod --help"] = new(Kmod, "/usr/bin/kmod", ["--help"]),
        ["kmod -- then option"] = new(Kmod, "kmod", ["--", "-h"]),
        ["kmod unknown option"] = new(Kmod, "kmod", ["-x", "list"]),
        ["insmod parameters"] = new(Insmod, "insmod", ["x.ko", "foo=-1", "-f"]),
        ["insmod negative number"] = new(Insmod, "insmod", ["x.ko", "-1"]),

        // features kmod does not use
        ["optional short"] = new(OptionalArguments, "prog", ["-oval", "-o", "x", "-no", "-nofoo"]),
        ["optional long"] = new(OptionalArguments, "prog", ["--opt=v", "--opt", "x", "--opt="]),
        ["required long empty"] = new(OptionalArguments, "prog", ["--req=", "--re", "-r"]),
        ["ambiguous lists differing candidates"] = new(OptionalArguments, "prog", ["--col"]),
        ["same-option candidates take the first"] = new(OptionalArguments, "prog", ["--colo", "x", "--col-x"]),
        ["colon mode"] = new(Colon, "prog", ["-b", "-z", "--gamma", "--beta=1", "-a"]),
        ["colon mode long"] = new(Colon, "prog", ["x", "--alp"]),
        ["-W long options"] = new(WordOption, "prog", ["-W", "bravo=1", "-Wall", "-W", "brav", "x", "-Wbr", "-Wzz", "-ab", "y", "-W"]),
        ["-W missing argument"] = new(WordOption, "prog", ["x", "-Wbravo"]),
        ["in-order"] = new(InOrder, "prog", ["a", "-a", "b", "-bx", "-", "--", "-c", "d"]),
        ["+ with POSIXLY_CORRECT"] = new(Kmod, "kmod", ["-h", "list"], PosixlyCorrect: true),
    };

    public static TheoryData<string> VectorNames => [.. Vectors.Keys];

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void MatchesGlibc(string name)
    {
        GetOptVector vector = Vectors[name];
        Assert.Equal(glibc.Transcript(vector), Transcript(vector));
    }

    [Fact]
    public void CoversEnoughVectors() => Assert.True(Vectors.Count >= 40);

    // The same format as getopt_harness.c prints.
    private static string Transcript(GetOptVector vector)
    {
        var output = new StringWriter { NewLine = "\n" };
        var parser = new GetOptParser(vector.Program, vector.Args, vector.Table, output, vector.PosixlyCorrect);
        while (parser.TryNext(out GetOptResult result))
        {
            string argument = result.Argument is null ? "(null)" : $"[{result.Argument}]";
            output.Write($"code={result.Code} idx={result.LongIndex} arg={argument}");
            if (result.Code is GetOptResult.Error or GetOptResult.MissingArgument)
            {
                output.Write($" optopt={result.ErrorOption}");
            }

            output.Write('\n');
        }

        var argv = new StringBuilder();
        foreach (string arg in parser.Arguments)
        {
            argv.Append($" [{arg}]");
        }

        output.Write($"optind={parser.Index + 1}\nargv:{argv}\n");
        return output.ToString();
    }
}

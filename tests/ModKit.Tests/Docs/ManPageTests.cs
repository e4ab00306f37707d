using System.Text.RegularExpressions;
using ModKit.Cli.GetOpt;
using ModKit.Cli.Tools;
using ModKit.Tests.Support;

namespace ModKit.Tests.Docs;

/// <summary>
/// The manual pages (man/*.scd, rendered by build.sh with scdoc into artifacts/man): each is built from its
/// current source, renders with man without warnings, and documents every option the tool's option tables
/// accept in either profile, so an option added without documentation fails here.
/// </summary>
public sealed partial class ManPageTests
{
    private static string Source(string page) => Path.Combine(RepositoryPaths.Root, "man", page + ".scd");

    private static string Built(string page) =>
        Path.Combine(RepositoryPaths.Root, "artifacts", "man", "man" + page[(page.LastIndexOf('.') + 1)..], page);

    private static readonly string[] PageNames =
    [
        "modkit.8", "kmod.8", "insmod.8", "rmmod.8", "lsmod.8", "modinfo.8", "modprobe.8", "depmod.8",
        "modprobe.d.5", "depmod.d.5", "modules.dep.5",
    ];

    public static TheoryData<string> Pages => [.. PageNames];

    // Each tool's page and the tables whose options it must list: both releases' where they differ.
    private static readonly Dictionary<string, OptionTable[]> ToolTables = new()
    {
        ["insmod.8"] = [InsmodOptions.Kmod30, InsmodOptions.Kmod34],
        ["rmmod.8"] = [RmmodOptions.Kmod30, RmmodOptions.Kmod34],
        ["lsmod.8"] = [LsmodOptions.Table],
        ["modinfo.8"] = [ModinfoOptions.Table],
        ["modprobe.8"] = [ModprobeOptions.Table],
        ["depmod.8"] = [DepmodOptions.Kmod30.Table, DepmodOptions.Kmod34.Table],
        ["kmod.8"] = [KmodOptions.Table, StaticNodesOptions.Table],
        ["modkit.8"] = [KmodOptions.Table],
    };

    public static TheoryData<string> ToolPages => [.. ToolTables.Keys];

    [Fact]
    public void EverySourceIsAPageOfTheList()
    {
        string[] sources = [.. Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "man"), "*.scd")
            .Select(f => Path.GetFileName(f)[..^".scd".Length]).Order(StringComparer.Ordinal)];
        Assert.Equal(PageNames.Order(StringComparer.Ordinal), sources);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void BuildRendersTheCurrentSource(string page)
    {
        Assert.True(File.Exists(Built(page)), $"{Built(page)} is missing: ./build.sh renders the manual pages");
        var fresh = ProcessRunner.Run("scdoc", [], stdin: File.ReadAllBytes(Source(page)));
        Assert.Equal(0, fresh.ExitCode);
        // The .TH line carries the date build.sh took from git; the rest must be the source's rendering.
        Assert.Equal(WithoutTitleLine(fresh.StdoutText), WithoutTitleLine(File.ReadAllText(Built(page))));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void RendersWithManWithoutWarnings(string page)
    {
        var result = Render(page);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StderrText);
        string title = page[..page.LastIndexOf('.')].ToUpperInvariant();
        Assert.StartsWith($"{title}({page[(page.LastIndexOf('.') + 1)..]})", result.StdoutText.TrimStart());
        Assert.Contains("\nNAME\n", result.StdoutText);
        Assert.Contains("\nSEE ALSO\n", result.StdoutText);
    }

    [Theory]
    [MemberData(nameof(ToolPages))]
    public void ListsEveryOptionOfTheTool(string page)
    {
        string text = Render(page).StdoutText;
        var missing = new List<string>();
        foreach (OptionTable table in ToolTables[page])
        {
            foreach (char c in table.ShortOptions.Where(c => c is not (':' or '+' or '-')))
            {
                if (!Regex.IsMatch(text, $@"(?<![\w-])-{Regex.Escape(c.ToString())}(?![\w-])"))
                {
                    missing.Add("-" + c);
                }
            }

            foreach (LongOption option in table.LongOptions)
            {
                if (!Regex.IsMatch(text, $@"(?<![\w-])--{Regex.Escape(option.Name)}(?![\w-])"))
                {
                    missing.Add("--" + option.Name);
                }
            }
        }

        Assert.True(missing.Count == 0, $"{page} does not document {string.Join(", ", missing.Distinct())}");
    }

    [Fact]
    public void TheOptionCheckFailsForAnUndocumentedOption()
    {
        // The check above must be able to fail: modprobe's page does not mention insmod-only -p.
        string text = Render("modprobe.8").StdoutText;
        Assert.DoesNotMatch(@"(?<![\w-])-p(?![\w-])", text);
        Assert.DoesNotMatch(@"(?<![\w-])--moduledir(?![\w-])", text);
    }

    private static ProcessResult Render(string page) =>
        // No hyphenation or justification, so every option stays one word; C.UTF-8 keeps ASCII hyphens.
        ProcessRunner.Run("man", ["--warnings", "--nh", "--nj", "-l", Built(page)],
            environment: new Dictionary<string, string> { ["LC_ALL"] = "C.UTF-8", ["MANWIDTH"] = "100" });

    private static string WithoutTitleLine(string roff) => TitleLine().Replace(roff, "");

    [GeneratedRegex(@"^\.TH .*\n", RegexOptions.Multiline)]
    private static partial Regex TitleLine();
}

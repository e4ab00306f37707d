using ModKit.Cli.GetOpt;
using static ModKit.Tests.Cli.GetOpt.KmodOptionTables;

namespace ModKit.Tests.Cli.GetOpt;

/// <summary>The parser's own surface; the glibc comparison lives in GetOptGlibcEquivalenceTests.</summary>
public sealed class GetOptParserTests
{
    [Fact]
    public void PermutesOperandsBehindOptions()
    {
        var errors = new StringWriter();
        string[] args = ["x.ko", "-F", "license", "y.ko", "--null"];
        var parser = new GetOptParser("modinfo", args, Modinfo, errors);

        List<(int Code, string? Argument)> seen = [];
        while (parser.TryNext(out GetOptResult result))
        {
            seen.Add((result.Code, result.Argument));
        }

        Assert.Equal([('F', "license"), ('0', null)], seen);
        Assert.Equal(["x.ko", "y.ko"], parser.Remaining);
        Assert.Equal(["-F", "license", "--null", "x.ko", "y.ko"], parser.Arguments);
        Assert.Equal(["x.ko", "-F", "license", "y.ko", "--null"], args);
        Assert.Empty(errors.ToString());
    }

    [Fact]
    public void ReportsLongIndexOfAbbreviation()
    {
        var parser = new GetOptParser("modprobe", ["--show-dep"], KmodOptionTables.Modprobe, TextWriter.Null);

        Assert.True(parser.TryNext(out GetOptResult result));
        Assert.Equal(('D', 13, false), (result.Code, result.LongIndex, result.IsError));
        Assert.False(parser.TryNext(out _));
        Assert.False(parser.TryNext(out _));
        Assert.Empty(parser.Remaining);
    }

    [Fact]
    public void WritesErrorsToTheGivenWriter()
    {
        var errors = new StringWriter();
        var parser = new GetOptParser("/sbin/modprobe", ["--sho"], KmodOptionTables.Modprobe, errors);

        Assert.True(parser.TryNext(out GetOptResult result));
        Assert.True(result.IsError);
        Assert.Equal(GetOptResult.Error, result.Code);
        Assert.Equal(
            "/sbin/modprobe: option '--sho' is ambiguous; possibilities: '--show-depends' '--showconfig' "
            + "'--show-config' '--show-modversions' '--show-exports' '--show'\n",
            errors.ToString());
    }

    [Fact]
    public void QuestionMarkOptionIsNoError()
    {
        var parser = new GetOptParser("prog", ["-?"], new OptionTable("?"), TextWriter.Null);

        Assert.True(parser.TryNext(out GetOptResult result));
        Assert.Equal(('?', false), (result.Code, result.IsError));
    }

    [Fact]
    public void StopsAtSubcommandWithPlus()
    {
        var parser = new GetOptParser("kmod", ["-V", "list", "-h"], Kmod, TextWriter.Null);

        Assert.True(parser.TryNext(out GetOptResult result));
        Assert.Equal('V', result.Code);
        Assert.False(parser.TryNext(out _));
        Assert.Equal(["list", "-h"], parser.Remaining);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a=b")]
    public void RejectsLongNamesGetoptCannotMatch(string name) =>
        Assert.Throws<ArgumentException>(() => new OptionTable("a", new LongOption(name, OptionArgument.None, 'a')));

    [Fact]
    public void ReadsShortOptionString()
    {
        var table = new OptionTable("+:a:b::cW;a");

        Assert.Equal(ArgumentOrdering.RequireOrder, table.Ordering);
        Assert.True(table.ColonMode);
        Assert.True(table.TryGetShortOption('a', out ShortOption a));
        Assert.Equal(ShortOption.RequiredArgument, a);
        Assert.True(table.TryGetShortOption('b', out ShortOption b));
        Assert.Equal(ShortOption.OptionalArgument, b);
        Assert.True(table.TryGetShortOption('W', out ShortOption w));
        Assert.Equal(ShortOption.LongOptionPrefix, w);
        Assert.False(table.TryGetShortOption(':', out _));
        Assert.False(table.TryGetShortOption(';', out _));
        Assert.False(table.TryGetShortOption('+', out _));
    }
}

using System.Text;

namespace ModKit.Config;

/// <summary>
/// Prints a <see cref="ModprobeConfig"/> as <c>modprobe -c</c> prints the configuration part
/// (<c>tools/modprobe.c: show_config</c>).
/// </summary>
public static class ModprobeConfigFormatter
{
    /// <summary>
    /// Writes the entries grouped as kmod does: blacklist, install, remove, alias, options, softdep (and
    /// weakdep when any were parsed), each group in parse order, one <c>&lt;kind&gt; &lt;key&gt;[ &lt;value&gt;]</c>
    /// line per entry. Softdeps print as kmod's <c>softdep_to_char</c> does: <c>pre: a bpost: c</c>, with no
    /// space between the lists. The index dump that follows in modprobe's output is not part of this.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="writer">Where to write; lines end with <c>\n</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> or <paramref name="writer"/> is null.</exception>
    public static void Write(ModprobeConfig config, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(writer);
        foreach (string name in config.Blacklist)
        {
            Line(writer, "blacklist", name, null);
        }

        foreach (var command in config.InstallCommands)
        {
            Line(writer, "install", command.ModuleName, command.Command);
        }

        foreach (var command in config.RemoveCommands)
        {
            Line(writer, "remove", command.ModuleName, command.Command);
        }

        foreach (var alias in config.Aliases)
        {
            Line(writer, "alias", alias.Pattern, alias.ModuleName);
        }

        foreach (var options in config.Options)
        {
            Line(writer, "options", options.ModuleName, options.Options);
        }

        foreach (var softdep in config.SoftDependencies)
        {
            Line(writer, "softdep", softdep.ModuleName, SoftDependencyValue(softdep));
        }

        foreach (var weakdep in config.WeakDependencies)
        {
            Line(writer, "weakdep", weakdep.ModuleName, string.Join(' ', weakdep.Modules));
        }
    }

    /// <summary>
    /// A softdep line's value as kmod's <c>softdep_to_char</c> makes it (what <c>kmod_config_iter_get_value</c>
    /// gives): <c>pre: a bpost: c</c>, with no space between the lists; empty when both are.
    /// </summary>
    /// <param name="softdep">The softdep line.</param>
    /// <exception cref="ArgumentNullException"><paramref name="softdep"/> is null.</exception>
    public static string SoftDependencyValue(SoftDependency softdep)
    {
        ArgumentNullException.ThrowIfNull(softdep);
        var value = new StringBuilder();
        if (softdep.Pre.Count > 0)
        {
            value.Append("pre: ").AppendJoin(' ', softdep.Pre);
        }

        if (softdep.Post.Count > 0)
        {
            value.Append("post: ").AppendJoin(' ', softdep.Post);
        }

        return value.ToString();
    }

    /// <summary>The text <see cref="Write"/> produces.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>The configuration part of <c>modprobe -c</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> is null.</exception>
    public static string Format(ModprobeConfig config)
    {
        var writer = new StringWriter { NewLine = "\n" };
        Write(config, writer);
        return writer.ToString();
    }

    private static void Line(TextWriter writer, string kind, string key, string? value)
    {
        writer.Write(kind);
        writer.Write(' ');
        writer.Write(key);
        if (value is not null)
        {
            writer.Write(' ');
            writer.Write(value);
        }

        writer.Write('\n');
    }
}

namespace ModKit.Config;

/// <summary>
/// An error libkmod reports while reading the configuration, e.g. a bad modprobe.d line. Reading goes on
/// after it, as in kmod.
/// </summary>
/// <param name="Function">The libkmod function kmod names in the message, e.g. <c>kmod_config_parse</c>.</param>
/// <param name="Message">The message without prefix or newline, e.g.
/// <c>/etc/modprobe.d/x.conf line 3: ignoring bad line starting with 'foo'</c>.</param>
public sealed record ConfigDiagnostic(string Function, string Message)
{
    /// <summary>
    /// The line kmod's release build prints on stderr, without newline:
    /// <c>libkmod: ERROR: &lt;function&gt;: &lt;message&gt;</c>.
    /// </summary>
    public string Text => $"libkmod: ERROR: {Function}: {Message}";

    /// <inheritdoc/>
    public override string ToString() => Text;
}

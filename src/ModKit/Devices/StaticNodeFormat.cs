namespace ModKit.Devices;

/// <summary>The forms <c>kmod static-nodes --format</c> writes device nodes in (<see cref="StaticNodeWriter"/>).</summary>
public enum StaticNodeFormat
{
    /// <summary><c>human</c>, the default: a block of indented lines per node, not meant to be parsed.</summary>
    Human,

    /// <summary><c>tmpfiles</c>: tmpfiles.d(5) lines that make the node (and its folder) at boot, for systemd-tmpfiles.</summary>
    Tmpfiles,

    /// <summary><c>devname</c>: the lines of <c>modules.devname</c> itself.</summary>
    Devname,
}

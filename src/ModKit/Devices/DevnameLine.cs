namespace ModKit.Devices;

/// <summary>
/// One line of <c>modules.devname</c> that is not a comment, as <c>kmod static-nodes</c> reads it: the device
/// node it describes, or none when it does not parse.
/// </summary>
/// <param name="Text">
/// The line as read, up to its first NUL byte (C string functions see no further): with its newline, unless
/// it is the file's last line without one or a piece of a line longer than <see cref="DevnameFile.LineLength"/>.
/// </param>
/// <param name="Node">The node, or <see langword="null"/> for a malformed line.</param>
public sealed record DevnameLine(byte[] Text, DeviceNode? Node);

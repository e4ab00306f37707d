namespace ModKit.Devices;

/// <summary>
/// A device node a module provides before it is loaded (its <c>devname:</c> and <c>char-major-</c>/<c>block-major-</c>
/// aliases), as one line of <c>modules.devname</c> gives it: <c>module devname type major:minor</c>.
/// </summary>
/// <param name="Module">The module's name, as the bytes of the file.</param>
/// <param name="Name">The node's path under <c>/dev</c> (<c>net/tun</c>), as the bytes of the file.</param>
/// <param name="Type">Character or block device.</param>
/// <param name="Major">The major number.</param>
/// <param name="Minor">The minor number.</param>
public sealed record DeviceNode(byte[] Module, byte[] Name, DeviceNodeType Type, uint Major, uint Minor);

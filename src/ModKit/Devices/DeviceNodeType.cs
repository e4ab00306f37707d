namespace ModKit.Devices;

/// <summary>The kind of a device node, by the letter <c>modules.devname</c> writes before its numbers.</summary>
public enum DeviceNodeType : byte
{
    /// <summary>A character device (<c>c</c>).</summary>
    Character = (byte)'c',

    /// <summary>A block device (<c>b</c>).</summary>
    Block = (byte)'b',
}

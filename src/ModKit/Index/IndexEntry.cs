namespace ModKit.Index;

/// <summary>One key/value pair of an index, as a dump lists it (<c>modprobe -c</c>).</summary>
/// <param name="Key">The key; for the alias indexes a shell pattern.</param>
/// <param name="Value">The value stored under the key.</param>
/// <param name="Priority">The value's priority.</param>
public readonly record struct IndexEntry(string Key, string Value, uint Priority);

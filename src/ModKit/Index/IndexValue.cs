namespace ModKit.Index;

/// <summary>One value stored in an index, with its priority (lower sorts first).</summary>
/// <param name="Value">The value, e.g. a module name or a modules.dep line.</param>
/// <param name="Priority">The priority depmod gave it: the module's position in modules.order, or 0.</param>
public readonly record struct IndexValue(string Value, uint Priority);

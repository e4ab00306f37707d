namespace ModKit.Probe;

/// <summary>What the kernel says of a module (<c>kmod_module_get_initstate</c>, built-in check included).</summary>
public enum ModuleState
{
    /// <summary>Not loaded (or its state could not be read).</summary>
    Absent,
    /// <summary>Built into the kernel image.</summary>
    Builtin,
    /// <summary>Loaded and initialised.</summary>
    Live,
    /// <summary>Being initialised.</summary>
    Coming,
    /// <summary>Being removed.</summary>
    Going,
}

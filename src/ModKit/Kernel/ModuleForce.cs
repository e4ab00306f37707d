namespace ModKit.Kernel;

/// <summary>What checks a forced load asks the kernel to skip (<c>insmod -f</c>, <c>--force-modversion</c>, <c>--force-vermagic</c>).</summary>
[Flags]
public enum ModuleForce
{
    /// <summary>A normal load.</summary>
    None = 0,

    /// <summary>Ignore symbol version CRCs: <see cref="ModuleLoadFlags.IgnoreModversions"/>, or <c>__versions</c> stripped for <c>init_module</c>.</summary>
    Modversion = 1,

    /// <summary>Ignore the version magic: <see cref="ModuleLoadFlags.IgnoreVermagic"/>, or <c>vermagic=</c> blanked for <c>init_module</c>.</summary>
    Vermagic = 2,

    /// <summary>Both (<c>insmod -f</c>).</summary>
    All = Modversion | Vermagic,
}

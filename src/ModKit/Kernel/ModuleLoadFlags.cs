namespace ModKit.Kernel;

/// <summary>The flags of <c>finit_module(2)</c> (the kernel's <c>uapi/linux/module.h</c>).</summary>
[Flags]
public enum ModuleLoadFlags
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary><c>MODULE_INIT_IGNORE_MODVERSIONS</c>: ignore symbol version CRCs (needs <c>CONFIG_MODULE_FORCE_LOAD</c>).</summary>
    IgnoreModversions = 1,

    /// <summary><c>MODULE_INIT_IGNORE_VERMAGIC</c>: ignore the version magic (needs <c>CONFIG_MODULE_FORCE_LOAD</c>).</summary>
    IgnoreVermagic = 2,

    /// <summary><c>MODULE_INIT_COMPRESSED_FILE</c> (Linux 6.4+): the kernel decompresses the file itself.</summary>
    CompressedFile = 4,
}

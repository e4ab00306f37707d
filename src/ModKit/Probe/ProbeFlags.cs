namespace ModKit.Probe;

/// <summary>How <see cref="ModuleProber"/> inserts a module (libkmod's <c>KMOD_PROBE_*</c> flags).</summary>
[Flags]
public enum ProbeFlags
{
    /// <summary>Defaults: check what is loaded, run install commands, no blacklist.</summary>
    None = 0,
    /// <summary>Ignore symbol version CRCs (<c>--force-modversion</c>).</summary>
    ForceModversion = 0x1,
    /// <summary>Ignore the version magic (<c>--force-vermagic</c>).</summary>
    ForceVermagic = 0x2,
    /// <summary>Ignore install commands and the requested module's softdeps (<c>-i</c>).</summary>
    IgnoreCommand = 0x4,
    /// <summary>Do not ask the kernel what is loaded (<c>--show-depends</c>).</summary>
    IgnoreLoaded = 0x8,
    /// <summary>Plan and report, but insert nothing and run nothing (<c>-n</c>).</summary>
    DryRun = 0x10,
    /// <summary>Fail with <see cref="Errno.EEXIST"/> when the module is already loaded (<c>--first-time</c>).</summary>
    FailOnLoaded = 0x20,
    /// <summary>Refuse the module and its dependencies when any of them is blacklisted.</summary>
    ApplyBlacklistAll = 0x10000,
    /// <summary>Refuse a blacklisted module (<c>-b</c>).</summary>
    ApplyBlacklist = 0x20000,
    /// <summary>Refuse a blacklisted module reached through an alias (modprobe always sets this).</summary>
    ApplyBlacklistAliasOnly = 0x40000,
}

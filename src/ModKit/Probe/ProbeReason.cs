namespace ModKit.Probe;

/// <summary>Why a step is in a load plan: the edge of the module graph that brought it.</summary>
public enum ProbeReason
{
    /// <summary>The module asked for.</summary>
    Requested,

    /// <summary>A <c>modules.dep</c> dependency of <see cref="ProbeAction.Via"/>: it provides symbols that module uses.</summary>
    Dependency,

    /// <summary>A <c>pre:</c> soft dependency of <see cref="ProbeAction.Via"/>, loaded before it.</summary>
    SoftdepPre,

    /// <summary>A <c>post:</c> soft dependency of <see cref="ProbeAction.Via"/>, loaded after it.</summary>
    SoftdepPost,
}

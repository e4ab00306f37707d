namespace ModKit.Depmod;

/// <summary>The severity of a depmod message, as kmod prefixes it (<c>FATAL</c>, <c>ERROR</c>, <c>WARNING</c>, <c>INFO</c>).</summary>
public enum DepmodLogLevel
{
    /// <summary>A fatal error (<c>FATAL: </c>).</summary>
    Critical,

    /// <summary>An error (<c>ERROR: </c>).</summary>
    Error,

    /// <summary>A warning (<c>WARNING: </c>).</summary>
    Warning,

    /// <summary>Information (<c>INFO: </c>).</summary>
    Info,

    /// <summary>Verbose output printed without prefix to stdout (<c>depmod -v</c>).</summary>
    Verbose,
}

namespace ModKit.Kernel;

/// <summary>A loaded module's state, from <c>/sys/module/&lt;name&gt;/initstate</c> (<c>kmod_module_get_initstate</c>).</summary>
public enum ModuleInitState
{
    /// <summary><c>live</c>: loaded and initialised.</summary>
    Live,

    /// <summary>
    /// <c>coming</c>: being initialised; also what a <c>/sys/module/&lt;name&gt;</c> directory without an
    /// <c>initstate</c> file means (a built-in module with parameters).
    /// </summary>
    Coming,

    /// <summary><c>going</c>: being removed.</summary>
    Going,
}

using System.Runtime.InteropServices;
using ModKit.Probe;

namespace ModKit.Native;

/// <summary>
/// What a <c>struct kmod_module *</c> points at: ModKit's module, kmod's reference count, the
/// dependencies it holds (as kmod's <c>mod->dep</c> holds a reference on each), and the strings handed
/// out that live as long as the module (name, path, options, install and remove commands).
/// </summary>
internal sealed unsafe class KmodModule
{
    private List<KmodModule>? _dependencies;
    private byte* _name;
    private byte* _path;
    private byte* _options;
    private byte* _install;
    private byte* _remove;
    private string? _pathShown;

    public KmodModule(KmodContext context, ProbeModule module)
    {
        Context = context;
        Module = module;
        Handle = GCHandle.ToIntPtr(GCHandle.Alloc(this));
    }

    public KmodContext Context { get; }

    public ProbeModule Module { get; }

    public nint Handle { get; }

    public int RefCount { get; set; } = 1;

    public static KmodModule? From(nint handle) => handle == 0 ? null : (KmodModule?)GCHandle.FromIntPtr(handle).Target;

    public byte* Name => _name is null ? _name = NativeString.Copy(Module.Name) : _name;

    /// <summary>The path as a C string kept with the module; it only ever goes from unknown to known.</summary>
    public byte* PathOf(string? path)
    {
        if (path != _pathShown)
        {
            NativeString.Free(ref _path);
            _path = NativeString.Copy(path);
            _pathShown = path;
        }

        return _path;
    }

    public byte* Options(string? options) => Keep(ref _options, options);

    public byte* InstallCommands(string? command) => Keep(ref _install, command);

    public byte* RemoveCommands(string? command) => Keep(ref _remove, command);

    /// <summary>Once ModKit has read the module's <c>modules.dep</c> line, holds a reference on each dependency.</summary>
    public void PinDependencies()
    {
        if (_dependencies is not null || !Module.DependenciesRead)
        {
            return;
        }

        _dependencies = [];
        foreach (var dependency in Context.Modules.DependenciesOf(Module))
        {
            _dependencies.Add(Context.Ref(dependency));
        }
    }

    /// <summary><c>kmod_module_unref</c>: the handle, or 0 once the last reference is gone.</summary>
    public nint Unref()
    {
        if (--RefCount > 0)
        {
            return Handle;
        }

        Context.Forget(this);
        if (_dependencies is not null)
        {
            foreach (var dependency in _dependencies)
            {
                dependency.Unref();
            }
        }

        NativeString.Free(ref _name);
        NativeString.Free(ref _path);
        NativeString.Free(ref _options);
        NativeString.Free(ref _install);
        NativeString.Free(ref _remove);
        GCHandle.FromIntPtr(Handle).Free();
        Exports.ContextUnref(Context);
        return 0;
    }

    // Options and commands are read once (kmod's init.options, init.install_commands...) and never change.
    private static byte* Keep(ref byte* kept, string? value)
    {
        if (kept is null && value is not null)
        {
            kept = NativeString.Copy(value);
        }

        return kept;
    }
}

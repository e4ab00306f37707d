using System.Runtime.InteropServices;
using ModKit.Probe;

namespace ModKit.Native;

// kmod_module_probe_insert_module: a module with its dependencies and softdeps, through ModKit's ModuleProber.
internal static unsafe partial class Exports
{
    [UnmanagedCallersOnly(EntryPoint = "kmod_module_probe_insert_module")]
    private static int ModuleProbeInsertModule(nint mod, uint flags, byte* extraOptions,
        delegate* unmanaged<nint, byte*, nint, int> runInstall, nint data, delegate* unmanaged<nint, byte, byte*, void> printAction)
    {
        // Nothing may leave the export, not even from the clean-up below.
        try
        {
            return ProbeInsertModule(mod, flags, extraOptions, runInstall, data, printAction);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    private static int ProbeInsertModule(nint mod, uint flags, byte* extraOptions,
        delegate* unmanaged<nint, byte*, nint, int> runInstall, nint data, delegate* unmanaged<nint, byte, byte*, void> printAction)
    {
        // The modules handed to the callbacks are held until the probe ends, as kmod's probe list holds them.
        var held = new List<KmodModule>();
        try
        {
            if (KmodModule.From(mod) is not { } module)
            {
                return -Errno.ENOENT;
            }

            var context = module.Context;
            var prober = new ModuleProber(context.Modules);
            if (printAction is not null)
            {
                prober.OnAction = action =>
                {
                    var step = context.Ref(action.Module);
                    held.Add(step);
                    byte* options = NativeString.Copy(action.Options);
                    try
                    {
                        printAction(step.Handle, action.IsInstallCommand ? (byte)1 : (byte)0, options);
                    }
                    finally
                    {
                        NativeString.Free(ref options);
                    }
                };
            }

            if (runInstall is not null)
            {
                prober.RunInstall = (step, command) =>
                {
                    var held1 = context.Ref(step);
                    held.Add(held1);
                    byte* text = NativeString.Copy(command);
                    try
                    {
                        return runInstall(held1.Handle, text, data);
                    }
                    finally
                    {
                        NativeString.Free(ref text);
                    }
                };
            }

            // kmod's KMOD_PROBE_FORCE_VERMAGIC is 0x1 and KMOD_PROBE_FORCE_MODVERSION 0x2; the other bits are ModKit's values.
            var probeFlags = (ProbeFlags)(flags & ~3u)
                | ((flags & 0x1) != 0 ? ProbeFlags.ForceVermagic : 0)
                | ((flags & 0x2) != 0 ? ProbeFlags.ForceModversion : 0);
            int result = prober.Insert(module.Module, probeFlags, NativeString.Read(extraOptions));
            module.PinDependencies();
            return result;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
        finally
        {
            foreach (var step in held)
            {
                step.Unref();
            }

            KmodModule.From(mod)?.Context.ForgetUnheld();
        }
    }
}

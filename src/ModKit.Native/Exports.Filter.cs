using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ModKit.Native;

// Filters over module lists, and a loaded module's sections.
internal static unsafe partial class Exports
{
    /// <summary>kmod_filter.</summary>
    private const int FilterBlacklist = 1, FilterBuiltin = 2;

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_apply_filter")]
    private static int ModuleApplyFilter(nint ctx, int filter, KmodList* input, KmodList** output) => ApplyFilter(ctx, filter, input, output);

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_filtered_blacklist")]
    private static int ModuleGetFilteredBlacklist(nint ctx, KmodList* input, KmodList** output) => ApplyFilter(ctx, FilterBlacklist, input, output);

    // The input's modules that pass, each with a new reference: not named by a blacklist line, not builtin.
    private static int ApplyFilter(nint ctx, int filter, KmodList* input, KmodList** output)
    {
        KmodList* result = null;
        try
        {
            if (KmodContext.From(ctx) is null || output is null)
            {
                return -Errno.ENOENT;
            }

            *output = null;
            for (KmodList* node = input; node is not null; node = node->Next == input ? null : node->Next)
            {
                var module = KmodModule.From(node->Data)!;
                var modules = module.Context.Modules;
                if (((filter & FilterBlacklist) != 0 && modules.IsBlacklisted(module.Module))
                    || ((filter & FilterBuiltin) != 0 && modules.IsBuiltin(module.Module)))
                {
                    continue;
                }

                module.RefCount++;
                result = KmodList.Append(result, module.Handle);
            }

            *output = result;
            return 0;
        }
        catch (Exception)
        {
            UnrefList(result);
            return -Errno.ENOMEM;
        }
    }

    // struct kmod_module_section { unsigned long address; char name[]; }, one per file of
    // /sys/module/NAME/sections, in the folder's order.
    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_sections")]
    private static KmodList* ModuleGetSections(nint mod)
    {
        KmodList* list = null;
        KmodModule? module = null;
        string folder = string.Empty;
        try
        {
            module = KmodModule.From(mod);
            if (module is null)
            {
                return null;
            }

            folder = "/sys/module/" + module.Module.Name + "/sections";
            foreach (string path in Directory.EnumerateFileSystemEntries(folder))
            {
                string name = Path.GetFileName(path);
                string text = File.ReadAllText(path).Trim();
                if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                {
                    text = text[2..];
                }

                if (!ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong address))
                {
                    NativeLog.Write(module.Context, KmodContext.LogErr, "kmod_module_get_sections", $"could not read long from '{folder}/{name}': {Errno.Describe(Errno.EINVAL)}");
                    FreeEntries(list);
                    return null;
                }

                int length = Encoding.UTF8.GetByteCount(name);
                byte* section = (byte*)NativeMemory.Alloc((nuint)(sizeof(nuint) + length + 1));
                *(ulong*)section = address;
                Encoding.UTF8.GetBytes(name, new Span<byte>(section + sizeof(nuint), length));
                section[sizeof(nuint) + length] = 0;
                list = KmodList.Append(list, (nint)section);
            }

            return list;
        }
        catch (Exception e)
        {
            FreeEntries(list);
            if (module is not null)
            {
                NativeLog.Write(module.Context, KmodContext.LogErr, "kmod_module_get_sections", $"could not open '{folder}': {Errno.Describe(Errno.FromException(e))}");
            }

            return null;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_section_get_name")]
    private static byte* SectionGetName(KmodList* entry) => entry is null ? null : (byte*)entry->Data + sizeof(nuint);

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_section_get_address")]
    private static nuint SectionGetAddress(KmodList* entry) => entry is null ? nuint.MaxValue : *(nuint*)entry->Data;

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_section_free_list")]
    private static void SectionFreeList(KmodList* list) => FreeEntries(list);
}

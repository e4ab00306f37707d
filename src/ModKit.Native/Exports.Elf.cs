using System.Runtime.InteropServices;
using System.Text;
using ModKit.Elf;
using ModKit.Modules;

namespace ModKit.Native;

// What a module's file says: .modinfo (and signature), __versions, exported and needed symbols. Each
// list entry is a malloc'd struct with kmod's own layout, which consumers rely on: dracut calls
// kmod_module_symbol_get_symbol on dependency-symbol entries and gets the bind character first.
internal static unsafe partial class Exports
{
    // struct kmod_module_info { char *key; char value[]; } with the key after the value.
    private static nint InfoEntry(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        byte* entry = (byte*)NativeMemory.Alloc((nuint)(sizeof(nint) + value.Length + 1 + key.Length + 1));
        byte* valueAt = entry + sizeof(nint);
        byte* keyAt = valueAt + value.Length + 1;
        value.CopyTo(new Span<byte>(valueAt, value.Length));
        valueAt[value.Length] = 0;
        key.CopyTo(new Span<byte>(keyAt, key.Length));
        keyAt[key.Length] = 0;
        *(byte**)entry = keyAt;
        return (nint)entry;
    }

    // struct kmod_module_symbol / kmod_module_version { uint64_t crc; char symbol[]; }, and
    // struct kmod_module_dependency_symbol { uint64_t crc; uint8_t bind; char symbol[]; }.
    private static nint SymbolEntry(ModuleSymbol symbol, bool withBinding)
    {
        int length = Encoding.UTF8.GetByteCount(symbol.Name);
        int offset = withBinding ? 9 : 8;
        byte* entry = (byte*)NativeMemory.Alloc((nuint)(offset + length + 1));
        *(ulong*)entry = symbol.Crc;
        if (withBinding)
        {
            entry[8] = (byte)symbol.Binding;
        }

        Encoding.UTF8.GetBytes(symbol.Name, new Span<byte>(entry + offset, length));
        entry[offset + length] = 0;
        return (nint)entry;
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_info")]
    private static int ModuleGetInfo(nint mod, KmodList** list)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module || list is null)
            {
                return -Errno.ENOENT;
            }

            // A builtin module's strings come from modules.builtin.modinfo; a file's, with its signature.
            var modules = module.Context.Modules;
            int error = modules.IsBuiltin(module.Module)
                ? BuiltinModInfo.TryRead(Path.Combine(modules.Directory.Path, BuiltinModInfo.FileName), module.Module.Name, out var entries)
                : ModuleFile.TryGetInfo(modules.GetPath(module.Module), out entries);
            module.PinDependencies();
            if (error != 0)
            {
                return -error;
            }

            KmodList* result = null;
            foreach (var entry in entries)
            {
                result = KmodList.Append(result, InfoEntry(entry.RawKey.Span, entry.RawValue.Span));
            }

            *list = result;
            return entries.Count;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_versions")]
    private static int ModuleGetVersions(nint mod, KmodList** list) => Symbols(mod, list, SymbolKind.Versions);

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_symbols")]
    private static int ModuleGetSymbols(nint mod, KmodList** list) => Symbols(mod, list, SymbolKind.Exports);

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_dependency_symbols")]
    private static int ModuleGetDependencySymbols(nint mod, KmodList** list) => Symbols(mod, list, SymbolKind.Dependencies);

    private enum SymbolKind
    {
        Versions,
        Exports,
        Dependencies,
    }

    private static int Symbols(nint mod, KmodList** list, SymbolKind kind)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module || list is null)
            {
                return -Errno.ENOENT;
            }

            string? path = module.Context.Modules.GetPath(module.Module);
            module.PinDependencies();
            if (path is null)
            {
                return -Errno.ENOENT;
            }

            List<ModuleSymbol> symbols;
            try
            {
                using var file = ModuleFile.Open(path);
                switch (kind)
                {
                    case SymbolKind.Versions:
                        symbols = ModuleSymbols.GetVersions(file.Elf);
                        break;
                    case SymbolKind.Exports:
                        if (!ModuleSymbols.TryGetExports(file.Elf, out symbols))
                        {
                            ModuleFormatException.Throw("no exported symbols", Errno.ENOENT);
                        }

                        break;
                    default:
                        symbols = ModuleSymbols.GetDependencies(file.Elf);
                        break;
                }
            }
            catch (ModuleFormatException e)
            {
                // A missing section: ENOENT in kmod 30, ENODATA in kmod 31 and later.
                return -(e.ErrorNumber == Errno.ENOENT ? module.Context.Modules.Profile.MissingSectionErrno : e.ErrorNumber);
            }

            KmodList* result = null;
            foreach (var symbol in symbols)
            {
                result = KmodList.Append(result, SymbolEntry(symbol, kind == SymbolKind.Dependencies));
            }

            *list = result;
            return symbols.Count;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_info_get_key")]
    private static byte* InfoGetKey(KmodList* entry) => entry is null ? null : *(byte**)entry->Data;

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_info_get_value")]
    private static byte* InfoGetValue(KmodList* entry) => entry is null ? null : (byte*)entry->Data + sizeof(nint);

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_version_get_symbol")]
    private static byte* VersionGetSymbol(KmodList* entry) => entry is null || entry->Data == 0 ? null : (byte*)entry->Data + 8;

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_version_get_crc")]
    private static ulong VersionGetCrc(KmodList* entry) => entry is null || entry->Data == 0 ? 0 : *(ulong*)entry->Data;

    // On a dependency-symbol entry this gives the bind character followed by the name, as kmod's does.
    [UnmanagedCallersOnly(EntryPoint = "kmod_module_symbol_get_symbol")]
    private static byte* SymbolGetSymbol(KmodList* entry) => entry is null || entry->Data == 0 ? null : (byte*)entry->Data + 8;

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_symbol_get_crc")]
    private static ulong SymbolGetCrc(KmodList* entry) => entry is null || entry->Data == 0 ? 0 : *(ulong*)entry->Data;

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_dependency_symbol_get_symbol")]
    private static byte* DependencySymbolGetSymbol(KmodList* entry) => entry is null || entry->Data == 0 ? null : (byte*)entry->Data + 9;

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_dependency_symbol_get_crc")]
    private static ulong DependencySymbolGetCrc(KmodList* entry) => entry is null || entry->Data == 0 ? 0 : *(ulong*)entry->Data;

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_dependency_symbol_get_bind")]
    private static int DependencySymbolGetBind(KmodList* entry) => entry is null || entry->Data == 0 ? 0 : ((byte*)entry->Data)[8];

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_info_free_list")]
    private static void InfoFreeList(KmodList* list) => FreeEntries(list);

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_versions_free_list")]
    private static void VersionsFreeList(KmodList* list) => FreeEntries(list);

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_symbols_free_list")]
    private static void SymbolsFreeList(KmodList* list) => FreeEntries(list);

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_dependency_symbols_free_list")]
    private static void DependencySymbolsFreeList(KmodList* list) => FreeEntries(list);

    private static void FreeEntries(KmodList* list)
    {
        for (; list is not null; list = KmodList.RemoveFirst(list))
        {
            NativeMemory.Free((void*)list->Data);
        }
    }
}

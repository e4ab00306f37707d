using ModKit.Config;
using ModKit.Modules;
using ModKit.Probe;

namespace ModKit.Cli.Tools;

/// <summary>
/// modprobe's <c>--json</c> documents (schemas/modprobe-*.schema.json): the load plan of <c>--show-depends</c> with
/// the edge that brought each step, the modules of <c>--resolve-alias</c>, and <c>--showconfig</c>'s configuration
/// and indexes. Messages on standard error and the exit status stay as without <c>--json</c>.
/// </summary>
internal sealed partial class ModprobeTool
{
    private JsonOutput? _json;

    // The current argument's object is open: its error, if any, has not been written yet.
    private bool _argumentOpen;

    // -D and -R: one object per argument, in an array.
    private void StartArgument(string alias)
    {
        if (_json is not { Writer: var writer })
        {
            return;
        }

        if (writer.CurrentDepth == 0)
        {
            writer.WriteStartArray();
        }

        writer.WriteStartObject();
        writer.WriteString("argument", alias);
        writer.WriteStartArray(_lookupOnly ? "modules" : "steps");
        _argumentOpen = true;
    }

    // The argument failed before any step: its object carries the message instead of steps or modules.
    private void ArgumentError(string message)
    {
        if (_json is not { Writer: var writer } || !_argumentOpen)
        {
            return;
        }

        writer.WriteEndArray();
        writer.WriteString("error", message);
        writer.WriteEndObject();
        _argumentOpen = false;
        _json.Checkpoint();
    }

    private void EndArgument()
    {
        if (_json is not { Writer: var writer } || !_argumentOpen)
        {
            return;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        _argumentOpen = false;
        _json.Checkpoint();
    }

    // Closes what is open (also after a fatal message) and ends the document.
    private void EndJson()
    {
        if (_json is not { Writer: var writer })
        {
            return;
        }

        EndArgument();
        if (writer.CurrentDepth == 0 && writer.BytesCommitted + writer.BytesPending == 0)
        {
            // -D or -R whose first argument ended the run before its object: still an array.
            writer.WriteStartArray();
        }

        while (writer.CurrentDepth > 0)
        {
            writer.WriteEndArray();
        }

        _json.Dispose();
        _json = null;
    }

    // One step of the plan: what the text line says, with the edge that brought it.
    private void WriteStep(ProbeAction action)
    {
        var writer = _json!.Writer;
        string? path = action.IsInstallCommand ? null : _modules.GetPath(action.Module);
        string kind;
        if (action.IsInstallCommand)
        {
            kind = "install";
        }
        else if (path is not null)
        {
            kind = "insmod";
        }
        else if (_modules.GetState(action.Module) == ModuleState.Builtin)
        {
            kind = "builtin";
        }
        else
        {
            // No file and not built in: the text output prints no line either.
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("kind", kind);
        writer.WriteString("module", action.Module.Name);
        writer.WriteString("file", path);
        writer.WriteString("command", action.IsInstallCommand ? _modules.GetInstallCommand(action.Module) ?? string.Empty : null);
        writer.WriteString("options", action.Options);
        writer.WriteString("reason", action.Reason switch
        {
            ProbeReason.Dependency => "dependency",
            ProbeReason.SoftdepPre => "softdep-pre",
            ProbeReason.SoftdepPost => "softdep-post",
            _ => "requested",
        });
        writer.WriteString("via", action.Via?.Name);
        writer.WriteEndObject();
    }

    // --showconfig: the configuration as modprobe read it, then the aliases and symbols of the indexes.
    private int ShowConfigJson(ModprobeConfig config)
    {
        var writer = _json!.Writer;
        writer.WriteStartObject();
        _json.WriteStrings("blacklist", config.Blacklist);
        WriteCommands("install", config.InstallCommands);
        WriteCommands("remove", config.RemoveCommands);
        writer.WriteStartArray("alias");
        foreach (var alias in config.Aliases)
        {
            writer.WriteStartObject();
            writer.WriteString("pattern", alias.Pattern);
            writer.WriteString("module", alias.ModuleName);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("options");
        foreach (var options in config.Options)
        {
            writer.WriteStartObject();
            writer.WriteString("module", options.ModuleName);
            writer.WriteString("options", options.Options);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("softdep");
        foreach (var softdep in config.SoftDependencies)
        {
            writer.WriteStartObject();
            writer.WriteString("module", softdep.ModuleName);
            _json.WriteStrings("pre", softdep.Pre);
            _json.WriteStrings("post", softdep.Post);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("weakdep");
        foreach (var weakdep in config.WeakDependencies)
        {
            writer.WriteStartObject();
            writer.WriteString("module", weakdep.ModuleName);
            _json.WriteStrings("modules", weakdep.Modules);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        _json.Checkpoint();
        WriteIndex("aliases", "alias", ModuleDirectory.AliasIndex);
        WriteIndex("symbols", "symbol", ModuleDirectory.SymbolIndex);
        writer.WriteEndObject();
        return 0;
    }

    private void WriteCommands(string name, IReadOnlyList<ModuleCommand> commands)
    {
        var writer = _json!.Writer;
        writer.WriteStartArray(name);
        foreach (var command in commands)
        {
            writer.WriteStartObject();
            writer.WriteString("module", command.ModuleName);
            writer.WriteString("command", command.Command);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    // An index's entries, in the order the text dump lists them, one object each.
    private void WriteIndex(string name, string keyName, string index)
    {
        var writer = _json!.Writer;
        writer.WriteStartArray(name);
        foreach (var entry in _modules.Directory.EnumerateIndex(index))
        {
            writer.WriteStartObject();
            writer.WriteString(keyName, entry.Key);
            writer.WriteString("module", entry.Value);
            writer.WriteEndObject();
            _json.Checkpoint();
        }

        writer.WriteEndArray();
    }
}

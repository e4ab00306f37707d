using System.Text;
using ModKit.Cli.GetOpt;
using ModKit.Elf;
using ModKit.Files;
using ModKit.Modules;
using ModKit.Signing;

namespace ModKit.Cli.Tools;

/// <summary>
/// <c>modinfo</c>: prints the information of modules given by file name, module name or alias, with
/// kmod 30's output byte for byte (<c>tools/modinfo.c</c>).
/// </summary>
internal sealed class ModinfoTool
{
    private readonly ToolContext _context;
    private readonly ToolLog _log;
    private readonly ToolOutput _out;
    // The size of kmod's path buffers (PATH_MAX, with the terminating NUL).
    private const int PathMax = 4096;

    private byte _separator = (byte)'\n';
    private byte[]? _field;

    // --json: the document being written, and the argument whose modules are being printed.
    private JsonOutput? _json;
    private string _argument = "";

    // --verify: the trusted certificates; null without the option.
    private List<SigningCertificate>? _certificates;

    private ModinfoTool(ToolContext context, ToolLog log, ToolOutput output)
    {
        _context = context;
        _log = log;
        _out = output;
    }

    public static int Run(ToolContext context, string argv0, IReadOnlyList<string> args)
    {
        var log = new ToolLog(ModuleName.BaseName(argv0), context.Stderr);
        using var output = new ToolOutput(context.Stdout);
        return new ModinfoTool(context, log, output).Execute(argv0, args);
    }

    private int Execute(string argv0, IReadOnlyList<string> args)
    {
        string? kernelVersion = null;
        string? root = null;
        bool argIsModuleName = false;
        bool json = false;
        string? certificateFiles = null;
        var parser = new GetOptParser(argv0, args, ModinfoOptions.Table, new StderrWriter(_context.Stderr));
        while (parser.TryNext(out var option))
        {
            switch (option.Code)
            {
                case 'a': _field = "author"u8.ToArray(); break;
                case 'd': _field = "description"u8.ToArray(); break;
                case 'l': _field = "license"u8.ToArray(); break;
                case 'p': _field = "parm"u8.ToArray(); break;
                case 'n': _field = "filename"u8.ToArray(); break;
                case '0': _separator = 0; break;
                case 'm': argIsModuleName = true; break;
                case 'F': _field = Encoding.UTF8.GetBytes(option.Argument!); break;
                case 'k': kernelVersion = option.Argument; break;
                case 'b': root = option.Argument; break;
                case ModinfoOptions.Json: json = true; break;
                case ModinfoOptions.Verify: certificateFiles = option.Argument; break;
                case 'h':
                    _out.Write(ModinfoOptions.Help(_log.Program));
                    return 0;
                case 'V':
                    _out.Write(ToolVersion.Text(_context.Profile));
                    return 0;
                default:
                    return 1;
            }
        }

        var names = parser.Remaining;
        if (names.Count == 0)
        {
            _log.Error("missing module or filename.");
            return 1;
        }

        if (certificateFiles is not null && !LoadCertificates(certificateFiles))
        {
            return 1;
        }

        // kmod uses <root>/lib/modules/<version> when either option is given, else the default directory.
        string directory = root is not null || kernelVersion is not null
            ? $"{root ?? string.Empty}/lib/modules/{kernelVersion ?? _context.KernelRelease()}"
            : _context.UnderRoot("/lib/modules/" + _context.KernelRelease());
        if (root is not null || kernelVersion is not null)
        {
            if (Encoding.UTF8.GetByteCount(directory) >= PathMax)
            {
                // kmod 34 refuses the directory; kmod 30's snprintf cuts it to what fits its buffer.
                if (_context.Profile.ModinfoChecksDirectoryLength)
                {
                    _log.Error($"bad directory {directory}: path too long");
                    return 1;
                }

                directory = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(directory), 0, PathMax - 1);
            }

            ReportUnparsableConfigFiles(_context.MakeAbsolute(directory));
        }

        var modules = new ModuleDirectory(_context.MakeAbsolute(directory));

        // Which arguments name module files is decided up front (a stat each), so their contents can
        // be read ahead in parallel; everything is still printed in argument order.
        var filePaths = names.Select(n => !argIsModuleName && IsModuleFileName(n) ? _context.MakeAbsolute(n) : null).ToArray();
        bool filenameOnly = _field is not null && _field.AsSpan().SequenceEqual("filename"u8);
        var prefetch = new ModuleInfoPrefetch(filenameOnly ? new string?[filePaths.Length] : filePaths, _context.Profile,
            _certificates is null ? null : Verify);
        bool failed = false;
        if (json)
        {
            _json = new JsonOutput(_context.Stdout);
            _json.Writer.WriteStartArray();
        }

        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i];
            _argument = name;
            bool ok;
            if (argIsModuleName)
            {
                ok = ByName(modules, name);
            }
            else if (filePaths[i] is not null)
            {
                ok = ByPath(modules, name, prefetch, i);
            }
            else
            {
                ok = ByAlias(modules, name);
            }

            failed |= !ok;
        }

        if (_json is not null)
        {
            _json.Writer.WriteEndArray();
            _json.Dispose();
        }

        return failed ? 1 : 0;
    }

    // kmod_new parses the module directory's modules.softdep (and, from kmod 33, modules.weakdep) even for modinfo;
    // a name that no longer fits a PATH_MAX buffer is reported by libkmod's default logger.
    private void ReportUnparsableConfigFiles(string directory)
    {
        string[] files = _context.Profile.ParsesWeakDependencies ? ["modules.softdep", "modules.weakdep"] : ["modules.softdep"];
        foreach (string file in files)
        {
            string path = directory + "/" + file;
            if (Encoding.UTF8.GetByteCount(path) >= PathMax)
            {
                _log.Raw($"libkmod: ERROR: kmod_config_new: Error parsing {path}: path too long\n");
            }
        }
    }

    // kmod treats an argument as a file when it is an existing regular file with a module extension.
    private bool IsModuleFileName(string name)
    {
        if (!ModuleFileName.HasModuleExtension(name))
        {
            return false;
        }

        try
        {
            var info = new FileInfo(_context.MakeAbsolute(name));
            if (info.LinkTarget is not null)
            {
                info = (FileInfo?)info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
            }

            return info.Exists && (info.Attributes & FileAttributes.Directory) == 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private bool ByPath(ModuleDirectory modules, string path, ModuleInfoPrefetch prefetch, int index)
    {
        string absolute = _context.MakeAbsolute(path);
        string? name = ModuleName.FromPath(path);
        if (name is null || !File.Exists(absolute))
        {
            Fail($"Module file {path} not found.");
            return false;
        }

        return Print(modules, new ModuleReference(name, absolute, builtin: false), prefetch, index);
    }

    private bool ByName(ModuleDirectory modules, string name)
    {
        var module = modules.LookupName(name);
        if (module is null)
        {
            Fail($"Module name {name} not found.");
            return false;
        }

        return Print(modules, module);
    }

    private bool ByAlias(ModuleDirectory modules, string alias)
    {
        if (modules.Lookup(alias, out var found) != 0)
        {
            Fail($"Module alias {alias} not found.");
            return false;
        }

        if (found.Count == 0)
        {
            Fail($"Module {alias} not found.");
            return false;
        }

        bool ok = true;
        foreach (var module in found)
        {
            ok &= Print(modules, module);
        }

        return ok;
    }

    // kmod_module_get_path decides: a module without a file is shown as builtin.
    private bool Print(ModuleDirectory modules, ModuleReference module, ModuleInfoPrefetch? prefetch = null, int index = -1)
    {
        string? filename = modules.ResolvePath(module);
        bool builtin = filename is null;
        if (builtin && _json is null)
        {
            if (_field is null)
            {
                PaddedLine("name:", module.Name);
            }
            else if (_field.AsSpan().SequenceEqual("name"u8))
            {
                _out.Write(module.Name).Write(_separator);
            }

            filename = "(builtin)";
        }

        if (_json is null && _field is not null && _field.AsSpan().SequenceEqual("filename"u8))
        {
            _out.Write(filename!).Write(_separator);
            return _certificates is null || (!builtin && VerifyFile(filename!) is { Status: SignatureStatus.Valid });
        }

        if (_json is null && _field is null)
        {
            PaddedLine("filename:", filename!);
        }

        SignatureVerification? verification = null;
        int error = prefetch is not null
            ? prefetch.Take(index, out var entries, out var failure, out verification)
            : modules.TryGetInfo(module, out entries, out failure, _context.Profile.SignatureRules, _context.Profile.ZstdDecoding);
        if (error != 0)
        {
            // A kernel older than 5.2 has no modules.builtin.modinfo: not an error.
            if (builtin && error == Errno.ENOENT)
            {
                if (_json is not null)
                {
                    WriteJson(module, null, [], null);
                }

                return _certificates is null;
            }

            _out.Flush();
            var profile = _context.Profile;
            if (failure is { LibkmodFunction: { } function } && profile.LogsDecompressionErrors)
            {
                // modinfo leaves libkmod's default logger in place: "libkmod: ERROR: <function>: <message>".
                _log.Raw($"libkmod: ERROR: {function}: {failure.Message}\n");
            }

            if (failure is { MissingSection: true })
            {
                error = profile.MissingSectionErrno;
            }

            Fail($"could not get modinfo from '{module.Name}': {Errno.Describe(error)}");
            return false;
        }

        // --verify: builtin modules have no file to check and fail the exit status.
        if (!builtin)
        {
            verification ??= VerifyFile(filename!);
        }

        bool verified = _certificates is null || verification is { Status: SignatureStatus.Valid };
        if (_json is not null)
        {
            WriteJson(module, builtin ? null : filename, entries, verification);
            return verified;
        }

        if (_field is not null && _field.AsSpan().SequenceEqual("parm"u8))
        {
            PrintParameters(entries);
            return verified;
        }

        var parameters = new ModuleParameterList();
        foreach (var entry in entries)
        {
            var key = entry.RawKey.Span;
            if (_field is not null)
            {
                if (key.SequenceEqual(_field))
                {
                    _out.Write(entry.RawValue.Span).Write(_separator);
                }

                continue;
            }

            if (ModuleParameterList.IsParameterEntry(entry))
            {
                Collect(parameters, entry);
                continue;
            }

            if (_separator == 0)
            {
                _out.Write(key).Write((byte)'=').Write(entry.RawValue.Span).Write(_separator);
                continue;
            }

            // printf("%s:%-*s%s", key, 15 - keylen, "", value): in kmod 30 a negative width pads too (left-justified);
            // kmod 34 clamps the key length to 15 first.
            int padding = _context.Profile.ModinfoClampsLongKeys ? Math.Max(0, 15 - key.Length) : Math.Abs(15 - key.Length);
            _out.Write(key).Write((byte)':').Spaces(padding).Write(entry.RawValue.Span).Write(_separator);
        }

        if (_field is null)
        {
            foreach (var p in parameters.InPrintOrder())
            {
                _out.Write("parm:").Spaces(11).Write(p.Name.Span).Write((byte)':');
                if (p.Description is null)
                {
                    _out.Write(p.Type!.Value.Span);
                }
                else
                {
                    _out.Write(p.Description.Value.Span);
                    if (p.Type is not null)
                    {
                        _out.Write(" ("u8).Write(p.Type.Value.Span).Write((byte)')');
                    }
                }

                _out.Write(_separator);
            }
        }

        if (verification is not null && (_field is null || _field.AsSpan().SequenceEqual("verify"u8)))
        {
            string line = VerificationText(verification);
            if (_field is not null)
            {
                _out.Write(line).Write(_separator);
            }
            else if (_separator == 0)
            {
                _out.Write("verify=").Write(line).Write(_separator);
            }
            else
            {
                PaddedLine("verify:", line);
            }
        }

        return verified;
    }

    // --verify=CERT[,CERT...]: PEM or DER files, each with one or more certificates.
    private bool LoadCertificates(string list)
    {
        _certificates = [];
        foreach (string path in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                _certificates.AddRange(SigningCertificate.Load(_context.MakeAbsolute(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                _log.Error($"could not read certificate {path}: {e.Message}");
                return false;
            }
        }

        if (_certificates.Count == 0)
        {
            _log.Error("--verify needs at least one certificate file");
            return false;
        }

        return true;
    }

    // The signature check of a module file read ahead, on its prefetch thread, over the image read for its information
    // (each thread verifies with its own copy of a certificate's key).
    private SignatureVerification Verify(ModuleFile file) => Checked(() => file.VerifySignature(_certificates!));

    // The same for a file not read ahead (a module named by its name, -F filename).
    private SignatureVerification? VerifyFile(string filename) =>
        _certificates is null ? null : Checked(() => ModuleSignatureVerifier.VerifyFile(filename, _certificates));

    private static SignatureVerification Checked(Func<SignatureVerification> verify)
    {
        try
        {
            return verify();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ModuleFormatException)
        {
            return new SignatureVerification(SignatureStatus.Malformed, "cannot read the module: " + e.Message);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            // The platform's cryptography (OpenSSL's libcrypto) is missing or failed: nothing is called valid.
            return new SignatureVerification(SignatureStatus.Malformed, "cannot verify: " + e.Message);
        }
    }

    // "valid (signer: NAME, key: HEX, hash: sha256)" or "<status> (<reason>)".
    private static string VerificationText(SignatureVerification verification) => verification.Status == SignatureStatus.Valid
        ? $"valid (signer: {verification.Signer!.Subject}, key: {Convert.ToHexStringLower(verification.Signer.KeyId.Span)}, hash: {verification.HashAlgorithm})"
        : $"{verification.StatusName} ({verification.Reason})";

    // modinfo -p / -F parm: "<name>:<desc> (<type>)", "<name>:<desc>" or "<name>: (<type>)".
    private void PrintParameters(List<ModInfoEntry> entries)
    {
        var parameters = new ModuleParameterList();
        foreach (var entry in entries)
        {
            if (ModuleParameterList.IsParameterEntry(entry))
            {
                Collect(parameters, entry);
            }
        }

        foreach (var p in parameters.InPrintOrder())
        {
            _out.Write(p.Name.Span);
            if (p.Description is null)
            {
                _out.Write(": ("u8).Write(p.Type!.Value.Span).Write((byte)')');
            }
            else
            {
                _out.Write((byte)':').Write(p.Description.Value.Span);
                if (p.Type is not null)
                {
                    _out.Write(" ("u8).Write(p.Type.Value.Span).Write((byte)')');
                }
            }

            _out.Write(_separator);
        }
    }

    private void Collect(ModuleParameterList parameters, ModInfoEntry entry)
    {
        if (!parameters.TryAdd(entry))
        {
            _out.Flush();
            _log.Error($"Found invalid \"{entry.Key}={entry.Value}\": missing ':'");
        }
    }

    // A message on standard error, and with --json an error object for the argument.
    private void Fail(string message)
    {
        _log.Error(message);
        if (_json is { Writer: var writer })
        {
            writer.WriteStartObject();
            writer.WriteString("argument", _argument);
            writer.WriteString("error", message);
            writer.WriteEndObject();
            _json.Checkpoint();
        }
    }

    // One module's object (schemas/modinfo.schema.json): every field in file order but the parameters, which
    // follow merged as the text output prints them. -F (and -a, -d, -l, -p, -n) keeps only that field.
    private void WriteJson(ModuleReference module, string? filename, List<ModInfoEntry> entries, SignatureVerification? verification)
    {
        var writer = _json!.Writer;
        bool all = _field is null;
        writer.WriteStartObject();
        writer.WriteString("argument", _argument);
        writer.WriteString("name", module.Name);
        writer.WriteString("filename", filename);
        writer.WriteBoolean("builtin", filename is null);
        writer.WriteStartArray("fields");
        var parameters = new ModuleParameterList();
        foreach (var entry in entries)
        {
            if (ModuleParameterList.IsParameterEntry(entry))
            {
                Collect(parameters, entry);
                continue;
            }

            if (all || entry.RawKey.Span.SequenceEqual(_field))
            {
                writer.WriteStartObject();
                _json.WriteString("key", entry.RawKey.Span);
                _json.WriteString("value", entry.RawValue.Span);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("parameters");
        if (all || _field.AsSpan().SequenceEqual("parm"u8))
        {
            foreach (var p in parameters.InPrintOrder())
            {
                writer.WriteStartObject();
                _json.WriteString("name", p.Name.Span);
                if (p.Type is { } type)
                {
                    _json.WriteString("type", type.Span);
                }

                if (p.Description is { } description)
                {
                    _json.WriteString("description", description.Span);
                }

                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        if (_certificates is not null)
        {
            WriteVerification(writer, verification);
        }

        writer.WriteEndObject();
        _json.Checkpoint();
    }

    // "verification": null for a builtin module, else { status, reason, signer, keyId, hashAlgorithm, keyAlgorithm }.
    private static void WriteVerification(System.Text.Json.Utf8JsonWriter writer, SignatureVerification? verification)
    {
        if (verification is null)
        {
            writer.WriteNull("verification");
            return;
        }

        writer.WriteStartObject("verification");
        writer.WriteString("status", verification.StatusName);
        writer.WriteString("reason", verification.Reason);
        if (verification.Signer is { } signer)
        {
            writer.WriteString("signer", signer.Subject);
            writer.WriteString("keyId", Convert.ToHexStringLower(signer.KeyId.Span));
        }

        if (verification.HashAlgorithm is { } hash)
        {
            writer.WriteString("hashAlgorithm", hash);
        }

        if (verification.KeyAlgorithm is { } key)
        {
            writer.WriteString("keyAlgorithm", key);
        }

        writer.WriteEndObject();
    }

    private void PaddedLine(string label, string value) =>
        _out.Write(label).Spaces(16 - label.Length).Write(value).Write(_separator);
}

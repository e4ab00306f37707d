using ModKit.Files;
using ModKit.Index;
using ModKit.Signing;

namespace ModKit;

/// <summary>
/// Which kmod release ModKit behaves as: Debian 12's kmod 30 or Debian 13's kmod 34.2. Every behaviour
/// that differs between the two is one named setting here; the library and the tools read the setting,
/// never a version number. The README lists the differences.
/// </summary>
/// <remarks>
/// A build has a default (<c>./build.sh</c> builds kmod 34.2's, <c>./build.sh -p:KmodCompat=30</c> kmod 30's);
/// the tools take <c>MODKIT_KMOD=30</c> or <c>MODKIT_KMOD=34</c> from the environment to override it.
/// </remarks>
public sealed class KmodProfile
{
    private KmodProfile(string name)
    {
        Name = name;
    }

    /// <summary>kmod 30, as Debian 12 ships it.</summary>
    public static KmodProfile Kmod30 { get; } = new("30")
    {
        Version = "30",
        Features = "+ZSTD +XZ +ZLIB +LIBCRYPTO -EXPERIMENTAL",
        ModprobeConfigDirectories = ["/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/lib/modprobe.d"],
        DepmodConfigDirectories = ["/etc/depmod.d", "/run/depmod.d", "/usr/local/lib/depmod.d", "/lib/depmod.d"],
        ReadsAliasConfigFiles = true,
        ParsesWeakDependencies = false,
        WritesWeakDependencies = false,
        IndexLayout = IndexLayout.PostOrder,
        SyslogWhenStderrClosed = true,
        CommandLines = KmodCommandLines.Kmod30,

        // libkmod
        LogsDecompressionErrors = false,
        SignatureRules = SignatureRules.Kmod30OpenSsl30,
        ZstdDecoding = ZstdDecoding.Streaming,

        // insmod
        InsmodQuotesParameterValues = false,
        InsmodRoutesLibraryLog = false,
        KernelDecompressesModules = false,

        // rmmod
        RmmodLogsHoldersInOneMessage = false,

        // modinfo
        ModinfoClampsLongKeys = false,
        ModinfoChecksDirectoryLength = false,

        // kmod
        HelpCommandSummary = "Show help message",
        StaticNodesCommandSummary = "outputs the static-node information installed with the currently running kernel",
        HelpCommandNamesItself = true,
        UnknownProgramExitStatus = 254,

        // static-nodes
        StaticNodesDefaultOutput = "/dev/stdout",

        // lsmod
        LsmodReadsOptions = false,
        LsmodLogsAsTool = false,

        // modprobe
        ModprobeWaitHelp = "-w, --wait <MSEC>",
        ModprobeLoadsModulePaths = false,
        ModprobeRejectsLongModuleDirectory = false,
        ConfigReportsUnstatableEntries = false,
        ConfigKeepsEndOfFileAfterBackslash = true,
        DependencyLookupFailure = "failed to lookup soft dependency",
        MissingSectionErrno = Errno.ENOENT,

        // depmod
        DepmodCreatesOutputDirectory = false,
        DepmodRefusesLongDirectoryPaths = false,
        DepmodSkipsUnreadableConfigEntries = false,
        DepmodModulesOrderFirstLineWins = false,
        DepmodRefusesNonAsciiIndexText = false,
        DepmodModuleLimit = null,
    };

    /// <summary>kmod 34.2, as Debian 13 ships it.</summary>
    public static KmodProfile Kmod34 { get; } = new("34")
    {
        Version = "34.2",
        Features = "+ZSTD +XZ +ZLIB +OPENSSL",
        ModprobeConfigDirectories = ["/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d"],
        DepmodConfigDirectories = ["/etc/depmod.d", "/run/depmod.d", "/usr/local/lib/depmod.d", "/usr/lib/depmod.d", "/lib/depmod.d"],
        ReadsAliasConfigFiles = false,
        ParsesWeakDependencies = true,
        WritesWeakDependencies = true,
        IndexLayout = IndexLayout.PreOrder,
        SyslogWhenStderrClosed = true,
        CommandLines = KmodCommandLines.Kmod34,

        // libkmod
        LogsDecompressionErrors = true,
        SignatureRules = SignatureRules.Kmod34OpenSsl35,
        ZstdDecoding = ZstdDecoding.WholeFrames,

        // insmod
        InsmodQuotesParameterValues = true,
        InsmodRoutesLibraryLog = true,
        KernelDecompressesModules = true,

        // rmmod
        RmmodLogsHoldersInOneMessage = true,

        // modinfo
        ModinfoClampsLongKeys = true,
        ModinfoChecksDirectoryLength = true,

        // kmod
        HelpCommandSummary = "show help message",
        StaticNodesCommandSummary = "output the static-node information installed with the currently running kernel",
        HelpCommandNamesItself = false,
        UnknownProgramExitStatus = 1,

        // static-nodes
        StaticNodesDefaultOutput = null,

        // lsmod
        LsmodReadsOptions = true,
        LsmodLogsAsTool = true,

        // modprobe
        ModprobeWaitHelp = "-w, --wait=<MSEC>",
        ModprobeLoadsModulePaths = true,
        ModprobeRejectsLongModuleDirectory = true,
        ConfigReportsUnstatableEntries = true,
        ConfigKeepsEndOfFileAfterBackslash = false,
        DependencyLookupFailure = "failed to lookup dependency",
        MissingSectionErrno = Errno.ENODATA,

        // depmod
        DepmodCreatesOutputDirectory = true,
        DepmodRefusesLongDirectoryPaths = true,
        DepmodSkipsUnreadableConfigEntries = true,
        DepmodModulesOrderFirstLineWins = true,
        DepmodRefusesNonAsciiIndexText = true,
        DepmodModuleLimit = ushort.MaxValue,

        // libkmod
        LibkmodLogNamesPriority = true,
    };

    /// <summary>
    /// The profile this build was made for: kmod 34.2 unless built with <c>-p:KmodCompat=30</c>.
    /// </summary>
    public static KmodProfile BuildDefault =>
#if KMOD_COMPAT_30
        Kmod30;
#else
        Kmod34;
#endif

    /// <summary>The value of <c>MODKIT_KMOD</c> that selects this profile: <c>30</c> or <c>34</c>.</summary>
    public string Name { get; }

    /// <summary>What <c>-V</c> prints after <c>kmod version </c>.</summary>
    public required string Version { get; init; }

    /// <summary>
    /// <c>-V</c>'s feature line: the decompressors and signature support ModKit has, in the release's words
    /// (<c>+LIBCRYPTO -EXPERIMENTAL</c> in kmod 30, <c>+OPENSSL</c> in 34). Unlike Debian's builds
    /// (<c>-ZLIB</c>), ModKit reads gzip-compressed modules.
    /// </summary>
    public required string Features { get; init; }

    /// <summary>modprobe.d folders, highest precedence first (libkmod's <c>default_config_paths</c>).</summary>
    public required IReadOnlyList<string> ModprobeConfigDirectories { get; init; }

    /// <summary>depmod.d folders, highest precedence first (depmod's <c>default_cfg_paths</c>).</summary>
    public required IReadOnlyList<string> DepmodConfigDirectories { get; init; }

    /// <summary>modprobe.d files named <c>*.alias</c> are read besides <c>*.conf</c> (kmod ≤ 32).</summary>
    public required bool ReadsAliasConfigFiles { get; init; }

    /// <summary>
    /// <c>weakdep</c> lines of modprobe.d are read, and <c>modules.weakdep</c> of the module directory joins the
    /// configuration files as <c>modules.softdep</c> does (kmod ≥ 33); otherwise <c>weakdep</c> is a bad line.
    /// </summary>
    public required bool ParsesWeakDependencies { get; init; }

    /// <summary>depmod writes <c>modules.weakdep</c> (kmod ≥ 33).</summary>
    public required bool WritesWeakDependencies { get; init; }

    /// <summary>Where depmod places the nodes of the <c>modules.*.bin</c> tries (pre-order from kmod 34).</summary>
    public required IndexLayout IndexLayout { get; init; }

    /// <summary>
    /// modprobe, when its standard error is closed (<c>modprobe ... 2&gt;&amp;-</c>), logs to syslog as if given
    /// <c>-s</c> (<c>tools/modprobe.c</c>: <c>fstat(fileno(stderr))</c> after the options are read). Upstream since
    /// kmod 31, but Debian 12's "kmod 30" is a 2022-11-28 snapshot that already has it (strace of both: a
    /// <c>/dev/log</c> connect, then <c>/dev/console</c>), so both profiles do it. Only modprobe does this; insmod,
    /// rmmod, modinfo, lsmod and depmod of either release do not.
    /// </summary>
    public required bool SyslogWhenStderrClosed { get; init; }

    /// <summary>The tools' option tables, help texts and command-line messages.</summary>
    public required KmodCommandLines CommandLines { get; init; }

    // libkmod

    /// <summary>
    /// libkmod reports why a compressed module could not be decompressed (<c>xz: File is corrupt</c>,
    /// <c>zstd: ...</c>). kmod 30 logs these through a context it has not set yet, so they never appear. In kmod 34
    /// modinfo prints them as <c>libkmod: ERROR: function: message</c>, insmod, modprobe and depmod through their own log;
    /// depmod three times for each module, as libkmod loads the file again for its <c>.modinfo</c> and its dependency
    /// symbols (<see cref="Modules.ModuleFile.GetRetryMessages"/>).
    /// </summary>
    public required bool LogsDecompressionErrors { get; init; }

    /// <summary>
    /// How modinfo reads a PKCS#7 signature: as kmod 30 with OpenSSL 3.0 (the kernel's nine digests; any other hides the
    /// signature) or as kmod 34.2 with Debian 13's OpenSSL 3.5 (OpenSSL's name of any digest, <c>sha3-256</c>,
    /// <c>ripemd160</c> for kmod 30's <c>rmd160</c>; a few BER corner cases read the other way).
    /// </summary>
    public required SignatureRules SignatureRules { get; init; }

    /// <summary>
    /// How <c>.ko.zst</c> files are decoded: kmod 30 streams (frames without a recorded size work, a cut file gives what
    /// was decoded); kmod 34 decodes the whole file at once into the size the frame header records, and fails without one.
    /// Every tool that reads a module follows it (modinfo, depmod, modprobe's <c>--show-modversions</c> and loads, insmod).
    /// </summary>
    public required ZstdDecoding ZstdDecoding { get; init; }

    // insmod

    /// <summary>
    /// insmod wraps a parameter value that contains a space in double quotes (<c>x=a b</c> becomes
    /// <c>x="a b"</c>, <c>tools/opt.c: options_from_array</c>, kmod ≥ 34); kmod 30's insmod joins its
    /// arguments as they are.
    /// </summary>
    public required bool InsmodQuotesParameterValues { get; init; }

    /// <summary>
    /// insmod routes libkmod's messages through its own log (<c>insmod: ERROR: ...</c>, more with each
    /// <c>-v</c>; kmod 34). kmod 30's insmod leaves libkmod's default logger, which prints nothing on insmod's paths.
    /// </summary>
    public required bool InsmodRoutesLibraryLog { get; init; }

    /// <summary>
    /// A compressed module whose algorithm the running kernel decompresses (<c>/sys/module/compression</c>,
    /// Linux 6.4+) is handed to <c>finit_module</c> with <c>MODULE_INIT_COMPRESSED_FILE</c> (kmod ≥ 31); kmod 30
    /// always decompresses it itself and calls <c>init_module</c>. insmod and modprobe alike.
    /// </summary>
    public required bool KernelDecompressesModules { get; init; }

    // rmmod

    /// <summary>
    /// rmmod reports an in-use module's holders in its one log message (Debian 13's kmod 34.2:
    /// <c>Module %s is in use by:%s</c>, so with <c>-s</c> all of it goes to syslog); kmod 30 logs
    /// <c>Module a is in use by:</c> and writes the names straight to standard error. (The v34.2 tag's
    /// source logs each name as a message of its own; Debian's binary, run in the VM, does not.)
    /// </summary>
    public required bool RmmodLogsHoldersInOneMessage { get; init; }

    // modinfo

    /// <summary>
    /// modinfo pads a key longer than 15 characters with nothing (kmod 34 clamps the width); kmod 30's
    /// <c>printf("%-*s", 15 - keylen)</c> pads it by <c>keylen - 15</c> spaces instead.
    /// </summary>
    public required bool ModinfoClampsLongKeys { get; init; }

    /// <summary>
    /// modinfo rejects a <c>-b</c>/<c>-k</c> module directory of <c>PATH_MAX</c> or more bytes with
    /// <c>bad directory ...: path too long</c> (kmod 34); kmod 30 goes on with the path cut to 4095 bytes, where libkmod
    /// then cannot parse <c>modules.softdep</c>.
    /// </summary>
    public required bool ModinfoChecksDirectoryLength { get; init; }

    // kmod

    /// <summary>What <c>kmod help</c> lists for the <c>help</c> command (kmod 34 lowercased it).</summary>
    public required string HelpCommandSummary { get; init; }

    /// <summary>What <c>kmod help</c> lists for the <c>static-nodes</c> command ("outputs ..." in kmod 30, "output ..." in 34).</summary>
    public required string StaticNodesCommandSummary { get; init; }

    /// <summary>
    /// <c>kmod help</c> names the command in its usage line (<c>help [options] command ...</c>), as kmod 30 prints
    /// the base name of the argv[0] it hands the command; kmod 34 always prints the program's name.
    /// </summary>
    public required bool HelpCommandNamesItself { get; init; }

    /// <summary>
    /// The exit status of the program run under a name that is neither <c>kmod</c> nor a tool's: 254 in kmod 30
    /// (its dispatcher returns <c>-ENOENT</c>), 1 in kmod 34.
    /// </summary>
    public required int UnknownProgramExitStatus { get; init; }

    // static-nodes

    /// <summary>
    /// Where <c>kmod static-nodes</c> writes without <c>--output</c>: kmod 30 opens the path <c>/dev/stdout</c> like
    /// any output file (its folder made if missing, the file reopened and truncated: <c>&gt;&gt; file</c> is
    /// overwritten from its start; with standard output closed, <c>modules.devname</c> itself, opened first on
    /// descriptor 1, is emptied and nothing is written: ModKit writes nothing but keeps the file, a deliberate
    /// difference); <see langword="null"/> in kmod 34: standard output as it is.
    /// </summary>
    public required string? StaticNodesDefaultOutput { get; init; }

    // lsmod

    /// <summary>
    /// lsmod reads <c>-s/--syslog</c>, <c>-v/--verbose</c>, <c>-V/--version</c> and <c>-h/--help</c> and rejects an operand
    /// with "too many arguments provided." (kmod 34); kmod 30's lsmod takes nothing and prints "Usage: lsmod" for any argument.
    /// </summary>
    public required bool LsmodReadsOptions { get; init; }

    /// <summary>
    /// lsmod's messages, libkmod's included, are the tool's (<c>lsmod: ERROR: ...</c>, shown by <c>-v</c>, sent by
    /// <c>-s</c>) in kmod 34; kmod 30's lsmod leaves libkmod's logger (<c>libkmod: ERROR: function: ...</c>) and prints
    /// its own error as <c>Error: ...</c>.
    /// </summary>
    public required bool LsmodLogsAsTool { get; init; }

    // modprobe

    /// <summary>
    /// How modprobe's <c>--help</c> shows <c>-w</c>: <c>-w, --wait &lt;MSEC&gt;</c> (kmod 30) or
    /// <c>-w, --wait=&lt;MSEC&gt;</c> (kmod 34, whose help texts were unified). The only line that differs.
    /// </summary>
    public required string ModprobeWaitHelp { get; init; }

    /// <summary>
    /// modprobe takes an argument that starts with <c>/</c> or <c>./</c> as a module file, its dependencies
    /// from modules.dep (kmod ≥ 31); kmod 30 looks every argument up as a name or alias. In either profile
    /// nothing after <c>--</c> is a path (a ModKit safety rule: the kernel runs <c>modprobe -q -- NAME</c>).
    /// </summary>
    public required bool ModprobeLoadsModulePaths { get; init; }

    /// <summary>
    /// modprobe refuses a <c>-d</c>/<c>-S</c> module directory longer than PATH_MAX with
    /// <c>bad directory …: path too long</c> (kmod ≥ 34); kmod 30 cuts the path short and carries on.
    /// </summary>
    public required bool ModprobeRejectsLongModuleDirectory { get; init; }

    /// <summary>
    /// A modprobe.d entry that cannot be stat'ed (a dangling <c>*.conf</c> link) is reported as
    /// <c>Cannot stat directory entry: …</c> and skipped (kmod ≥ 34); kmod 30 takes it for whatever the entry
    /// stat'ed before it was (a folder: reported as one; a file: kept, and then silently fails to open).
    /// </summary>
    public required bool ConfigReportsUnstatableEntries { get; init; }

    /// <summary>
    /// A modprobe.d file that ends in a backslash gets getc's EOF (a 0xFF byte) at the end of its last line
    /// (kmod ≤ 33, <c>freadline_wrapped</c>); kmod 34 drops the backslash and adds nothing.
    /// </summary>
    public required bool ConfigKeepsEndOfFileAfterBackslash { get; init; }

    /// <summary>
    /// libkmod's error when a softdep (or weakdep) name cannot be looked up, before <c> '&lt;name&gt;', continuing
    /// anyway.</c>: <c>failed to lookup soft dependency</c> (kmod 30) or <c>failed to lookup dependency</c> (kmod ≥ 33).
    /// </summary>
    public required string DependencyLookupFailure { get; init; }

    /// <summary>
    /// The error libkmod reports for a module that lacks the ELF section asked for (<c>__versions</c> for
    /// <c>--show-modversions</c>, exported symbols for <c>--show-exports</c>, <c>.modinfo</c> for modinfo):
    /// <see cref="Errno.ENOENT"/> in kmod 30, <see cref="Errno.ENODATA"/> (<c>No data available</c>) from kmod 31.
    /// </summary>
    public required int MissingSectionErrno { get; init; }

    // depmod (its option table and help text follow CommandLines: tools/depmod.c's cmdopts and help())

    /// <summary>
    /// depmod makes its output directory (<c>mkdir -p</c>, mode 0755) before writing its files (kmod ≥ 31, with
    /// <c>-o</c>); kmod 30 stops with <c>FATAL: could not open directory</c> when it does not exist (module paths
    /// given on the command line under a base directory that has no module directory).
    /// </summary>
    public required bool DepmodCreatesOutputDirectory { get; init; }

    /// <summary>
    /// depmod refuses a module or output directory path (<c>basedir/moduledir/version</c>) of PATH_MAX bytes or
    /// more with <c>ERROR: Bad directory …: path too long</c> (kmod ≥ 34); kmod 30 cuts it short and fails later.
    /// </summary>
    public required bool DepmodRefusesLongDirectoryPaths { get; init; }

    /// <summary>
    /// A depmod.d entry named <c>*.conf</c> that cannot be stat'ed (a dangling link) is reported while the folder
    /// is listed (<c>ERROR: Cannot stat directory entry: &lt;dir&gt;&lt;name&gt;</c>, without a slash) and skipped, so
    /// a file of that name in a later folder is read (kmod ≥ 34); kmod 30 takes it, then fails to open it
    /// (<c>ERROR: file parse …</c>).
    /// </summary>
    public required bool DepmodSkipsUnreadableConfigEntries { get; init; }

    /// <summary>
    /// A module listed more than once in modules.order takes the place of its first line (kmod ≥ 34); in kmod 30
    /// the last line counts.
    /// </summary>
    public required bool DepmodModulesOrderFirstLineWins { get; init; }

    /// <summary>
    /// depmod stops (<c>FATAL: Module index: bad character …</c>) at the first index key or value with a byte of
    /// 0x80 or more (kmod ≥ 34 compares the byte unsigned). kmod 30 compares a signed <c>char</c>, so on x86 its
    /// check never fires and such keys are stored (see <see cref="Depmod.DepmodSettings.AllowNonAsciiOutsideChildTables"/>).
    /// </summary>
    public required bool DepmodRefusesNonAsciiIndexText { get; init; }

    /// <summary>
    /// depmod stops with <c>FATAL: could not build module array: Numerical result out of range</c> when it finds this
    /// many modules or more (kmod ≥ 34: 65535, its module numbers are 16-bit). kmod 30 has the same 16-bit numbers but
    /// no check: it dies on an assertion (SIGABRT); ModKit's kmod 30 profile has no limit.
    /// </summary>
    public required int? DepmodModuleLimit { get; init; }

    // libkmod

    /// <summary>
    /// Whether libkmod's default log function (messages on stderr) names the priority:
    /// <c>libkmod: ERROR: FUNCTION: </c> in kmod 34.2, <c>libkmod: FUNCTION: </c> in kmod 30 (Debian 12's
    /// libkmod 30 is a debug build, whose <c>libkmod: ERROR FILE:LINE FUNCTION: </c> names kmod's C source lines).
    /// </summary>
    public bool LibkmodLogNamesPriority { get; init; }

    /// <summary>The profile named by <c>MODKIT_KMOD</c> (<c>30</c>, <c>34</c> or <c>34.2</c>), or null for any other value.</summary>
    public static KmodProfile? FromName(string? name) => name switch
    {
        "30" => Kmod30,
        "34" or "34.2" => Kmod34,
        _ => null,
    };

    /// <inheritdoc/>
    public override string ToString() => "kmod " + Version;
}

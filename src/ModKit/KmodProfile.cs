using ModKit.Index;

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
        SyslogWhenStderrClosed = false,
        CommandLines = KmodCommandLines.Kmod30,

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

    /// <summary>A tool whose standard error is closed logs to syslog instead (kmod ≥ 31).</summary>
    public required bool SyslogWhenStderrClosed { get; init; }

    /// <summary>The tools' option tables, help texts and command-line messages.</summary>
    public required KmodCommandLines CommandLines { get; init; }

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
    /// <c>--show-modversions</c>, exported symbols for <c>--show-exports</c>): <see cref="Errno.ENOENT"/> in
    /// kmod 30, <see cref="Errno.ENODATA"/> (<c>No data available</c>) from kmod 31.
    /// </summary>
    public required int MissingSectionErrno { get; init; }

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

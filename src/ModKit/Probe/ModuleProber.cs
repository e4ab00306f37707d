using ModKit.Kernel;

namespace ModKit.Probe;

/// <summary>
/// Loads a module with everything it needs, as <c>kmod_module_probe_insert_module</c> does: its
/// <c>modules.dep</c> dependencies, the softdeps of each, install commands instead of insertions where
/// configured, the blacklist, and modules already in the kernel skipped.
/// </summary>
public sealed class ModuleProber(ModuleContext context)
{
    /// <summary>Called for each step before it is taken (also in a dry run).</summary>
    public Action<ProbeAction>? OnAction { get; set; }

    /// <summary>
    /// Runs an install command (already expanded) instead of the shell, and gives the step's result
    /// itself: libkmod's <c>run_install</c> callback. <see langword="null"/> runs it with
    /// <see cref="ModuleContext.RunCommand"/>, where a failure is <c>-EINVAL</c>.
    /// </summary>
    public Func<ProbeModule, string, int>? RunInstall { get; set; }

    /// <summary>
    /// Plans the load of <paramref name="module"/> (<c>kmod_module_get_probe_list</c>): for each dependency,
    /// most basic first, its pre-softdeps, itself and its post-softdeps; then the same for the module. A
    /// module already visited is not entered again, so softdep loops end; the plan may still repeat a module.
    /// </summary>
    /// <param name="module">The module to load.</param>
    /// <param name="ignoreCommands">Leave out the module's own softdeps and install command (<c>-i</c>).</param>
    /// <returns>The modules in load order.</returns>
    public IReadOnlyList<ProbeModule> Plan(ProbeModule module, bool ignoreCommands)
    {
        ArgumentNullException.ThrowIfNull(module);
        return PlanList(module, ignoreCommands).ConvertAll(step => step.Module);
    }

    // A plan entry and the edge that brought it.
    private readonly record struct PlanStep(ProbeModule Module, ProbeReason Reason, ProbeModule? Via);

    private List<PlanStep> PlanList(ProbeModule module, bool ignoreCommands)
    {
        context.ResetPlanMarks();
        var plan = new List<PlanStep>();
        AddWithDependencies(module, required: true, ignoreCommands, plan, ProbeReason.Requested, null);
        return plan;
    }

    /// <summary>Loads <paramref name="module"/> and what it needs.</summary>
    /// <param name="module">The module (from <see cref="ModuleContext.Lookup"/>, a name or a path).</param>
    /// <param name="flags">How.</param>
    /// <param name="extraOptions">Options for this module only, after its configured ones (modprobe's command-line parameters).</param>
    /// <returns>0 on success; a positive <see cref="ProbeFlags"/> value when a blacklist stopped the load;
    /// otherwise the negative errno of the failing step (<c>-EEXIST</c> with <see cref="ProbeFlags.FailOnLoaded"/>).</returns>
    public int Insert(ProbeModule module, ProbeFlags flags, string? extraOptions = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        bool checkLoaded = (flags & ProbeFlags.IgnoreLoaded) == 0;
        if (checkLoaded && context.IsInKernel(module))
        {
            return (flags & ProbeFlags.FailOnLoaded) != 0 ? -Errno.EEXIST : 0;
        }

        var blacklistRule = module.Alias is not null && (flags & ProbeFlags.ApplyBlacklistAliasOnly) != 0 ? ProbeFlags.ApplyBlacklistAliasOnly
            : (flags & ProbeFlags.ApplyBlacklistAll) != 0 ? ProbeFlags.ApplyBlacklistAll
            : flags & ProbeFlags.ApplyBlacklist;
        if (blacklistRule != 0 && context.IsBlacklisted(module))
        {
            return (int)blacklistRule;
        }

        var plan = PlanList(module, (flags & ProbeFlags.IgnoreCommand) != 0);
        if ((flags & ProbeFlags.ApplyBlacklistAll) != 0)
        {
            var allowed = plan.FindAll(step => !context.IsBlacklisted(step.Module));
            if (allowed.Count == 0)
            {
                return (int)ProbeFlags.ApplyBlacklistAll;
            }

            plan = allowed;
        }

        int error = 0;
        foreach (var (step, reason, via) in plan)
        {
            if (checkLoaded && context.IsInKernel(step))
            {
                error = -Errno.EEXIST;
            }
            else
            {
                error = Take(step, step == module, flags, extraOptions, reason, via);
            }

            // Already loaded: a race or a module loaded by an earlier step. Fatal only for the
            // requested module with --first-time; softdep-only modules never stop the plan.
            if (error == -Errno.EEXIST && step == module && (flags & ProbeFlags.FailOnLoaded) != 0)
            {
                break;
            }

            if (error == -Errno.EEXIST || !step.Required)
            {
                error = 0;
            }
            else if (error < 0)
            {
                break;
            }
        }

        return error;
    }

    /// <summary>
    /// Replaces every <c>$CMDLINE_OPTS</c> of an install command with the options, as libkmod does before
    /// running it (the printed plan shows the command unexpanded).
    /// </summary>
    /// <param name="command">The command.</param>
    /// <param name="options">The options, or <see langword="null"/>.</param>
    /// <returns>The command to run.</returns>
    public static string ExpandCommand(string command, string? options) =>
        command.Replace("$CMDLINE_OPTS", options ?? string.Empty, StringComparison.Ordinal);

    // module_options_concat: "configured extra", and a trailing space when only configured ones exist.
    private static string? JoinOptions(string? configured, string? extra)
    {
        if (string.IsNullOrEmpty(configured) && string.IsNullOrEmpty(extra))
        {
            return null;
        }

        return configured is null ? extra : configured + " " + extra;
    }

    private int Take(ProbeModule step, bool isTarget, ProbeFlags flags, string? extraOptions, ProbeReason reason, ProbeModule? via)
    {
        string? options = JoinOptions(context.GetOptions(step), isTarget ? extraOptions : null);
        string? command = context.GetInstallCommand(step);
        bool dryRun = (flags & ProbeFlags.DryRun) != 0;
        if (command is not null && !step.IgnoreCommand)
        {
            OnAction?.Invoke(new ProbeAction(step, true, options ?? string.Empty) { Reason = reason, Via = via });
            return dryRun ? 0
                : RunInstall is { } run ? run(step, ExpandCommand(command, options))
                : RunInstallCommand(step, ExpandCommand(command, options));
        }

        OnAction?.Invoke(new ProbeAction(step, false, options ?? string.Empty) { Reason = reason, Via = via });
        return dryRun ? 0 : InsertFile(step, flags, options ?? string.Empty);
    }

    private int RunInstallCommand(ProbeModule module, string command)
    {
        int status = context.RunCommand(command, module.Name);
        if (status == -1)
        {
            context.Log?.Invoke(ModuleContext.LogErr, $"Could not run install command '{command}' for module {module.Name}: {Errno.Describe(Errno.ECHILD)}");
            return -Errno.EINVAL;
        }

        int exitCode = ShellCommand.ExitCode(status);
        if (exitCode != 0)
        {
            context.Log?.Invoke(ModuleContext.LogErr, $"Error running install command '{command}' for module {module.Name}: retcode {exitCode}");
            return -Errno.EINVAL;
        }

        return 0;
    }

    private int InsertFile(ProbeModule module, ProbeFlags flags, string options)
    {
        string? path = context.GetPath(module);
        if (path is null)
        {
            context.Log?.Invoke(ModuleContext.LogErr, $"could not find module by name='{module.Name}'");
            return -Errno.ENOENT;
        }

        var force = ((flags & ProbeFlags.ForceModversion) != 0 ? ModuleForce.Modversion : 0)
            | ((flags & ProbeFlags.ForceVermagic) != 0 ? ModuleForce.Vermagic : 0);
        // libkmod's decompression errors reach modprobe's log only in releases that log them.
        Action<string>? error = context.Profile.LogsDecompressionErrors ? message => context.Log?.Invoke(ModuleContext.LogErr, message) : null;
        var result = ModuleLoader.Load(context.Kernel, path, options, force, message => context.Log?.Invoke(ModuleContext.LogInfo, message),
            error, context.Profile);
        return result.Succeeded ? 0 : -result.Errno;
    }

    // __kmod_module_get_probe_list
    private void AddWithDependencies(ProbeModule module, bool required, bool ignoreCommands, List<PlanStep> plan, ProbeReason reason, ProbeModule? via)
    {
        if (module.Visited)
        {
            return;
        }

        module.Visited = true;
        context.Mark(module);
        var dependencies = context.DependenciesOf(module);
        if (required)
        {
            // Marked before any softdep can reach them: their failures stop the load.
            module.Required = true;
            foreach (var dependency in dependencies)
            {
                dependency.Required = true;
                context.Mark(dependency);
            }
        }

        foreach (var dependency in dependencies)
        {
            AddWithSoftDependencies(dependency, plan, ProbeReason.Dependency, module);
        }

        if (ignoreCommands)
        {
            plan.Add(new PlanStep(module, reason, via));
            module.IgnoreCommand = true;
        }
        else
        {
            AddWithSoftDependencies(module, plan, reason, via);
        }
    }

    // __kmod_module_fill_softdep
    private void AddWithSoftDependencies(ProbeModule module, List<PlanStep> plan, ProbeReason reason, ProbeModule? via)
    {
        context.SoftDependenciesOf(module, out var pre, out var post);
        foreach (var softdep in pre)
        {
            AddWithDependencies(softdep, required: false, ignoreCommands: false, plan, ProbeReason.SoftdepPre, module);
        }

        plan.Add(new PlanStep(module, reason, via));

        // A module with softdeps never runs its install command (kmod bug #446, kept for compatibility).
        module.IgnoreCommand = pre.Count > 0 || post.Count > 0;
        foreach (var softdep in post)
        {
            AddWithDependencies(softdep, required: false, ignoreCommands: false, plan, ProbeReason.SoftdepPost, module);
        }
    }
}

using System.CommandLine;
using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Models;
using Diffusion.Research.Experiments.Output;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Experiments.Plugins;

namespace Diffusion.Research.Cli;

/// <summary>
/// The <c>diffusion</c> command: run, validate, list, table, merge. Built over an <see cref="IExperimentBackend"/>
/// so it can be driven in-process (tests) or from Program.cs with the real registries.
/// </summary>
public sealed class DiffusionCli
{
    private readonly IExperimentBackend _backend;
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly bool _interactive;
    private readonly TrainingMonitor? _training;

    /// <summary>Creates the command over a backend and output writers; <paramref name="training"/> is the monitor the backend's neural models report to (shown with the sweep progress).</summary>
    public DiffusionCli(IExperimentBackend backend, TextWriter output, TextWriter error, bool interactive, TrainingMonitor? training = null)
    {
        _training = training;
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        _out = output ?? throw new ArgumentNullException(nameof(output));
        _err = error ?? throw new ArgumentNullException(nameof(error));
        _interactive = interactive;
    }

    /// <summary>Parses and runs a command line; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public int Invoke(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) _err.WriteLine($"error: {e.Message}");
            _err.WriteLine("Run 'diffusion --help' for usage.");
            return ExitCodes.InvalidInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = _out, Error = _err, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException and not StackOverflowException)
        {
            // Last line of defence: every expected failure is reported where it happens; a user never sees a stack trace.
            _err.WriteLine($"error: unexpected {e.GetType().Name}: {ArgumentMessage.Clean(e.Message)} (this is a bug in diffusion; please report it with the command line)");
            return ExitCodes.RunFailed;
        }
    }

    private RootCommand Build()
    {
        var root = new RootCommand("Diffusion.Research: declarative score-based diffusion experiments (YAML sweeps -> paper-style tables).");

        var files = new Argument<string[]>("FILE") { Description = "Experiment YAML files.", Arity = ArgumentArity.OneOrMore };
        var outOption = new Option<string>("--out") { Description = "Results root; each experiment writes to OUT/NAME.", DefaultValueFactory = _ => "results" };
        var force = new Option<bool>("--force") { Description = "Recompute every cell (discard the existing run log)." };
        var shard = new Option<string>("--shard") { Description = "Run shard i of n (1-based), e.g. 2/4; merge the shards with 'diffusion merge'.", DefaultValueFactory = _ => "1/1" };
        var threads = new Option<int>("--threads") { Description = "Worker threads per solve (results do not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var device = new Option<string?>("--device") { Description = "Where sampling runs, overriding sampler.device: cpu, gpu (CUDA), auto (CUDA when present, else CPU), gpu-emulated (the GPU kernels on the CPU). Not part of the cells' identity." };
        Option<string[]> Plugins() => new("--plugin") { Description = "A plugin assembly (.dll) whose IDiffusionPlugin classes register components (repeatable; see docs/plugins.md).", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        var runPlugins = Plugins();
        var run = new Command("run", "Run experiments (resumes: cells already in runs.jsonl are skipped).") { files, outOption, force, shard, threads, device, runPlugins };
        run.SetAction(p => LoadPlugins(p.GetValue(runPlugins)) ?? Run(p.GetValue(files)!, p.GetValue(outOption)!, p.GetValue(force), p.GetValue(shard)!, p.GetValue(threads), p.GetValue(device)));
        root.Add(run);

        var validateFiles = new Argument<string[]>("FILE") { Description = "Experiment YAML files.", Arity = ArgumentArity.OneOrMore };
        var validatePlugins = Plugins();
        var validate = new Command("validate", "Check experiment files without running them.") { validateFiles, validatePlugins };
        validate.SetAction(p => LoadPlugins(p.GetValue(validatePlugins)) ?? Validate(p.GetValue(validateFiles)!));
        root.Add(validate);

        var category = new Argument<string?>("CATEGORY") { Description = "solvers, sdes, schedules, grids, datasets, metrics, models, ... (omit to list categories).", Arity = ArgumentArity.ZeroOrOne };
        var listPlugins = Plugins();
        var list = new Command("list", "List the names experiment files accept, with one-line descriptions.") { category, listPlugins };
        list.SetAction(p => LoadPlugins(p.GetValue(listPlugins)) ?? List(p.GetValue(category)));
        root.Add(list);

        var dir = new Argument<string>("DIR") { Description = "A results folder (results/NAME)." };
        var table = new Command("table", "Re-render tables and figures of a results folder from its run log.") { dir };
        table.SetAction(p => Table(p.GetValue(dir)!));
        root.Add(table);

        var submitFile = new Argument<string>("FILE") { Description = "The experiment YAML file." };
        var slurm = new Option<bool>("--slurm") { Description = "Submit to Slurm as a job array plus a merge job (the only scheduler supported)." };
        var tasks = new Option<int>("--tasks") { Description = "Number of array tasks (shards), at least 1.", Required = true };
        var partition = new Option<string?>("--partition") { Description = "sbatch --partition (default: the cluster's)." };
        var time = new Option<string?>("--time") { Description = "sbatch --time per task, e.g. 01:00:00." };
        var cpus = new Option<int>("--cpus") { Description = "CPUs per task (sbatch --cpus-per-task; also the shard's --threads).", DefaultValueFactory = _ => 1 };
        var gpus = new Option<int>("--gpus") { Description = "GPUs per task (sbatch --gpus-per-task; 0: none)." };
        var submitOut = new Option<string>("--out") { Description = "Results root on the shared file system; results go to OUT/NAME, scripts, logs and shards to OUT/NAME/slurm.", DefaultValueFactory = _ => "results" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the scripts and the sbatch commands; write and submit nothing." };
        var command = new Option<string?>("--command") { Description = "How a node starts diffusion (default: this installation, e.g. 'dotnet /path/diffusion.dll')." };
        var setup = new Option<string?>("--setup") { Description = "A shell line run first in every job, e.g. 'module load dotnet'." };
        var submit = new Command("submit", "Submit an experiment to a cluster scheduler (Slurm job array + merge job; resubmitting reruns only missing cells).")
            { submitFile, slurm, tasks, partition, time, cpus, gpus, submitOut, dryRun, command, setup };
        submit.SetAction(p => Submit(p.GetValue(submitFile)!, p.GetValue(slurm), p.GetValue(tasks), p.GetValue(partition), p.GetValue(time),
            p.GetValue(cpus), p.GetValue(gpus), p.GetValue(submitOut)!, p.GetValue(dryRun), p.GetValue(command), p.GetValue(setup)));
        root.Add(submit);

        var dirs = new Argument<string[]>("DIR") { Description = "Results folders of the shards of one experiment.", Arity = ArgumentArity.OneOrMore };
        var mergeOut = new Option<string>("--out") { Description = "Results root for the merged folder (OUT/NAME).", DefaultValueFactory = _ => "results" };
        var merge = new Command("merge", "Merge shard results into the table a single run would give.") { dirs, mergeOut };
        merge.SetAction(p => Merge(p.GetValue(dirs)!, p.GetValue(mergeOut)!));
        root.Add(merge);
        return root;
    }

    // Loads the --plugin assemblies into the backend; null when all loaded, else the exit code (errors printed).
    private int? LoadPlugins(string[]? paths)
    {
        if (paths is null || paths.Length == 0) return null;
        if (_backend is not IPluginHost host)
        {
            _err.WriteLine("error: --plugin: this backend cannot load plugins");
            return ExitCodes.InvalidInput;
        }
        foreach (var path in paths)
        {
            try
            {
                host.LoadPlugin(path);
            }
            catch (PluginException e)
            {
                _err.WriteLine($"error: --plugin: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        }
        return null;
    }

    private List<ExperimentPlan>? LoadAll(IReadOnlyList<string> files)
    {
        var loader = new ExperimentLoader(_backend);
        var plans = new List<ExperimentPlan>();
        var ok = true;
        foreach (var file in files)
        {
            try
            {
                plans.Add(loader.Load(file));
            }
            catch (ConfigException e)
            {
                ReportErrors(e);
                ok = false;
            }
        }
        var names = plans.GroupBy(p => p.Name).Where(g => g.Count() > 1).ToList();
        foreach (var g in names)
        {
            _err.WriteLine($"{g.Last().SourceFile}:1:1: error: experiment name '{g.Key}' is also used by {g.First().SourceFile}; results would collide");
            ok = false;
        }
        return ok ? plans : null;
    }

    private int Validate(string[] files)
    {
        var plans = LoadAll(files);
        if (plans is null) return ExitCodes.InvalidInput;
        foreach (var p in plans)
            _out.WriteLine($"{p.SourceFile}: ok ({p.Name}: {p.Cells.Count} cell{(p.Cells.Count == 1 ? "" : "s")} x {p.Repeats} repeat{(p.Repeats == 1 ? "" : "s")})");
        return ExitCodes.Success;
    }

    private int Run(string[] files, string outRoot, bool force, string shardText, int threads, string? device = null)
    {
        Shard shard;
        try
        {
            shard = Shard.Parse(shardText);
        }
        catch (ArgumentException e)
        {
            _err.WriteLine($"error: {e.Message.Split(" (Parameter")[0]}");
            return ExitCodes.InvalidInput;
        }
        if (threads < 1)
        {
            _err.WriteLine($"error: --threads must be at least 1, got {threads}");
            return ExitCodes.InvalidInput;
        }
        if (device is not null && Gpu.DeviceKinds.Parse(device) is null)
        {
            _err.WriteLine($"error: --device must be one of {string.Join(", ", Gpu.DeviceKinds.Names)}, got '{device}'");
            return ExitCodes.InvalidInput;
        }
        var plans = LoadAll(files);
        if (plans is null) return ExitCodes.InvalidInput;
        if (device is not null && !CheckDevice(plans, device)) return ExitCodes.InvalidInput;
        var runner = new SweepRunner(_backend);
        var options = new RunOptions(outRoot, force, shard, threads) { Device = device };
        var code = ExitCodes.Success;
        foreach (var plan in plans)
        {
            SweepSummary summary;
            try
            {
                summary = new ProgressReporter(_out, _interactive, _training).Run(plan.Name, report => runner.Run(plan, options, report));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                _err.WriteLine($"error: {plan.Name}: {e.Message}");
                code = ExitCodes.RunFailed;
                continue;
            }
            _out.WriteLine($"{plan.Name}: {summary.Ran} run, {summary.Skipped} skipped, {summary.Failed} failed in {summary.Elapsed.TotalSeconds:F1} s -> {Path.Combine(summary.Directory, "table.md")}");
            ShowResult(plan, summary, files.Length);
            if (summary.Failed > 0) code = ExitCodes.RunFailed;
        }
        return code;
    }

    // First contact: the table the run produced (as `diffusion table` prints it), and, when cells came from an earlier
    // run's log instead of being computed, how many and how to recompute them.
    private void ShowResult(ExperimentPlan plan, SweepSummary summary, int fileCount)
    {
        var tablePath = Path.Combine(summary.Directory, "table.md");
        if (File.Exists(tablePath))
        {
            _out.WriteLine();
            _out.Write(File.ReadAllText(tablePath));
            _out.WriteLine();
        }
        if (summary.Skipped > 0)
        {
            var all = summary.Ran == 0 ? "all " : "";
            _out.WriteLine($"{plan.Name}: {all}{summary.Skipped} of {summary.Ran + summary.Skipped} cell runs were reused from {Path.Combine(summary.Directory, RunLog.FileName)} " +
                $"(finished earlier, same configuration); to recompute them: diffusion run {(fileCount == 1 ? plan.SourceFile : "FILE")} --force (or --out another folder)");
        }
    }

    private int Submit(string file, bool slurm, int tasks, string? partition, string? time, int cpus, int gpus, string outRoot, bool dryRun,
        string? command, string? setup)
    {
        var problems = new List<string>();
        if (!slurm) problems.Add("submit needs --slurm (Slurm is the only scheduler supported)");
        if (tasks < 1) problems.Add($"--tasks must be at least 1, got {tasks}");
        if (cpus < 1) problems.Add($"--cpus must be at least 1, got {cpus}");
        if (gpus < 0) problems.Add($"--gpus must be 0 or more, got {gpus}");
        if (SlurmJob.CheckOption("--partition", partition) is { } p) problems.Add(p);
        if (SlurmJob.CheckOption("--time", time) is { } t) problems.Add(t);
        if (setup is not null && setup.Contains('\n', StringComparison.Ordinal)) problems.Add("--setup must be a single line");
        if (problems.Count > 0)
        {
            foreach (var problem in problems) _err.WriteLine($"error: {problem}");
            return ExitCodes.InvalidInput;
        }
        var plans = LoadAll([file]);
        if (plans is null) return ExitCodes.InvalidInput;
        var plan = plans[0];
        var job = new SlurmJob(plan.Name, Path.GetFullPath(file), Path.GetFullPath(outRoot), tasks, command ?? ThisInstallation())
        {
            Partition = partition, Time = time, Cpus = cpus, Gpus = gpus, Setup = setup,
        };
        if (dryRun)
        {
            _out.WriteLine($"# {job.ArrayScriptPath}");
            _out.Write(job.ArrayScript());
            _out.WriteLine();
            _out.WriteLine($"# {job.MergeScriptPath}");
            _out.Write(job.MergeScript());
            _out.WriteLine();
            _out.WriteLine("# would run:");
            _out.WriteLine($"#   sbatch --parsable {SlurmJob.Quote(job.ArrayScriptPath)}                              -> ARRAY_ID");
            _out.WriteLine($"#   sbatch --parsable --dependency=afterok:ARRAY_ID {SlurmJob.Quote(job.MergeScriptPath)}");
            return ExitCodes.Success;
        }
        try
        {
            Directory.CreateDirectory(Path.Combine(job.Directory, "logs"));
            File.WriteAllText(job.ArrayScriptPath, job.ArrayScript());
            File.WriteAllText(job.MergeScriptPath, job.MergeScript());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _err.WriteLine($"error: cannot write the job scripts under {job.Directory}: {e.Message}");
            return ExitCodes.RunFailed;
        }
        var array = Sbatch(["--parsable", job.ArrayScriptPath]);
        if (array is null) return ExitCodes.RunFailed;
        var merge = Sbatch(["--parsable", $"--dependency=afterok:{array}", job.MergeScriptPath]);
        if (merge is null) return ExitCodes.RunFailed;
        _out.WriteLine($"{plan.Name}: submitted job array {array} ({tasks} task{(tasks == 1 ? "" : "s")}, {plan.Cells.Count * plan.Repeats} cell runs) and merge job {merge} (after the array succeeds)");
        _out.WriteLine($"  results: {Path.Combine(job.OutputRoot, plan.Name, "table.md")}; logs: {Path.Combine(job.Directory, "logs")}; watch: squeue -j {array},{merge}");
        _out.WriteLine("  resubmitting the same command reruns only the cells that are missing (each shard resumes from its run log)");
        return ExitCodes.Success;
    }

    // The job id printed by `sbatch --parsable` ("id" or "id;cluster"), or null after reporting why sbatch failed.
    private string? Sbatch(IReadOnlyList<string> arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        try
        {
            using var process = System.Diagnostics.Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            var id = stdout.Result.Trim().Split(';')[0];
            if (process.ExitCode == 0 && id.Length > 0 && id.All(char.IsAsciiDigit)) return id;
            _err.WriteLine($"error: sbatch {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {stderr.Trim()} {stdout.Result.Trim()}".TrimEnd());
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            _err.WriteLine("error: sbatch is not on PATH (run submit on a Slurm login node); --dry-run prints the scripts instead");
            return null;
        }
    }

    // How this process was started: "dotnet /path/diffusion.dll" from a framework-dependent build, else the executable.
    private static string ThisInstallation()
    {
        var process = Environment.ProcessPath ?? "diffusion";
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && !string.IsNullOrEmpty(entry)
            ? SlurmJob.Quote(process) + " " + SlurmJob.Quote(entry)
            : SlurmJob.Quote(process);
    }

    // --device overrides sampler.device of every cell: each cell must run there (same rules as the YAML key).
    private bool CheckDevice(IReadOnlyList<ExperimentPlan> plans, string device)
    {
        if (_backend is not ExperimentBackend backend) return true;
        foreach (var plan in plans)
            foreach (var cell in plan.Cells)
            {
                try
                {
                    backend.CheckDevice(cell, device);
                }
                catch (ArgumentException e)
                {
                    var message = e.Message.Split(" (Parameter")[0];
                    var at = e.ParamName is { } key && cell.Locate(key) is { } loc ? $"{loc}: " : $"{plan.SourceFile}: ";
                    _err.WriteLine($"{at}error: --device {device}: {message} ({cell.Label})");
                    return false;
                }
            }
        return true;
    }

    private int List(string? category)
    {
        var catalog = _backend.Catalog;
        if (category is null)
        {
            foreach (var c in catalog.Categories) _out.WriteLine($"{c,-12} {catalog.DescribeCategory(c)}");
            return ExitCodes.Success;
        }
        if (!catalog.HasCategory(category))
        {
            _err.WriteLine($"error: unknown category '{category}'; valid: {string.Join(", ", catalog.Categories)}");
            return ExitCodes.InvalidInput;
        }
        var entries = catalog.List(category);
        var width = entries.Count == 0 ? 0 : entries.Max(e => e.Name.Length);
        foreach (var e in entries) _out.WriteLine($"{e.Name.PadRight(width)}  {e.Description}");
        return ExitCodes.Success;
    }

    private int Table(string dir) => OnResultsFolder(folder => _out.Write(folder.Render(dir).ToMarkdown()), argumentErrors: false);

    private int Merge(string[] dirs, string outRoot) => OnResultsFolder(folder =>
    {
        var merged = folder.Merge(dirs, outRoot);
        _out.Write(merged.Table.ToMarkdown());
        _out.WriteLine($"merged {dirs.Length} folder(s) -> {merged.Directory}");
    }, argumentErrors: true);

    // The results-folder commands (table, merge): located config errors, and I/O, bad-data (and, with argumentErrors,
    // bad-argument) errors as one line, all reported as invalid input.
    private int OnResultsFolder(Action<ResultsFolder> command, bool argumentErrors)
    {
        try
        {
            command(new ResultsFolder(new ExperimentLoader(_backend)));
            return ExitCodes.Success;
        }
        catch (ConfigException e)
        {
            ReportErrors(e);
            return ExitCodes.InvalidInput;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException || (argumentErrors && e is ArgumentException))
        {
            _err.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
    }

    private void ReportErrors(ConfigException e)
    {
        foreach (var error in e.Errors) _err.WriteLine(error.ToString());
        if (e.Omitted > 0)
            _err.WriteLine($"... and {e.Omitted} more error{(e.Omitted == 1 ? "" : "s")} not shown (the first {e.Errors.Count} are above; fix them and validate again)");
    }
}

using System.CommandLine;
using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Models;
using Diffusion.Research.Experiments.Output;
using Diffusion.Research.Experiments.Plans;

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
        return parse.Invoke(new InvocationConfiguration { Output = _out, Error = _err, EnableDefaultExceptionHandler = false });
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
        var run = new Command("run", "Run experiments (resumes: cells already in runs.jsonl are skipped).") { files, outOption, force, shard, threads, device };
        run.SetAction(p => Run(p.GetValue(files)!, p.GetValue(outOption)!, p.GetValue(force), p.GetValue(shard)!, p.GetValue(threads), p.GetValue(device)));
        root.Add(run);

        var validateFiles = new Argument<string[]>("FILE") { Description = "Experiment YAML files.", Arity = ArgumentArity.OneOrMore };
        var validate = new Command("validate", "Check experiment files without running them.") { validateFiles };
        validate.SetAction(p => Validate(p.GetValue(validateFiles)!));
        root.Add(validate);

        var category = new Argument<string?>("CATEGORY") { Description = "solvers, sdes, schedules, grids, datasets, metrics, models, ... (omit to list categories).", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "List the names experiment files accept, with one-line descriptions.") { category };
        list.SetAction(p => List(p.GetValue(category)));
        root.Add(list);

        var dir = new Argument<string>("DIR") { Description = "A results folder (results/NAME)." };
        var table = new Command("table", "Re-render tables and figures of a results folder from its run log.") { dir };
        table.SetAction(p => Table(p.GetValue(dir)!));
        root.Add(table);

        var dirs = new Argument<string[]>("DIR") { Description = "Results folders of the shards of one experiment.", Arity = ArgumentArity.OneOrMore };
        var mergeOut = new Option<string>("--out") { Description = "Results root for the merged folder (OUT/NAME).", DefaultValueFactory = _ => "results" };
        var merge = new Command("merge", "Merge shard results into the table a single run would give.") { dirs, mergeOut };
        merge.SetAction(p => Merge(p.GetValue(dirs)!, p.GetValue(mergeOut)!));
        root.Add(merge);
        return root;
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
            if (summary.Failed > 0) code = ExitCodes.RunFailed;
        }
        return code;
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
    }
}

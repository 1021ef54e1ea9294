using System.Diagnostics;
using System.Globalization;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Output;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Experiments.Samples;

namespace Diffusion.Research.Experiments;

/// <summary>
/// Runs a plan: every (cell, repeat) of the chosen shard that the run log does not already hold, in sweep order, one
/// record appended per unit as it finishes; a failing unit is recorded as failed and the sweep goes on. Then renders
/// the results folder from the whole log.
/// </summary>
public sealed class SweepRunner
{
    private readonly IExperimentBackend _backend;

    /// <summary>Creates a runner over a backend.</summary>
    public SweepRunner(IExperimentBackend backend)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
    }

    /// <summary>The results folder of a plan under a results root.</summary>
    public static string ResultsDirectory(ExperimentPlan plan, string outputRoot) => Path.Combine(outputRoot, plan.Name);

    /// <summary>Runs the plan; <paramref name="progress"/> is called after every unit (and once at the start).</summary>
    public SweepSummary Run(ExperimentPlan plan, RunOptions options, Action<SweepProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Threads, nameof(options.Threads));
        var clock = Stopwatch.StartNew();
        var dir = ResultsDirectory(plan, options.OutputRoot);
        Directory.CreateDirectory(dir);
        using var exclusive = ResultsLock.Acquire(dir);
        var log = new RunLog(Path.Combine(dir, RunLog.FileName));
        if (options.Force)
        {
            File.Delete(log.Path);
            foreach (var sub in new[] { "figures", "samples" })
                if (Directory.Exists(Path.Combine(dir, sub))) Directory.Delete(Path.Combine(dir, sub), recursive: true);
        }
        log.Repair();
        var records = new List<ResultRecord>(log.Read());
        var done = new HashSet<(string, int)>(records.Select(r => (r.Cell, r.Repeat)));
        File.WriteAllText(Path.Combine(dir, ResultsWriter.ConfigFileName), plan.SourceText);

        var todo = new List<(CellSpec Cell, int Repeat)>();
        var skipped = 0;
        foreach (var cell in plan.Cells)
            for (var r = 0; r < plan.Repeats; r++)
            {
                if (!options.Shard.Contains((long)cell.Index * plan.Repeats + r)) continue;
                if (done.Contains((cell.Id, r))) skipped++;
                else todo.Add((cell, r));
            }

        var failed = 0;
        progress?.Invoke(new SweepProgress(0, todo.Count, skipped, 0, todo.Count > 0 ? todo[0].Cell.Label : "", clock.Elapsed, null));
        for (var u = 0; u < todo.Count; u++)
        {
            cancellation.ThrowIfCancellationRequested();
            var (cell, repeat) = todo[u];
            var watch = Stopwatch.StartNew();
            CellResult result;
            try
            {
                result = _backend.Run(cell, new CellRun(repeat, plan.Seed, options.Threads) { Device = options.Device });
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                result = CellResult.Failed("exception", $"{e.GetType().Name}: {e.Message}");
            }
            watch.Stop();
            if (!result.IsSuccess) failed++;
            var metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal);
            foreach (var (k, v) in result.Metrics) metrics[k] = v;
            var floor = new SortedDictionary<string, double?>(StringComparer.Ordinal);
            foreach (var (k, v) in result.Floor) floor[k] = v;
            var record = new ResultRecord(cell.Id, cell.Index, repeat, result.Status, result.Message, metrics,
                result.Statistics.Nfe, result.Statistics.AcceptedSteps, result.Statistics.RejectedSteps, watch.Elapsed.TotalSeconds, cell.ResolvedJson)
            {
                Floor = floor,
                Device = result.Device,
            };
            WriteSampleOutputs(dir, cell, repeat, result);
            log.Append(record);
            records.Add(record);
            var elapsed = clock.Elapsed;
            var remaining = TimeSpan.FromTicks(elapsed.Ticks / (u + 1) * (todo.Count - u - 1));
            progress?.Invoke(new SweepProgress(u + 1, todo.Count, skipped, failed, u + 1 < todo.Count ? todo[u + 1].Cell.Label : "done", elapsed, remaining));
        }
        ResultsWriter.Write(dir, plan, records, options.Shard.ToString(), clock.Elapsed, Path.GetDirectoryName(Path.GetFullPath(plan.SourceFile)));
        return new SweepSummary(dir, todo.Count, skipped, failed, clock.Elapsed);
    }

    private static void WriteSampleOutputs(string dir, CellSpec cell, int repeat, CellResult result)
    {
        if (result.Samples is not { } samples) return;
        var stem = $"cell{cell.Index.ToString("D4", CultureInfo.InvariantCulture)}-r{repeat}";
        if (cell.Sampler.Dump)
        {
            var samplesDir = Path.Combine(dir, "samples");
            Directory.CreateDirectory(samplesDir);
            SampleFile.WriteCsv(Path.Combine(samplesDir, stem + ".csv"), samples);
            SampleFile.WriteNpy(Path.Combine(samplesDir, stem + ".npy"), samples);
        }
        if (repeat == 0 && cell.Eval.Scatter > 0 && samples.Dimension >= 2 && result.Reference is { } reference)
            FigureRenderer.WriteScatter(Path.Combine(dir, "figures", $"samples-{stem}.svg"), $"{cell.Label} (repeat 0)", samples, reference, cell.Eval.Scatter);
    }
}

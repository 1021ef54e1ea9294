using System.Diagnostics;
using System.Text.Json;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Experiments.Output;

/// <summary>
/// Operations on finished results folders: re-render tables and figures from the run log (<c>diffusion table</c>)
/// and merge the logs of shards into one folder (<c>diffusion merge</c>).
/// </summary>
public sealed class ResultsFolder
{
    private readonly ExperimentLoader _loader;

    /// <summary>Creates the operations with a loader to re-read the experiment copy kept in each folder.</summary>
    public ResultsFolder(ExperimentLoader loader)
    {
        _loader = loader ?? throw new ArgumentNullException(nameof(loader));
    }

    /// <summary>Loads the plan a results folder was run with (its experiment.yaml copy).</summary>
    public ExperimentPlan LoadPlan(string directory)
    {
        var config = Path.Combine(directory, ResultsWriter.ConfigFileName);
        if (!File.Exists(config))
            throw new FileNotFoundException($"'{directory}' is not a results folder: it has no {ResultsWriter.ConfigFileName}.", config);
        var baseDirectory = SourceDirectory(directory) ?? directory;
        return _loader.Parse(File.ReadAllText(config), config, baseDirectory);
    }

    /// <summary>Re-renders tables, figures and manifest of a results folder from its runs.jsonl.</summary>
    public ResultTable Render(string directory)
    {
        var clock = Stopwatch.StartNew();
        var plan = LoadPlan(directory);
        using var exclusive = ResultsLock.Acquire(directory); // not while a run writes the folder
        var records = new RunLog(Path.Combine(directory, RunLog.FileName)).Read();
        return ResultsWriter.Write(directory, plan, records, "rendered", clock.Elapsed, SourceDirectory(directory));
    }

    /// <summary>
    /// Merges shard folders of one experiment (same config hash) into <paramref name="outputRoot"/>/NAME: the union of
    /// their records in sweep order (a (cell, repeat) present twice is kept once), then the rendered outputs.
    /// </summary>
    public MergedResults Merge(IReadOnlyList<string> directories, string outputRoot)
    {
        ArgumentNullException.ThrowIfNull(directories);
        if (directories.Count == 0) throw new ArgumentException("Give at least one results folder to merge.", nameof(directories));
        var clock = Stopwatch.StartNew();
        ExperimentPlan? plan = null;
        var merged = new Dictionary<(string, int), ResultRecord>();
        foreach (var dir in directories)
        {
            var p = LoadPlan(dir);
            if (plan is null) plan = p;
            else if (p.ConfigHash != plan.ConfigHash)
                throw new ArgumentException($"'{dir}' holds a different experiment configuration (hash {p.ConfigHash[..16]}) than '{directories[0]}' ({plan.ConfigHash[..16]}).", nameof(directories));
            foreach (var r in new RunLog(Path.Combine(dir, RunLog.FileName)).Read())
            {
                if (!merged.TryAdd((r.Cell, r.Repeat), r) && !RunLog.SameResult(merged[(r.Cell, r.Repeat)], r))
                    throw new InvalidDataException($"'{dir}' records cell #{r.Index} repeat {r.Repeat} with a different result than an earlier folder; the shards disagree, rerun that cell with --force in one of them.");
            }
        }
        var index = plan!.Cells.ToDictionary(c => c.Id, c => c.Index);
        var records = merged.Values.OrderBy(r => index.GetValueOrDefault(r.Cell, int.MaxValue)).ThenBy(r => r.Repeat).ThenBy(r => r.Cell, StringComparer.Ordinal).ToList();
        var target = Path.Combine(outputRoot, plan.Name);
        Directory.CreateDirectory(target);
        foreach (var dir in directories)
            if (Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar) == Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar))
                throw new ArgumentException($"The merge target '{target}' is one of the inputs; choose another --out.", nameof(outputRoot));
        using var exclusive = ResultsLock.Acquire(target);
        var log = new RunLog(Path.Combine(target, RunLog.FileName));
        File.Delete(log.Path);
        foreach (var r in records) log.Append(r);
        File.WriteAllText(Path.Combine(target, ResultsWriter.ConfigFileName), plan.SourceText);
        foreach (var dir in directories)
        {
            var figures = Path.Combine(dir, "figures");
            if (!Directory.Exists(figures)) continue;
            Directory.CreateDirectory(Path.Combine(target, "figures"));
            foreach (var f in Directory.GetFiles(figures, "samples-*.svg"))
                File.Copy(f, Path.Combine(target, "figures", Path.GetFileName(f)), overwrite: true);
        }
        var table = ResultsWriter.Write(target, plan, records, "merged " + directories.Count, clock.Elapsed, SourceDirectory(directories[0]));
        return new MergedResults(target, table);
    }

    private static string? SourceDirectory(string directory)
    {
        var manifest = Path.Combine(directory, Manifest.FileName);
        if (!File.Exists(manifest)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            return doc.RootElement.TryGetProperty("source_directory", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

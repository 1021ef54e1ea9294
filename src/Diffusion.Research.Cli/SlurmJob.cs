using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Diffusion.Research.Cli;

/// <summary>
/// The two sbatch scripts of a sweep on a Slurm cluster: a job array whose task k (0-based SLURM_ARRAY_TASK_ID) runs
/// <c>diffusion run FILE --shard (k+1)/N</c> into its own folder OUT/NAME/slurm/shard-(k+1), and a merge job, submitted
/// with <c>--dependency=afterok:ARRAY</c>, that runs <c>diffusion merge</c> of the N shard folders into OUT/NAME. Every
/// shard resumes from its own run log, so resubmitting after a failure reruns only the cells that are missing. A shard
/// whose cells ended NaN or diverged exits 0 here (those results are recorded and belong in the table), so only a crash,
/// a kill or invalid input stops the merge.
/// </summary>
public sealed partial class SlurmJob
{
    /// <summary>Creates the job description; paths should be absolute (the cluster's nodes see the same shared file system).</summary>
    public SlurmJob(string experimentName, string experimentFile, string outputRoot, int tasks, string command)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentName);
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentFile);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        if (tasks < 1) throw new ArgumentOutOfRangeException(nameof(tasks), tasks, "--tasks must be at least 1.");
        ExperimentName = experimentName;
        ExperimentFile = experimentFile;
        OutputRoot = outputRoot;
        Tasks = tasks;
        Command = command;
    }

    /// <summary>The experiment's name (its results folder OUT/NAME).</summary>
    public string ExperimentName { get; }

    /// <summary>The experiment file.</summary>
    public string ExperimentFile { get; }

    /// <summary>The results root OUT.</summary>
    public string OutputRoot { get; }

    /// <summary>The number of array tasks (shards).</summary>
    public int Tasks { get; }

    /// <summary>The shell command that starts diffusion on a node, e.g. "dotnet /shared/diffusion/diffusion.dll".</summary>
    public string Command { get; }

    /// <summary>sbatch --partition, or null for the cluster's default.</summary>
    public string? Partition { get; init; }

    /// <summary>sbatch --time (e.g. 01:00:00), or null for the partition's default.</summary>
    public string? Time { get; init; }

    /// <summary>sbatch --cpus-per-task of each array task (also the shard's --threads).</summary>
    public int Cpus { get; init; } = 1;

    /// <summary>sbatch --gpus-per-task of each array task (0: none requested).</summary>
    public int Gpus { get; init; }

    /// <summary>A shell line run before diffusion in every job, e.g. "module load dotnet/10" (null: none).</summary>
    public string? Setup { get; init; }

    /// <summary>The folder of the scripts, logs and shard results: OUT/NAME/slurm.</summary>
    public string Directory => Path.Combine(OutputRoot, ExperimentName, "slurm");

    /// <summary>The array script's path.</summary>
    public string ArrayScriptPath => Path.Combine(Directory, "array.sbatch");

    /// <summary>The merge script's path.</summary>
    public string MergeScriptPath => Path.Combine(Directory, "merge.sbatch");

    /// <summary>The results root of shard <paramref name="shard"/> (1-based): OUT/NAME/slurm/shard-K.</summary>
    public string ShardRoot(int shard) => Path.Combine(Directory, "shard-" + shard.ToString(CultureInfo.InvariantCulture));

    /// <summary>The problem with a free-text sbatch value (partition, time), or null when it is safe to put on an #SBATCH line.</summary>
    public static string? CheckOption(string name, string? value) =>
        value is null || SafeOption().IsMatch(value) ? null : $"{name} may hold only letters, digits and : . _ , - (got '{value}')";

    /// <summary>The job-array script.</summary>
    public string ArrayScript()
    {
        var sb = Header($"diffusion-{ExperimentName}", Path.Combine(Directory, "logs", "shard-%a.out"));
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{Tasks - 1}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={Cpus}\n");
        if (Gpus > 0) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --gpus-per-task={Gpus}\n");
        sb.Append(Prologue());
        sb.Append("shard=$((SLURM_ARRAY_TASK_ID + 1))\n");
        sb.Append(CultureInfo.InvariantCulture, $"status=0\n{Command} run {Quote(ExperimentFile)} --shard \"$shard/{Tasks}\" --out {Quote(Directory)}/shard-\"$shard\" --threads \"${{SLURM_CPUS_PER_TASK:-{Cpus}}}\" || status=$?\n");
        sb.Append("# 1: some cells ended NaN or diverged; they are recorded and shown in the table, so the merge may go on.\n");
        sb.Append("if [ \"$status\" -eq 1 ]; then exit 0; fi\nexit \"$status\"\n");
        return sb.ToString();
    }

    /// <summary>The merge script (submitted with --dependency=afterok on the array).</summary>
    public string MergeScript()
    {
        var sb = Header($"diffusion-{ExperimentName}-merge", Path.Combine(Directory, "logs", "merge.out"));
        sb.Append("#SBATCH --cpus-per-task=1\n");
        sb.Append(Prologue());
        sb.Append(Command).Append(" merge");
        for (var k = 1; k <= Tasks; k++) sb.Append(" \\\n  ").Append(Quote(Path.Combine(ShardRoot(k), ExperimentName)));
        sb.Append(" \\\n  --out ").Append(Quote(OutputRoot)).Append('\n');
        return sb.ToString();
    }

    private StringBuilder Header(string jobName, string log)
    {
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append("# Written by `diffusion submit`; submit with sbatch (the merge job with --dependency=afterok:<array job id>).\n");
        sb.Append("#SBATCH --job-name=").Append(jobName).Append('\n');
        sb.Append("#SBATCH --output=").Append(log).Append('\n');
        if (Partition is not null) sb.Append("#SBATCH --partition=").Append(Partition).Append('\n');
        if (Time is not null) sb.Append("#SBATCH --time=").Append(Time).Append('\n');
        return sb;
    }

    private string Prologue()
    {
        var sb = new StringBuilder("set -uo pipefail\n");
        if (Setup is not null) sb.Append(Setup).Append('\n');
        return sb.ToString();
    }

    /// <summary>A word for bash in single quotes.</summary>
    public static string Quote(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    [GeneratedRegex("^[A-Za-z0-9:._,-]+$")]
    private static partial Regex SafeOption();
}

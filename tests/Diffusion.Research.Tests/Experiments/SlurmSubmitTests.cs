using Diffusion.Research.Cli;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>
/// `diffusion submit --slurm`: the scripts it writes (checked here through --dry-run) and its argument errors. The real
/// cluster test is scripts/slurm-test.sh (a one-node Slurm on localhost, run by .ci/run).
/// </summary>
public class SlurmSubmitTests
{
    private static (int Code, string Out, string Err) Invoke(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = new DiffusionCli(new FakeBackend(), stdout, stderr, interactive: false).Invoke(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Dry_run_prints_an_array_of_shards_and_an_afterok_merge_and_writes_nothing()
    {
        var dir = TestFiles.NewDirectory("slurm");
        var file = TestFiles.Write(dir, "ok.yaml", TestFiles.Tiny);
        var outDir = Path.Combine(dir, "out dir");
        var (code, output, err) = Invoke("submit", file, "--slurm", "--tasks", "3", "--partition", "short", "--time", "00:30:00",
            "--cpus", "2", "--gpus", "1", "--out", outDir, "--dry-run", "--command", "dotnet /opt/diffusion/diffusion.dll", "--setup", "module load dotnet");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.False(Directory.Exists(outDir));
        var slurm = Path.Combine(outDir, "tiny", "slurm");
        Assert.Contains($"# {Path.Combine(slurm, "array.sbatch")}", output);
        Assert.Contains("#SBATCH --array=0-2\n", output);
        Assert.Contains("#SBATCH --partition=short\n", output);
        Assert.Contains("#SBATCH --time=00:30:00\n", output);
        Assert.Contains("#SBATCH --cpus-per-task=2\n", output);
        Assert.Contains("#SBATCH --gpus-per-task=1\n", output);
        Assert.Contains("module load dotnet\n", output);
        Assert.Contains($"dotnet /opt/diffusion/diffusion.dll run '{file}' --shard \"$shard/3\" --out '{slurm}'/shard-\"$shard\" --threads \"${{SLURM_CPUS_PER_TASK:-2}}\"", output);
        Assert.Contains("shard=$((SLURM_ARRAY_TASK_ID + 1))", output);
        Assert.Contains($"dotnet /opt/diffusion/diffusion.dll merge \\\n  '{Path.Combine(slurm, "shard-1", "tiny")}' \\\n  '{Path.Combine(slurm, "shard-2", "tiny")}' \\\n  '{Path.Combine(slurm, "shard-3", "tiny")}' \\\n  --out '{outDir}'", output);
        Assert.Contains("--dependency=afterok:ARRAY_ID", output);
    }

    [Fact]
    public void Bad_submit_arguments_and_bad_files_exit_2()
    {
        var dir = TestFiles.NewDirectory("slurm");
        var file = TestFiles.Write(dir, "ok.yaml", TestFiles.Tiny);
        Assert.Contains("needs --slurm", Invoke("submit", file, "--tasks", "4", "--dry-run").Err);
        Assert.Equal(2, Invoke("submit", file, "--tasks", "4", "--dry-run").Code);
        Assert.Equal(2, Invoke("submit", file, "--slurm", "--dry-run").Code); // --tasks is required
        var (code, _, err) = Invoke("submit", file, "--slurm", "--tasks", "0", "--dry-run");
        Assert.Equal(2, code);
        Assert.Contains("--tasks must be at least 1, got 0", err);
        (code, _, err) = Invoke("submit", file, "--slurm", "--tasks", "2", "--partition", "a\n#SBATCH --x", "--dry-run");
        Assert.Equal(2, code);
        Assert.Contains("--partition may hold only", err);
        var bad = TestFiles.Write(dir, "bad.yaml", TestFiles.Tiny.Replace("name: tiny", "name: \"..\""));
        (code, _, err) = Invoke("submit", bad, "--slurm", "--tasks", "2", "--dry-run");
        Assert.Equal(2, code);
        Assert.Contains($"{bad}:1:7: error: name must be a plain folder name", err);
    }

    [Fact]
    public void Shard_scripts_treat_failed_cells_as_results_and_quote_paths()
    {
        var job = new SlurmJob("e", "/a b/it's.yaml", "/r", 2, "diffusion");
        var array = job.ArrayScript();
        Assert.Contains("'/a b/it'\\''s.yaml'", array);
        Assert.Contains("if [ \"$status\" -eq 1 ]; then exit 0; fi", array);
        Assert.DoesNotContain("--partition", array);
        Assert.DoesNotContain("--gpus", array);
    }
}

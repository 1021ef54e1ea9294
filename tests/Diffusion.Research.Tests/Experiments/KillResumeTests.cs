using System.Diagnostics;
using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>
/// SIGKILL a real `diffusion run` child process in the middle of a sweep, rerun it, and compare with an
/// uninterrupted run: the tables must be byte-identical and every (cell, repeat) logged exactly once.
/// </summary>
public class KillResumeTests
{
    private const string Yaml = """
        name: killed
        seed: 11
        repeats: 2
        data: {name: 8gaussians}
        sde: {kind: vp}
        sampler: {solver: heun, nfe: 40}
        eval: {particles: 600, reference: 200, metrics: [sliced_w2]}
        sweep:
          sampler.solver: [euler, heun, rk4, euler_maruyama, stochastic_heun]
          sampler.nfe: [30, 60]
        table: {rows: [sampler.solver], columns: [sampler.nfe], value: sliced_w2, format: "0.00000"}
        """;

    private static Process Start(string yaml, string outDir)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "diffusion.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "run", yaml, "--out", outDir, "--threads", "1" }) info.ArgumentList.Add(a);
        info.Environment["CI"] = "true";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int Lines(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Count(c => c == '\n') : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [Fact]
    public void Sigkill_mid_sweep_then_rerun_gives_the_uninterrupted_table()
    {
        var dir = TestFiles.NewDirectory("kill");
        var yaml = TestFiles.Write(dir, "killed.yaml", Yaml);
        var plan = new ExperimentLoader(ExperimentBackend.CreateDefault()).Load(yaml);
        var total = plan.Cells.Count * plan.Repeats;

        var killedOut = Path.Combine(dir, "killed-out");
        var log = Path.Combine(killedOut, "killed", "runs.jsonl");
        using (var child = Start(yaml, killedOut))
        {
            var clock = Stopwatch.StartNew();
            while (Lines(log) < 3 && !child.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(2);
            Assert.False(child.HasExited, "the child finished before it could be killed; make the sweep longer");
            child.Kill(entireProcessTree: true); // SIGKILL on Unix
            child.WaitForExit();
        }
        var afterKill = Lines(log);
        Assert.InRange(afterKill, 3, total - 1);

        using (var rerun = Start(yaml, killedOut))
        {
            Assert.True(rerun.WaitForExit(120_000));
            Assert.Equal(0, rerun.ExitCode);
        }
        var records = new RunLog(log).Read();
        Assert.Equal(total, records.Count);
        Assert.Equal(total, records.Select(r => (r.Cell, r.Repeat)).Distinct().Count());

        var cleanOut = Path.Combine(dir, "clean-out");
        new SweepRunner(ExperimentBackend.CreateDefault()).Run(plan, new RunOptions(cleanOut, false, Shard.All, 2));
        foreach (var f in new[] { "table.md", "table.csv", "table.tex" })
            Assert.Equal(File.ReadAllText(Path.Combine(cleanOut, "killed", f)), File.ReadAllText(Path.Combine(killedOut, "killed", f)));
    }
}

using System.Globalization;
using System.Diagnostics;
using System.Text;
using Diffusion.Research.Cli;
using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Samples;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>
/// Issue 13, "inputs that still break it": each hostile input found there, checked end to end through the CLI (exit code,
/// a located plain message, no stack trace, nothing written outside the results folder). The malformed-input corpus
/// (Malformed/expected.txt) holds the file-shaped cases; the ones that need a FIFO, a lock, a huge generated file or a
/// run log are here.
/// </summary>
public class HardeningTests
{
    private static (int Code, string Out, string Err) Invoke(IExperimentBackend backend, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = new DiffusionCli(backend, stdout, stderr, interactive: false).Invoke(args);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static (int Code, string Out, string Err) Invoke(params string[] args) => Invoke(new FakeBackend(), args);

    // Item 1: 100,000 nested brackets overflowed the reader's recursion (exit 134).
    [Fact]
    public void Metrics_nested_100000_brackets_deep_is_a_located_error_not_a_stack_overflow()
    {
        var dir = TestFiles.NewDirectory("harden");
        var file = TestFiles.Write(dir, "deep.yaml", TestFiles.Tiny.Replace("metrics: [sliced_w2, mean_error]",
            "metrics: " + new string('[', 100_000) + new string(']', 100_000)));
        var (code, _, err) = Invoke("validate", file);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains($"{file}:15:", err);
        Assert.Contains("nested more than 64 levels deep", err);
    }

    // Item 3: name '..' wrote outside --out and, with --force, deleted files there.
    [Fact]
    public void Name_with_dots_or_separators_is_refused_and_force_deletes_nothing_outside_out()
    {
        var dir = TestFiles.NewDirectory("harden");
        var outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        var precious = TestFiles.Write(dir, "runs.jsonl", "keep me\n");
        Directory.CreateDirectory(Path.Combine(dir, "figures"));
        foreach (var name in new[] { "..", ".", "../x", "a/b", ".hidden" })
        {
            var file = TestFiles.Write(dir, "n.yaml", TestFiles.Tiny.Replace("name: tiny", $"name: \"{name}\""));
            var (code, _, err) = Invoke("run", file, "--out", outDir, "--force");
            Assert.Equal(ExitCodes.InvalidInput, code);
            Assert.Contains($"{file}:1:7: error: name must be a plain folder name", err);
        }
        Assert.Equal("keep me\n", File.ReadAllText(precious));
        Assert.True(Directory.Exists(Path.Combine(dir, "figures")));
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    // Item 4: 4 axes of 65,536 values made the cell count wrap to 0 ("ok (0 cells)").
    [Fact]
    public void Sweep_of_four_axes_of_65536_values_is_refused_without_overflow()
    {
        var dir = TestFiles.NewDirectory("harden");
        var values = "[" + string.Join(",", Enumerable.Range(1, 65_536)) + "]";
        var sweep = new StringBuilder("sweep:\n");
        foreach (var key in new[] { "sampler.steps", "eval.particles", "eval.reference", "sampler.max_steps" })
            sweep.Append("  ").Append(key).Append(": ").Append(values).Append('\n');
        var yaml = TestFiles.Tiny[..TestFiles.Tiny.IndexOf("sweep:", StringComparison.Ordinal)].Replace("nfe: 10", "steps: 10") + sweep;
        var file = TestFiles.Write(dir, "huge.yaml", yaml);
        var (code, output, err) = Invoke("validate", file);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.DoesNotContain("ok (", output);
        Assert.Contains("the sweep has more than 100000 cells (65536 x 65536", err);
    }

    // Item 5: two runs on one results folder computed every cell twice.
    [Fact]
    public void Run_on_a_results_folder_locked_by_another_process_is_refused_with_a_clear_error()
    {
        var dir = TestFiles.NewDirectory("harden");
        var file = TestFiles.Write(dir, "ok.yaml", TestFiles.Tiny.Replace("[2, 10, 40]", "[5, 10, 40]"));
        var outDir = Path.Combine(dir, "out");
        int code;
        string err;
        using (ResultsLock.Acquire(Path.Combine(outDir, "tiny")))
        {
            (code, _, err) = Invoke("run", file, "--out", outDir);
            Assert.Equal(ExitCodes.RunFailed, code);
            Assert.Contains("is in use by another diffusion process", err);
            Assert.False(File.Exists(Path.Combine(outDir, "tiny", "runs.jsonl")));
            Assert.Throws<ResultsFolderInUseException>(() => ResultsLock.Acquire(Path.Combine(outDir, "tiny")));
        }
        (code, _, _) = Invoke("run", file, "--out", outDir);
        Assert.Equal(ExitCodes.Success, code);
        using (ResultsLock.Acquire(Path.Combine(outDir, "tiny")))
        {
            (code, _, err) = Invoke("table", Path.Combine(outDir, "tiny")); // re-rendering waits for no one either
            Assert.Equal(ExitCodes.InvalidInput, code);
            Assert.Contains("is in use by another diffusion process", err);
        }
        Assert.Equal(ExitCodes.Success, Invoke("table", Path.Combine(outDir, "tiny")).Code);
    }

    // Item 6: a duplicate record with another value was accepted silently.
    [Fact]
    public void Run_log_record_duplicating_a_cell_with_another_value_is_refused_with_its_line()
    {
        var dir = TestFiles.NewDirectory("harden");
        var file = TestFiles.Write(dir, "ok.yaml", TestFiles.Tiny.Replace("[2, 10, 40]", "[5, 10, 40]"));
        var outDir = Path.Combine(dir, "out");
        Assert.Equal(0, Invoke("run", file, "--out", outDir).Code);
        var log = Path.Combine(outDir, "tiny", "runs.jsonl");
        var lines = File.ReadAllLines(log);
        var record = ResultRecord.Parse(lines[2]);
        var twin = record with { Metrics = record.Metrics.ToDictionary(p => p.Key, p => p.Value + 1) };
        File.AppendAllText(log, record.ToJsonLine() + "\n"); // the same result again: harmless
        File.AppendAllText(log, twin.ToJsonLine() + "\n");
        var bad = lines.Length + 2;
        var (code, _, err) = Invoke("table", Path.Combine(outDir, "tiny"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains($"runs.jsonl:{bad}: cell #{record.Index} repeat {record.Repeat} is recorded again with a different result (first at line 3)", err);
        (code, _, err) = Invoke("run", file, "--out", outDir);
        Assert.Equal(ExitCodes.RunFailed, code);
        Assert.Contains($"runs.jsonl:{bad}:", err);
    }

    // Item 8: beta_max 1e308 and sigma_max 1e300 passed validation; no registered SDE with its defaults may be refused.
    [Fact]
    public void Sde_range_check_refuses_overflowing_kernels_and_accepts_every_default_sde()
    {
        var registry = SdeRegistry.CreateDefault();
        foreach (var name in registry.Names)
            SdeRangeCheck.Check(registry.Create(name), 1e-3, 2);
        SdeRangeCheck.Check(registry.Create("ve", new Dictionary<string, double> { ["sigma_max"] = 1e150 }), 1e-3, 2);
        var vp = Assert.Throws<ArgumentException>(() => SdeRangeCheck.Check(registry.Create("vp", new Dictionary<string, double> { ["beta_max"] = 1e308 }), 1e-3, 2));
        Assert.Equal("sde.parameters", vp.ParamName);
        Assert.Contains("log-SNR not finite", vp.Message);
        var ve = Assert.Throws<ArgumentException>(() => SdeRangeCheck.Check(registry.Create("ve", new Dictionary<string, double> { ["sigma_max"] = 1e300 }), 1e-3, 2));
        Assert.Contains("Infinity", ve.Message);
    }

    // Item 9: a 300-character name passed validation and failed at run time with "path too long".
    [Fact]
    public void Name_of_300_characters_is_refused_at_validation()
    {
        var dir = TestFiles.NewDirectory("harden");
        var file = TestFiles.Write(dir, "long.yaml", TestFiles.Tiny.Replace("name: tiny", "name: " + new string('n', 300)));
        var (code, _, err) = Invoke("validate", file);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains($"{file}:1:7: error: name is 300 characters long; at most 100", err);
        file = TestFiles.Write(dir, "ok.yaml", TestFiles.Tiny.Replace("name: tiny", "name: " + new string('n', 100)));
        Assert.Equal(ExitCodes.Success, Invoke("validate", file).Code);
    }

    // Item 10: tags were ignored (steps: !!str 10 read as 10, !python/object accepted).
    [Fact]
    public void Yaml_tags_are_refused_where_they_are()
    {
        var dir = TestFiles.NewDirectory("harden");
        var file = TestFiles.Write(dir, "t.yaml", TestFiles.Tiny.Replace("nfe: 10", "nfe: !!str 10"));
        var (code, _, err) = Invoke("validate", file);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains($"{file}:12:8: error: YAML tags (!!str) are not supported", err);
        file = TestFiles.Write(dir, "p.yaml", TestFiles.Tiny.Replace("description: A tiny sweep for tests.", "description: !python/object:os.system echo"));
        (code, _, err) = Invoke("validate", file);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains($"{file}:2:14: error: YAML tags (!python/object:os.system)", err);
    }

    // Item 11: a FIFO blocked forever, /dev/zero ran out of memory; files over 4 MiB are refused too.
    [Fact]
    public async Task Fifo_device_folder_and_oversized_experiment_files_are_refused()
    {
        var dir = TestFiles.NewDirectory("harden");
        var cases = new List<(string File, string Text)>
        {
            (dir, "is a folder, not a file"),
            (TestFiles.Write(dir, "big.yaml", "name: big\n" + new string('#', 5 << 20)), "is larger than 4 MiB"),
        };
        if (OperatingSystem.IsLinux())
        {
            var fifo = Path.Combine(dir, "pipe.yaml");
            using (var mk = Process.Start(new ProcessStartInfo("mkfifo", fifo) { UseShellExecute = false })!) mk.WaitForExit();
            cases.Add((fifo, "is a named pipe (FIFO), not a regular file"));
            cases.Add(("/dev/zero", "is a character device, not a regular file"));
        }
        foreach (var (file, text) in cases)
        {
            var task = Task.Run(() => Invoke("validate", file));
            var first = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(first == task, $"validate {file} did not return");
            var (code, _, err) = await task;
            Assert.Equal(ExitCodes.InvalidInput, code);
            Assert.Contains($"{file}:1:1: error: ", err);
            Assert.Contains(text, err);
        }
    }

    // Item 12: 3,000,000 unknown keys printed 3,000,000 errors (6.7 GB); 100,000 show the same behaviour at a test's cost.
    [Fact]
    public void Hundred_thousand_unknown_keys_print_a_capped_list_and_say_how_many_more()
    {
        var dir = TestFiles.NewDirectory("harden");
        var sb = new StringBuilder(TestFiles.Tiny).Append('\n');
        for (var i = 0; i < 100_000; i++) sb.Append("k").Append(i).Append(": 1\n");
        var file = TestFiles.Write(dir, "keys.yaml", sb.ToString());
        var (code, _, err) = Invoke("validate", file);
        Assert.Equal(ExitCodes.InvalidInput, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(51, lines.Length);
        Assert.Equal("... and 99950 more errors not shown (the first 50 are above; fix them and validate again)", lines[^1]);
    }

    // Item 14: finite nonsense (sliced W2 of 1e134 at VE sigma_max 1e150) was reported as success.
    [Fact]
    public void Samples_far_outside_the_data_scale_are_a_diverged_cell_shown_as_failed()
    {
        var (code, output, record, outDir) = RunOneCell("huge-ve", """
            data: {name: 8gaussians}
            sde: {kind: ve, parameters: {sigma_max: 1.0e150}}
            sampler: {solver: edm, steps: 10}
            eval: {particles: 200, reference: 200, metrics: [sliced_w2]}
            """);
        Assert.Equal(ExitCodes.RunFailed, code);
        Assert.Equal("Diverged", record.Status);
        Assert.Contains("is more than 1000 times the data's", record.Message);
        var table = File.ReadAllText(Path.Combine(outDir, "huge-ve", "table.md"));
        Assert.Contains("| failed: Diverged: the samples' RMS norm", table);
        Assert.Contains("failed: Diverged", output);
    }

    [Fact]
    public void Divergence_threshold_is_a_thousand_data_scales()
    {
        var reference = new Batch(2, 2);
        reference.Values.Fill(2.0); // RMS norm sqrt(8)
        var samples = new Batch(2, 2);
        samples.Values.Fill(1999.0); // RMS norm 1999 sqrt(2) < 1000 sqrt(8) = 2000 sqrt(2)
        Assert.Null(DivergenceCheck.Check(samples, reference));
        samples.Values.Fill(2001.0);
        Assert.NotNull(DivergenceCheck.Check(samples, reference));
        samples.Values.Fill(1e200); // the squares overflow: still diverged, not NaN
        Assert.NotNull(DivergenceCheck.Check(samples, reference));
    }

    /// <summary>
    /// The threshold is 1000 times the root second moment of the data noised to the end time, sqrt(α² R_y² + σ² D), at a
    /// generic α = 0.93, σ = 0.37 (so a dropped α, a σ not squared or D left out moves it): reference rows (2, 2) give
    /// R_y² = 8, and D = 2, so the bound is 1000 sqrt(0.8649 · 8 + 0.1369 · 2) = 1000 sqrt(7.193).
    /// </summary>
    [Fact]
    public void Divergence_threshold_is_a_thousand_scales_of_the_noised_data()
    {
        var reference = new Batch(2, 2);
        reference.Values.Fill(2.0);
        var samples = new Batch(2, 2);
        var bound = 1000 * Math.Sqrt(0.93 * 0.93 * 8 + 0.37 * 0.37 * 2); // samples filled with v have RMS norm v sqrt(2)
        samples.Values.Fill(bound / Math.Sqrt(2) * (1 - 1e-9));
        Assert.Null(DivergenceCheck.Check(samples, reference, 0.93, 0.37));
        samples.Values.Fill(bound / Math.Sqrt(2) * (1 + 1e-9));
        Assert.Equal($"the samples' RMS norm {(bound * (1 + 1e-9)).ToString("G3", CultureInfo.InvariantCulture)} is more than 1000 times the data's 2.83 noised to the end time (2.68)",
            DivergenceCheck.Check(samples, reference, 0.93, 0.37));
    }

    /// <summary>
    /// Data that are almost a point mass (variance 1e-9): every correct sampler ends with the noise σ(t_eps) of its last
    /// time, thousands of data scales away, and the cell reports its metric instead of "Diverged" (it used to be flagged).
    /// </summary>
    [Fact]
    public void Near_point_mass_data_are_not_flagged_as_diverged()
    {
        var (code, _, record, _) = RunOneCell("point-mass", """
            data: {name: gaussian, parameters: {dimension: 2, variance: 1.0e-9}}
            sde: {kind: vp}
            sampler: {solver: heun, steps: 20}
            eval: {particles: 200, reference: 200, metrics: [mean_error]}
            """);
        Assert.True(record.IsSuccess, record.Message);
        Assert.Equal(ExitCodes.Success, code);
    }

    // Runs an experiment of one cell and one repeat (name and seed 3 added to the blocks given) with the real backend.
    private static (int Code, string Output, ResultRecord Record, string OutDir) RunOneCell(string name, string blocks)
    {
        var dir = TestFiles.NewDirectory(name);
        var file = TestFiles.Write(dir, name + ".yaml", $"name: {name}\nseed: 3\n{blocks}");
        var outDir = Path.Combine(dir, "out");
        var (code, output, _) = Invoke(ExperimentBackend.CreateDefault(), "run", file, "--out", outDir);
        return (code, output, Assert.Single(new RunLog(Path.Combine(outDir, name, "runs.jsonl")).Read()), outDir);
    }

    // Item 15: messages leaked internal names or misled (a folder "does not exist", "Access denied").
    [Fact]
    public void Component_errors_use_yaml_key_names_and_a_folder_is_called_a_folder()
    {
        Assert.Equal("beta_max", ArgumentMessageFor("betaMax"));
        Assert.Equal("s_churn", ArgumentMessageFor("SChurn"));
        Assert.Equal("batch_size", ArgumentMessageFor("BatchSize"));
        // .NET's own guard message for BatchSize = 0, as NeuralModelSettings re-labels it with the YAML key.
        var guard = new ArgumentOutOfRangeException("BatchSize", 0, null);
        var wrapped = new ArgumentException(guard.Message, "model.train.batch", guard);
        Assert.Equal("model.train.batch: batch must be positive, got 0.", Diffusion.Research.Experiments.Configuration.ArgumentMessage.Describe(
            new ArgumentException("BatchSize ('0') must be a non-negative and non-zero value. (Parameter 'BatchSize')\nActual value was 0.", "model.train.batch", guard)));
        var described = Diffusion.Research.Experiments.Configuration.ArgumentMessage.Describe(wrapped);
        Assert.StartsWith("model.train.batch: ", described);
        Assert.DoesNotContain("(Parameter", described);
        Assert.DoesNotContain("BatchSize", described);
        var dir = TestFiles.NewDirectory("harden");
        Directory.CreateDirectory(Path.Combine(dir, "points.csv"));
        var file = TestFiles.Write(dir, "i.yaml", TestFiles.Tiny.Replace("nfe: 10", "nfe: 10\n  init: points.csv"));
        var (code, _, err) = Invoke("validate", file);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("sampler.init 'points.csv' is a folder, not a file", err);
        Assert.DoesNotContain("does not exist", err);
    }

    private static string ArgumentMessageFor(string name) => Diffusion.Research.Experiments.Configuration.ArgumentMessage.SnakeCase(name);

    // First contact: after a run the table is printed; reused cells are counted with the way to recompute them.
    [Fact]
    public void Run_prints_the_table_and_says_how_many_cells_were_reused_and_how_to_rerun_them()
    {
        var dir = TestFiles.NewDirectory("harden");
        var file = TestFiles.Write(dir, "ok.yaml", TestFiles.Tiny.Replace("[2, 10, 40]", "[5, 10, 40]"));
        var outDir = Path.Combine(dir, "out");
        var (code, output, _) = Invoke("run", file, "--out", outDir);
        Assert.Equal(0, code);
        var table = File.ReadAllText(Path.Combine(outDir, "tiny", "table.md"));
        Assert.Contains(table, output);
        Assert.DoesNotContain("reused", output);
        (code, output, _) = Invoke("run", file, "--out", outDir);
        Assert.Equal(0, code);
        Assert.Contains("0 run, 18 skipped", output);
        Assert.Contains(table, output);
        Assert.Contains($"tiny: all 18 of 18 cell runs were reused from {Path.Combine(outDir, "tiny", "runs.jsonl")}", output);
        Assert.Contains($"to recompute them: diffusion run {file} --force", output);
    }
}

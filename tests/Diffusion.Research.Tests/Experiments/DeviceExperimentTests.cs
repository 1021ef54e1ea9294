using Diffusion.Research.Cli;
using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Gpu;

namespace Diffusion.Research.Tests.Experiments;

/// <summary><c>sampler.device</c> and <c>--device</c> end to end (issue 8): the GPU kernels on ILGPU's CPU accelerator give the
/// CPU table, bad values and unsupported combinations are located config errors, auto falls back once and says so.</summary>
public class DeviceExperimentTests
{
    private const string Yaml = """
        name: device
        seed: 5
        repeats: 2
        data: {name: 8gaussians}
        sde: {kind: vp}
        sampler: {solver: heun, nfe: 20, device: DEVICE}
        eval: {particles: 128, reference: 128, metrics: [mean_error, sliced_w2]}
        sweep:
          sampler.solver: [euler, heun, euler_maruyama, ddim]
        table: {rows: [sampler.solver], columns: [], value: sliced_w2, format: "0.000000"}
        """;

    // A trained MLP score instead of the exact one (trained on the CPU, the same network for both devices; sampled on the
    // device's MLP kernel).
    private const string MlpModel = """
        sde: {kind: vp}
        model:
          kind: mlp
          width: 24
          layers: 2
          output: eps
          train: {steps: 40, batch: 64}
        """;

    private static string Run(string device, out IReadOnlyList<ResultRecord> records, out string manifest, List<string>? notices = null,
        bool mlp = false)
    {
        var dir = TestFiles.NewDirectory("device");
        var backend = ExperimentBackend.CreateDefault();
        if (notices is not null) backend.Notice = notices.Add;
        var yaml = Yaml.Replace("DEVICE", device);
        if (mlp) yaml = yaml.Replace("sde: {kind: vp}", MlpModel.TrimEnd()).Replace("[euler, heun, euler_maruyama, ddim]", "[heun, euler_maruyama]");
        var plan = new ExperimentLoader(backend).Load(TestFiles.Write(dir, "device.yaml", yaml));
        new SweepRunner(backend).Run(plan, new RunOptions(dir, false, Shard.All, 2));
        records = new RunLog(Path.Combine(dir, "device", "runs.jsonl")).Read();
        manifest = File.ReadAllText(Path.Combine(dir, "device", "manifest.json"));
        // The table's header names the hash of the YAML text, which differs by the device line; the rest must not.
        return System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(Path.Combine(dir, "device", "table.md")), "Config hash `[0-9a-f]+`", "Config hash");
    }

    [Fact]
    public void Gpu_emulated_gives_the_cpu_table()
    {
        var cpu = Run("cpu", out var cpuRecords, out var cpuManifest);
        var gpu = Run("gpu-emulated", out var gpuRecords, out var gpuManifest);
        Assert.All(gpuRecords, r => Assert.True(r.IsSuccess, r.Message));
        Assert.Equal(cpu, gpu);
        // Same metrics to rounding (the table shows 6 digits; the solves agree to ~1e-14).
        foreach (var (a, b) in cpuRecords.OrderBy(r => (r.Index, r.Repeat)).Zip(gpuRecords.OrderBy(r => (r.Index, r.Repeat))))
            Assert.Equal(a.Metrics["sliced_w2"]!.Value, b.Metrics["sliced_w2"]!.Value, 1e-9);
        Assert.All(cpuRecords, r => Assert.Null(r.Device));
        Assert.All(gpuRecords, r => Assert.Contains("ILGPU " + DeviceContext.IlgpuVersion, r.Device));
        Assert.DoesNotContain("\"devices\"", cpuManifest);
        Assert.Contains("\"devices\"", gpuManifest);
        Assert.Contains("ILGPU CPU accelerator", gpuManifest);
    }

    [Fact]
    public void Gpu_emulated_gives_the_cpu_table_with_a_trained_mlp_score()
    {
        var cpu = Run("cpu", out var cpuRecords, out _, mlp: true);
        var gpu = Run("gpu-emulated", out var gpuRecords, out _, mlp: true);
        Assert.All(gpuRecords, r => Assert.True(r.IsSuccess, r.Message));
        Assert.Equal(4, gpuRecords.Count);
        Assert.Equal(cpu, gpu);
        foreach (var (a, b) in cpuRecords.OrderBy(r => (r.Index, r.Repeat)).Zip(gpuRecords.OrderBy(r => (r.Index, r.Repeat))))
            Assert.Equal(a.Metrics["sliced_w2"]!.Value, b.Metrics["sliced_w2"]!.Value, 1e-9);
        Assert.All(gpuRecords, r => Assert.Contains("ILGPU", r.Device));
    }

    [Fact]
    public void Unset_device_stays_out_of_the_cell_identity()
    {
        var backend = ExperimentBackend.CreateDefault();
        var unset = new ExperimentLoader(backend).Parse(Yaml.Replace(", device: DEVICE", ""), "d.yaml", ".");
        Assert.All(unset.Cells, c => Assert.DoesNotContain("device", c.ResolvedJson));
        Assert.All(unset.Cells, c => Assert.Null(c.Sampler.Device));
        var set = new ExperimentLoader(backend).Parse(Yaml.Replace("DEVICE", "gpu-emulated"), "d.yaml", ".");
        Assert.All(set.Cells, c => Assert.Contains("\"device\":\"gpu-emulated\"", c.ResolvedJson));
        // Sweepable like any sampler key.
        var swept = new ExperimentLoader(backend).Parse(Yaml.Replace(", device: DEVICE", "").Replace("sampler.solver: [euler, heun, euler_maruyama, ddim]", "sampler.device: [cpu, gpu-emulated]"), "d.yaml", ".");
        Assert.Equal(["cpu", "gpu-emulated"], swept.Cells.Select(c => c.Sampler.Device));
    }

    [Fact]
    public void Bad_device_values_and_unsupported_cells_are_located_errors()
    {
        var backend = ExperimentBackend.CreateDefault();
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(backend).Parse(Yaml.Replace("DEVICE", "tpu"), "d.yaml", "."));
        var error = Assert.Single(e.Errors);
        Assert.Equal(6, error.Location.Line);
        Assert.Contains("cpu, gpu, auto, gpu-emulated", error.Message);
        Assert.Contains("'tpu'", error.Message);

        e = Assert.Throws<ConfigException>(() => new ExperimentLoader(backend).Parse(Yaml.Replace("DEVICE", "gpu-emulated").Replace("ddim]", "dopri5]"), "d.yaml", "."));
        error = Assert.Single(e.Errors);
        Assert.Contains("adaptive", error.Message);
        Assert.Equal(9, error.Location.Line); // the sweep entry that set sampler.solver

        e = Assert.Throws<ConfigException>(() => new ExperimentLoader(backend).Parse(Yaml.Replace("DEVICE", "gpu-emulated").Replace("ddim]", "ggf]"), "d.yaml", "."));
        Assert.Contains("solver 'ggf' is adaptive", Assert.Single(e.Errors).Message);

        e = Assert.Throws<ConfigException>(() => new ExperimentLoader(backend).Parse(Yaml.Replace("DEVICE", "gpu-emulated").Replace("sde: {kind: vp}", "sde: {kind: vp}\nmodel: {kind: ebm}"), "d.yaml", "."));
        Assert.All(e.Errors, x => Assert.Contains("model kind 'ebm' has no device kernel", x.Message));
        e = Assert.Throws<ConfigException>(() => new ExperimentLoader(backend).Parse(Yaml.Replace("DEVICE", "gpu-emulated").Replace("sde: {kind: vp}", "sde: {kind: vp}\nmodel: {kind: mlp, width: 256}"), "d.yaml", "."));
        Assert.All(e.Errors, x => Assert.Contains("width up to 128", x.Message));

        if (!DeviceContext.IsCudaAvailable())
        {
            e = Assert.Throws<ConfigException>(() => new ExperimentLoader(backend).Parse(Yaml.Replace("DEVICE", "gpu"), "d.yaml", "."));
            Assert.All(e.Errors, x => Assert.Contains("needs a CUDA device", x.Message));
            Assert.All(e.Errors, x => Assert.Equal(6, x.Location.Line));
        }
    }

    [Fact]
    public void Auto_without_cuda_falls_back_to_the_cpu_once_and_records_it()
    {
        if (DeviceContext.IsCudaAvailable()) return; // on a CUDA machine auto runs the kernels (covered by the device check)
        var notices = new List<string>();
        var auto = Run("auto", out var records, out var manifest, notices);
        var cpu = Run("cpu", out _, out _);
        Assert.Equal(cpu, auto);
        Assert.Single(notices);
        Assert.Contains("no CUDA device", notices[0]);
        Assert.All(records, r => Assert.StartsWith("cpu (device: auto", r.Device));
        Assert.Contains("device: auto found no CUDA device", manifest);
    }

    [Fact]
    public void Cli_device_option_is_validated()
    {
        var dir = TestFiles.NewDirectory("device-cli");
        var file = TestFiles.Write(dir, "device.yaml", Yaml.Replace(", device: DEVICE", ""));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = new DiffusionCli(ExperimentBackend.CreateDefault(), stdout, stderr, interactive: false).Invoke(["run", file, "--out", dir, "--device", "tpu"]);
        Assert.Equal(2, code);
        Assert.Contains("--device must be one of cpu, gpu, auto, gpu-emulated", stderr.ToString());
        if (DeviceContext.IsCudaAvailable()) return;
        stderr = new StringWriter();
        code = new DiffusionCli(ExperimentBackend.CreateDefault(), stdout, stderr, interactive: false).Invoke(["run", file, "--out", dir, "--device", "gpu"]);
        Assert.Equal(2, code);
        Assert.Contains("needs a CUDA device", stderr.ToString());
        Assert.False(Directory.Exists(Path.Combine(dir, "device")));
    }
}

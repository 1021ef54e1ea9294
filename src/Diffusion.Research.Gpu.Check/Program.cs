using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Diffusion.Research.Data;
using Diffusion.Research.Gpu;
using Diffusion.Research.Gpu.Check;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

// The device check of docs/gpu.md (run by scripts/gpu-check.sh on the GPU machine, published self-contained):
//   gpu-check OUTDIR [--emulated] [--sizes 1000000,10000000] [--steps 1000] [--bench-only] [--no-mlp] [--no-mixture]
// 1. opens the CUDA device (or ILGPU's CPU accelerator with --emulated, for a smoke test without a GPU) and prints it;
// 2. runs every GPU-vs-CPU agreement case (256 particles) and checks 1e-12 / 1e-10 relative;
// 3. times reverse-SDE Euler–Maruyama (VP linear, l = 1, exact 8gaussians score, float64) at each size;
// 4. writes OUTDIR/dotnet.json. Exit code 0 when every agreement case passes, 1 otherwise, 2 for bad arguments.
var inv = CultureInfo.InvariantCulture;
if (args.Length < 1) { Console.Error.WriteLine("usage: gpu-check OUTDIR [--emulated] [--sizes N1,N2] [--steps S] [--bench-only] [--no-mlp] [--no-mixture]"); return 2; }
var outDir = args[0];
if (outDir == "--ptx")
{
    // gpu-check --ptx DIR: the PTX of the benchmark kernels (EM with the mixture score and with the MLP score, per particle and tiled), for ptxas/ncu.
    var ptxDir = args.Length > 1 ? args[1] : ".";
    Directory.CreateDirectory(ptxDir);
    foreach (var score in new[] { typeof(DeviceMixtureScore), typeof(DeviceMlpScore) })
        File.WriteAllText(Path.Combine(ptxDir, $"EulerMaruyama-{score.Name}.ptx"), PtxListing.Compile(nameof(TrajectoryKernels.EulerMaruyama), score));
    File.WriteAllText(Path.Combine(ptxDir, $"EulerMaruyama-{nameof(DeviceTiledMlpScore)}.ptx"), PtxListing.CompileGrouped(DeviceMethod.EulerMaruyama, typeof(DeviceTiledMlpScore)));
    return 0;
}
var emulated = args.Contains("--emulated");
var benchOnly = args.Contains("--bench-only"); // skip the agreement cases (for profiling the benchmark kernels)
var noMlp = args.Contains("--no-mlp");         // skip the MLP benchmark
var noMixture = args.Contains("--no-mixture"); // skip the exact-mixture benchmark (so a profiler's launch count reaches the MLP kernel first)
long[] sizes = [1_000_000, 10_000_000];
var steps = 1000;
for (var i = 1; i < args.Length - 1; i++)
{
    if (args[i] == "--sizes") sizes = args[i + 1].Split(',').Select(s => long.Parse(s, inv)).ToArray();
    if (args[i] == "--steps") steps = int.Parse(args[i + 1], inv);
}
Directory.CreateDirectory(outDir);

DeviceContext device;
try
{
    // With timing markers on the stream, so that each benchmark row also gives the kernel's own time (GpuSolver.LastKernelTime).
    device = emulated ? DeviceContext.CreateEmulated(checkBounds: false, profiling: true) : DeviceContext.CreateCuda(profiling: true);
}
catch (DeviceUnavailableException e)
{
    Console.Error.WriteLine($"gpu-check: {e.Message}");
    File.WriteAllText(Path.Combine(outDir, "dotnet.json"), JsonSerializer.Serialize(new { error = e.Message }));
    return 1;
}
Console.WriteLine($"device: {device.Description}");
// The timing markers are a diagnostic: should a driver refuse them, the check runs on without (no kernel-alone figures).
try
{
    var probe = new Batch(64, 2);
    new GpuSolver(device, new EulerMaruyama()).Solve(SamplingProblem.Reverse(VpSde.Linear(), new ExactNoisedScore(ToyData.EightGaussians(), VpSde.Linear()), 1.0),
        probe, TimeGrid.Uniform(1.0, 1e-3, 2), new SolveOptions { Noise = new NoiseSource(1) });
}
catch (Exception e) when (e is not DeviceUnavailableException)
{
    Console.WriteLine($"timing markers refused ({e.GetType().Name}: {e.Message}); the check runs without kernel-alone figures");
    device.Dispose();
    device = emulated ? DeviceContext.CreateEmulated() : DeviceContext.CreateCuda();
}

// 2. Agreement with the CPU twins.
var agreement = new List<object>();
var allPass = true;
foreach (var c in benchOnly ? [] : AgreementCase.All())
{
    // A case that throws (a kernel CUDA refuses to launch) or whose solve fails is recorded as failed and the check goes
    // on, so that one bad kernel does not cost the rest of a device run's figures.
    double worst;
    string? error = null;
    try
    {
        worst = c.Run(device, 256);
        if (!double.IsFinite(worst)) error = "a solve did not succeed (non-finite state)";
    }
    catch (Exception e)
    {
        worst = double.PositiveInfinity;
        error = $"{e.GetType().Name}: {e.Message}";
    }
    var pass = worst <= c.Tolerance;
    allPass &= pass;
    agreement.Add(new { solver = c.Solver, sde = c.Sde, data = c.Data, lambda = c.Lambda, max_relative_difference = double.IsFinite(worst) ? worst : (double?)null, tolerance = c.Tolerance, pass, error });
    Console.WriteLine($"agreement {c.Solver,-15} {c.Sde,-10} {c.Data,-10} l={c.Lambda.ToString(inv),-4} max rel diff {worst.ToString("E2", inv)} (tol {c.Tolerance.ToString("E0", inv)}) {(pass ? "ok" : "FAIL")}{(error is null ? "" : $" ({error})")}");
}

// 3. Throughput of the fused EM kernel: reverse SDE (l = 1) of VP linear(0.1, 20), exact 8gaussians score, T = 1 -> 1e-3.
var sde = VpSde.Linear();
var data = ToyData.EightGaussians();
var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde), 1.0);
var solver = new GpuSolver(device, new EulerMaruyama());
var general = new GpuSolver(device, new EulerMaruyama()) { TwoDimensionalPath = false };
var options = new SolveOptions { Noise = new NoiseSource(7) };
var warm = new Batch(1024, 2);
sde.Prior(2).Sample(warm, new NoiseSource(1), 0);
var flopsPerStep = FlopModel.EulerMaruyamaIsotropic(data.Components, data.Dimension);
var bench = new List<object>();
var benchErrors = new List<object>(); // benchmarks that threw: implementation and message
if (!noMixture) solver.Solve(problem, warm, TimeGrid.Uniform(1.0, 1e-3, 10), options); // compiles the kernel
foreach (var n in noMixture ? [] : sizes)
{
    var initial = new Batch(checked((int)n), 2);
    sde.Prior(2).Sample(initial, new NoiseSource(3), 0);
    var grid = TimeGrid.Uniform(1.0, 1e-3, steps);
    // Device-resident (as the peers are timed: particles already on the GPU): tables, kernel, the failure flags back.
    using var resident = new DeviceBatch(device, initial);
    var clock = Stopwatch.StartNew();
    var residentSolution = solver.Solve(problem, resident, grid, options);
    clock.Stop();
    Record("ilgpu-fused", n, steps, clock.Elapsed.TotalSeconds, solver.LastKernelTime, residentSolution.IsSuccess, resident.ToBatch(),
        "wall time of GpuSolver.Solve on a DeviceBatch: host tables, one kernel launch, the earliest failing step back (particles stay on the device, as in the peers)");
    // The same with the general isotropic path instead of the two-dimensional one (the same bits; times the D = 2 path).
    using var residentGeneral = new DeviceBatch(device, initial);
    clock.Restart();
    var generalSolution = general.Solve(problem, residentGeneral, grid, options);
    clock.Stop();
    Record("ilgpu-fused-general", n, steps, clock.Elapsed.TotalSeconds, general.LastKernelTime, generalSolution.IsSuccess, residentGeneral.ToBatch(),
        "as ilgpu-fused with the score's general isotropic path (loops over D) instead of its two-dimensional path (DeviceMixtureScore.Planar = 0)");
    // From and back to host memory: the same plus copying the particles both ways.
    var x = initial.Clone();
    clock.Restart();
    var solution = solver.Solve(problem, x, grid, options);
    clock.Stop();
    Record("ilgpu-fused-host", n, steps, clock.Elapsed.TotalSeconds, solver.LastKernelTime, solution.IsSuccess, x,
        "wall time of GpuSolver.Solve on a host Batch: as ilgpu-fused plus the particles copied to the device and back");
}

void Record(string implementation, long n, int steps, double seconds, TimeSpan? kernel, bool success, Batch x, string note)
{
    var rate = n * (double)steps / seconds;
    var meanX = 0.0;
    var meanRadius = 0.0;
    for (var i = 0; i < x.Count; i++)
    {
        meanX += x[i, 0];
        meanRadius += Math.Sqrt(x[i, 0] * x[i, 0] + x[i, 1] * x[i, 1]);
    }
    bench.Add(new
    {
        implementation,
        algorithm = "reverse-SDE EM, exact 8gaussians score, VP linear",
        dtype = "float64",
        particles = n,
        steps,
        seconds,
        particle_steps_per_second = rate,
        flops_per_particle_step = flopsPerStep,
        flop_rate = rate * flopsPerStep,
        // The kernel alone, between timing markers around its launch (null where the stream takes none).
        kernel_seconds = kernel?.TotalSeconds,
        kernel_particle_steps_per_second = kernel is { } k ? n * (double)steps / k.TotalSeconds : (double?)null,
        success,
        mean_x0 = meanX / x.Count,
        mean_radius = meanRadius / x.Count, // sanity: close to 4/1.414 = 2.83 for every implementation
        note,
    });
    Console.WriteLine($"bench {implementation} float64 N={n} steps={steps}: {seconds.ToString("F3", inv)} s, {rate.ToString("E3", inv)} particle-steps/s, {(rate * flopsPerStep / 1e12).ToString("F2", inv)} TFLOP/s ({flopsPerStep} flop/particle-step)"
        + (kernel is { } t ? $"; kernel alone {t.TotalSeconds.ToString("F3", inv)} s, {(n * (double)steps / t.TotalSeconds).ToString("E3", inv)} particle-steps/s" : ""));
}

WriteReport();
if (noMlp) { device.Dispose(); return allPass ? 0 : 1; }

// 4. The same with an MLP score (3 hidden layers of width 128, SiLU, Gaussian Fourier time embedding of 16 frequencies,
// epsilon output; random initial weights: throughput does not depend on training), on both MLP kernels: the group kernel
// with tiled dense layers (DeviceTiledMlpScore, the default at this width) and one thread per particle (DeviceMlpScore).
// The number of steps is calibrated per kernel so that each size takes about 10 s (at most the EM step count), so a
// slow kernel cannot overrun the check's time budget.
var mlp = new Diffusion.Research.Nn.Models.MlpScoreModel(2, new Diffusion.Research.Nn.Models.ModelOptions { Width = 128, HiddenLayers = 3 }, sde);
var mlpProblem = SamplingProblem.Reverse(sde, mlp, 1.0);
var mlpFlops = FlopModel.EulerMaruyama(FlopModel.MlpScore(2, mlp.Network.Embedding.Size, 128, 3, 0, false), 2);
var tiledSolver = new GpuSolver(device, new EulerMaruyama()) { TiledMlp = true };
var perParticleSolver = new GpuSolver(device, new EulerMaruyama()) { TiledMlp = false };
const string TiledNote = "group kernel, tiled dense layers (DeviceTiledMlpScore; the default on CUDA from width 32)";
const string PerParticleNote = "one thread per particle (DeviceMlpScore)";
foreach (var (name, mlpSolver, kernel) in new[] { ("ilgpu-fused-mlp", tiledSolver, TiledNote), ("ilgpu-fused-mlp-per-particle", perParticleSolver, PerParticleNote) })
    TryBenchMlp(name, mlpSolver, kernel, mlpProblem, mlpFlops, "MLP 3x128", sizes, emulated ? 1.0 : 10.0);
// The width from which the group kernel is the default (GpuSolver.TiledMlpWidth): both kernels at widths 16, 32 and 64
// (3 hidden layers), first size only, about 4 s each.
foreach (var width in new[] { 16, 32, 64 })
{
    var narrow = new Diffusion.Research.Nn.Models.MlpScoreModel(2, new Diffusion.Research.Nn.Models.ModelOptions { Width = width, HiddenLayers = 3 }, sde);
    var narrowProblem = SamplingProblem.Reverse(sde, narrow, 1.0);
    var narrowFlops = FlopModel.EulerMaruyama(FlopModel.MlpScore(2, narrow.Network.Embedding.Size, width, 3, 0, false), 2);
    TryBenchMlp($"ilgpu-fused-mlp-w{width}", tiledSolver, TiledNote, narrowProblem, narrowFlops, $"MLP 3x{width}", sizes[..1], emulated ? 0.5 : 4.0);
    TryBenchMlp($"ilgpu-fused-mlp-per-particle-w{width}", perParticleSolver, PerParticleNote, narrowProblem, narrowFlops, $"MLP 3x{width}", sizes[..1], emulated ? 0.5 : 4.0);
}

void TryBenchMlp(string name, GpuSolver mlpSolver, string kernel, SamplingProblem mlpProblem, long mlpFlops, string model, long[] sizes, double seconds)
{
    try
    {
        BenchMlp(name, mlpSolver, kernel, mlpProblem, mlpFlops, model, sizes, seconds);
    }
    catch (Exception e)
    {
        // As for the agreement cases: record the failure, keep the figures of the other kernel.
        Console.WriteLine($"bench {name}: failed ({e.GetType().Name}: {e.Message})");
        benchErrors.Add(new { implementation = name, error = $"{e.GetType().Name}: {e.Message}" });
    }
}

void BenchMlp(string name, GpuSolver mlpSolver, string kernel, SamplingProblem mlpProblem, long mlpFlops, string model, long[] sizes, double seconds)
{
    var probe = new Batch(emulated ? 256 : 100_000, 2);
    sde.Prior(2).Sample(probe, new NoiseSource(5), 0);
    mlpSolver.Solve(mlpProblem, probe, TimeGrid.Uniform(1.0, 1e-3, 2), options); // compiles the kernel
    var probeClock = Stopwatch.StartNew();
    mlpSolver.Solve(mlpProblem, probe, TimeGrid.Uniform(1.0, 1e-3, 5), options);
    var probeRate = probe.Count * 5.0 / probeClock.Elapsed.TotalSeconds;
    foreach (var n in sizes)
    {
        var mlpSteps = (int)Math.Clamp(Math.Floor(seconds * probeRate / n), 5, steps);
        if (n * (double)mlpSteps / probeRate > 3 * seconds)
        {
            Console.WriteLine($"bench {name} N={n}: skipped (the probe rate {probeRate.ToString("E2", inv)} particle-steps/s would need {(n * (double)mlpSteps / probeRate).ToString("F0", inv)} s)");
            continue;
        }
        var host = new Batch(checked((int)n), 2);
        sde.Prior(2).Sample(host, new NoiseSource(3), 0);
        using var x = new DeviceBatch(device, host);
        var clock = Stopwatch.StartNew();
        var solution = mlpSolver.Solve(mlpProblem, x, TimeGrid.Uniform(1.0, 1e-3, mlpSteps), options);
        clock.Stop();
        var elapsed = clock.Elapsed.TotalSeconds;
        var rate = n * (double)mlpSteps / elapsed;
        var kernelTime = mlpSolver.LastKernelTime;
        bench.Add(new
        {
            implementation = name,
            algorithm = $"reverse-SDE EM, {model} score (SiLU, eps output), VP linear",
            dtype = "float64",
            particles = n,
            steps = mlpSteps,
            seconds = elapsed,
            particle_steps_per_second = rate,
            flops_per_particle_step = mlpFlops,
            flop_rate = rate * mlpFlops,
            kernel_seconds = kernelTime?.TotalSeconds,
            kernel_particle_steps_per_second = kernelTime is { } k ? n * (double)mlpSteps / k.TotalSeconds : (double?)null,
            success = solution.IsSuccess,
            note = $"{kernel}; device-resident (GpuSolver.Solve on a DeviceBatch); steps calibrated to about {seconds} s per size (at most the EM step count)",
        });
        Console.WriteLine($"bench {name} float64 N={n} steps={mlpSteps}: {elapsed.ToString("F3", inv)} s, {rate.ToString("E3", inv)} particle-steps/s, {(rate * mlpFlops / 1e12).ToString("F2", inv)} TFLOP/s ({mlpFlops} flop/particle-step)");
    }
}

WriteReport();
device.Dispose();
return allPass ? 0 : 1;

void WriteReport()
{
    var report = new
    {
        device = device.Name,
        driver = device.Driver,
        ilgpu = DeviceContext.IlgpuVersion,
        emulated = device.IsEmulated, // as the device reports itself (false on CUDA)
        utc = DateTime.UtcNow.ToString("O", inv),
        agreement,
        agreement_pass = allPass,
        bench,
        bench_errors = benchErrors,
    };
    File.WriteAllText(Path.Combine(outDir, "dotnet.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
}

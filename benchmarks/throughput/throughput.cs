// Sampling throughput of the exact-score samplers (issue 9; docs/performance.md): one configuration per process so that
// the peak working set is that configuration's. Not a test; a measurement.
//   dotnet run -c Release benchmarks/throughput/throughput.cs -- --solver em --n 100000 --steps 1000 --threads 2
// Prints one JSON line: best-of-repeat wall time, particle-steps/s, score evaluations/s, peak working set.
// Problem (as benchmarks/peers/common.py): 8gaussians with its exact score (ExactNoisedScore), linear VP SDE
// (beta 0.1 to 20), prior N(0, I), uniform grid from T = 1 to 1e-3; reverse SDE (l = 1) for em, PF-ODE (l = 0) otherwise.
// --solver drift times the reverse drift alone (exact score + linear term) over the same chunks: the score's cost.
#:project ../../solvers/Diffusion.Research.Solvers/Diffusion.Research.Solvers.csproj
#:property PublishAot=false
#:property TieredCompilation=false
using System.Diagnostics;
using System.Globalization;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

var options = Parse(args);
var n = (int)double.Parse(options.GetValueOrDefault("n", "100000"), CultureInfo.InvariantCulture);
var steps = int.Parse(options.GetValueOrDefault("steps", "1000"), CultureInfo.InvariantCulture);
var threads = int.Parse(options.GetValueOrDefault("threads", "2"), CultureInfo.InvariantCulture);
var repeat = int.Parse(options.GetValueOrDefault("repeat", "3"), CultureInfo.InvariantCulture);
var name = options.GetValueOrDefault("solver", "em");

var sde = VpSde.Linear();
var score = new ExactNoisedScore(ToyData.EightGaussians(), sde.Kernel!);
var start = new Batch(n, 2);
sde.Prior(2).Sample(start, new NoiseSource(2), 0);
var x = new Batch(n, 2);
var grid = TimeGrid.Uniform(1.0, 1e-3, steps);
var solveOptions = new SolveOptions().WithNoise(new NoiseSource(1)).WithThreads(threads);
var (solver, lambda, evaluations) = name switch
{
    "em" => ((ISolver?)new EulerMaruyama(), 1.0, 1),
    "euler" => (new ExplicitRungeKutta(Tableau.Euler), 0.0, 1),
    "heun" => (new ExplicitRungeKutta(Tableau.Heun), 0.0, 2),
    "rk4" => (new ExplicitRungeKutta(Tableau.RungeKutta4), 0.0, 4),
    "dpm_solver_2" => (new DpmSolver2(), 0.0, 2),
    "drift" => (null, 1.0, 1),
    _ => throw new ArgumentException($"unknown --solver {name}: em, euler, heun, rk4, dpm_solver_2 or drift"),
};
var problem = SamplingProblem.Reverse(sde, score, lambda);

var best = double.MaxValue;
for (var r = 0; r < repeat; r++)
{
    start.CopyTo(x);
    var watch = Stopwatch.StartNew();
    if (solver is not null)
    {
        var status = solver.Solve(problem, x, grid, solveOptions).Status;
        if (status != SolveStatus.Success) throw new InvalidOperationException($"solve ended {status}");
    }
    else
    {
        DriftOnly(problem.Dynamics, x, grid, solveOptions);
    }
    best = Math.Min(best, watch.Elapsed.TotalSeconds);
}
var particleSteps = (double)n * steps;
var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"implementation\": \"diffusion-research\", \"solver\": \"{name}\", \"particles\": {n}, \"steps\": {steps}, \"threads\": {threads}, " +
    $"\"seconds\": {best:R}, \"particle_steps_per_second\": {particleSteps / best:R}, \"score_evaluations_per_second\": {evaluations * particleSteps / best:R}, " +
    $"\"peak_working_set_mib\": {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F1}, \"load_average\": {load}}}"));

// The drift alone, chunk by chunk as the fixed-step solvers cut the batch, at every grid time.
static void DriftOnly(IDynamics dynamics, Batch x, TimeGrid grid, SolveOptions options)
{
    var chunk = options.ChunkSize;
    var chunks = (x.Count + chunk - 1) / chunk;
    Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = options.Threads },
        () => new double[chunk * x.Dimension],
        (c, _, buffer) =>
        {
            var rows = Math.Min(chunk, x.Count - c * chunk);
            var view = x.Slice(c * chunk, rows);
            var drift = new Batch(buffer, rows, x.Dimension);
            for (var i = 0; i < grid.Steps; i++) dynamics.Drift(grid[i], view, drift);
            return buffer;
        },
        _ => { });
}

static Dictionary<string, string> Parse(string[] args)
{
    var result = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"expected --key value, got '{args[i]}'");
        result[args[i][2..]] = args[i + 1];
    }
    return result;
}

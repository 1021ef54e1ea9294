using BenchmarkDotNet.Attributes;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Benchmarks.Sampling;

/// <summary>
/// Sampling 8gaussians with its exact score under the linear VP SDE: reverse-SDE Euler–Maruyama and PF-ODE RK4,
/// N particles x D = 2, <see cref="Steps"/> steps from T = 1 to 1e-3. Particle-steps per second = N·Steps / mean time;
/// allocated bytes per step = Allocated / Steps.
/// Run: dotnet run -c Release --project tests/Diffusion.Research.Benchmarks -- --filter '*ReverseSdeSampling*' --job short
/// </summary>
[MemoryDiagnoser]
public class ReverseSdeSamplingBenchmarks
{
    private readonly VpSde _sde = VpSde.Linear();
    private SamplingProblem _sdeProblem = null!, _odeProblem = null!, _forwardProblem = null!;
    private Batch _start, _x;
    private TimeGrid _grid = null!, _forwardGrid = null!;
    private readonly SolveOptions _options = new SolveOptions().WithNoise(new NoiseSource(1));
    private readonly EulerMaruyama _eulerMaruyama = new();
    private readonly ExplicitRungeKutta _rk4 = new(Tableau.RungeKutta4);
    private readonly ExplicitRungeKutta _heun = new(Tableau.Heun);
    private readonly DpmSolver2 _dpmSolver2 = new();
    private Batch _drift;

    /// <summary>Particles.</summary>
    [Params(100_000)]
    public int N { get; set; }

    /// <summary>Steps (the reference configuration: 1000).</summary>
    [Params(1000)]
    public int Steps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var score = new ExactNoisedScore(ToyData.EightGaussians(), _sde.Kernel!);
        _sdeProblem = SamplingProblem.Reverse(_sde, score, 1.0);
        _odeProblem = SamplingProblem.Reverse(_sde, score, 0.0);
        _start = new Batch(N, 2);
        _sde.Prior(2).Sample(_start, new NoiseSource(2), 0);
        _x = new Batch(N, 2);
        _drift = new Batch(2048, 2);
        _grid = TimeGrid.Uniform(1.0, 1e-3, Steps);
        _forwardProblem = SamplingProblem.Of(_sde);
        _forwardGrid = TimeGrid.Uniform(0.0, 1.0, Steps);
    }

    [Benchmark]
    public SolveStatus EulerMaruyamaReverseSde()
    {
        _start.CopyTo(_x);
        return _eulerMaruyama.Solve(_sdeProblem, _x, _grid, _options).Status;
    }

    /// <summary>The solver machinery alone: Euler–Maruyama on the forward VP SDE (linear drift, no score), 0 to 1.</summary>
    [Benchmark]
    public SolveStatus EulerMaruyamaForwardVpNoScore()
    {
        _start.CopyTo(_x);
        return _eulerMaruyama.Solve(_forwardProblem, _x, _forwardGrid, _options).Status;
    }

    [Benchmark]
    public SolveStatus RungeKutta4ProbabilityFlow()
    {
        _start.CopyTo(_x);
        return _rk4.Solve(_odeProblem, _x, _grid, _options).Status;
    }

    /// <summary>PF-ODE Heun (2 score evaluations per step; fused path, issue 9).</summary>
    [Benchmark]
    public SolveStatus HeunProbabilityFlow()
    {
        _start.CopyTo(_x);
        return _heun.Solve(_odeProblem, _x, _grid, _options).Status;
    }

    /// <summary>DPM-Solver-2 (2 score evaluations per step; fused path, issue 9).</summary>
    [Benchmark]
    public SolveStatus DpmSolver2ProbabilityFlow()
    {
        _start.CopyTo(_x);
        return _dpmSolver2.Solve(_odeProblem, _x, _grid, _options).Status;
    }

    /// <summary>The reverse drift alone (exact score and linear term), chunk by chunk on one thread: the score's cost.</summary>
    [Benchmark]
    public double ReverseDriftOneThread()
    {
        for (var start = 0; start + 2048 <= N; start += 2048)
            for (var i = 0; i < Steps; i += 10) _sdeProblem.Dynamics.Drift(_grid[i], _start.Slice(start, 2048), _drift);
        return _drift.Values[0];
    }
}

using BenchmarkDotNet.Attributes;
using Diffusion.Research.Data;
using Diffusion.Research.Likelihood;
using Diffusion.Research.Nn.Likelihood;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Benchmarks.Nn;

/// <summary>
/// One training step (forward + backward + Adam) of a 3 x 128 SiLU MLP on a batch of 512 particles in
/// D = 2, for DSM and for ISM (exact trace, create-graph), and the exact-divergence likelihood pieces.
/// Run: dotnet run -c Release --project tests/Diffusion.Research.Benchmarks -- --filter '*NnTraining*'
/// </summary>
[MemoryDiagnoser]
public class NnTrainingBenchmarks
{
    private TrainingSession _dsm = null!;
    private TrainingSession _ism = null!;
    private NeuralScoreDivergence _divergence = null!;
    private ProbabilityFlowLikelihood _likelihood = null!;
    private Batch _points;
    private double[] _out = [];

    /// <summary>Threads of the matrix products.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sde = VpSde.Linear();
        var data = GaussianMixture.Isotropic([0.5, 0.5], [[1.0, 1.0], [-1.0, -1.0]], [0.1, 0.1]);
        var options = new TrainingOptions()
            .WithModel(new ModelOptions().WithWidth(128).WithHiddenLayers(3).WithActivation(Diffusion.Research.Nn.Autodiff.Activation.Silu))
            .WithBatchSize(512).WithSteps(1_000_000).WithThreads(Threads);
        _dsm = new TrainingSession(options.WithLoss("dsm"), data, sde);
        _ism = new TrainingSession(options.WithLoss("ism").WithWeighting("uniform"), data, sde);
        for (var i = 0; i < 3; i++)
        {
            _dsm.Step();
            _ism.Step();
        }
        _divergence = new NeuralScoreDivergence(_dsm.Model);
        _likelihood = NeuralLikelihood.Exact(sde, _dsm.Model);
        _points = new Batch(512, 2);
        data.Sample(_points, new NoiseSource(3), 0);
        _out = new double[512];
    }

    /// <summary>One DSM step: sample, forward, backward, Adam.</summary>
    [Benchmark]
    public double DsmStep() => _dsm.Step();

    /// <summary>One ISM step: the exact trace needs D = 2 recorded backward passes, then the parameter gradient.</summary>
    [Benchmark]
    public double IsmStep() => _ism.Step();

    /// <summary>The exact divergence of 512 particles (D backward passes on the tape).</summary>
    [Benchmark]
    public double ExactDivergence()
    {
        _divergence.Divergence(0.5, _points, _out);
        return _out[0];
    }

    /// <summary>One exact-divergence likelihood evaluation of 512 particles: RK4, 20 steps on [1e-3, 1] (80 score + divergence calls).</summary>
    [Benchmark]
    public double ExactLikelihood()
    {
        var result = _likelihood.Evaluate(_points, new ExplicitRungeKutta(Tableau.RungeKutta4), TimeGrid.Uniform(1e-3, 1.0, 20),
            new SolveOptions().WithThreads(Threads));
        return result.MeanLogDensity;
    }
}

using System.Runtime.CompilerServices;
using Diffusion.Research.Likelihood;
using Diffusion.Research.Nn.Likelihood;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// <c>nll</c>: the mean negative log-likelihood in bits per dimension, −log₂ p_{t_eps}(x) / D, of
/// <see cref="Particles"/> held-out data samples (drawn from the data set with the metric's own noise, never the
/// reference or training draws) under the model, through the probability-flow ODE augmented with the exact divergence
/// (003 Eq 4.2.7; 002 "ODE Enables Exact Likelihood Computation"; Song et al. 2021, §4.3, App. D.2; Chen et al. 2018;
/// Hutchinson 1989; Grathwohl et al. 2019): RK4 with <see cref="Steps"/> uniform steps from t_eps
/// to T, prior density at T. Neural models use the autodiff divergence (D backward passes, <see cref="NeuralScoreDivergence"/>);
/// models that are their own <see cref="IScoreDivergence"/> (the exact mixture score) use theirs. Needs a linear SDE.
/// The value is cached per model instance and noise, so sampler sweeps over one trained model evaluate it once.
/// </summary>
public sealed class NegativeLogLikelihood : IModelMetric
{
    private readonly ConditionalWeakTable<IScoreModel, Dictionary<ulong, double>> _cache = new();

    /// <summary>An nll metric over <paramref name="particles"/> held-out points and <paramref name="steps"/> RK4 steps.</summary>
    public NegativeLogLikelihood(int particles = 500, int steps = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(particles, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        Particles = particles;
        Steps = steps;
    }

    /// <summary>Held-out data points per evaluation.</summary>
    public int Particles { get; }

    /// <summary>RK4 steps of the PF-ODE from t_eps to T.</summary>
    public int Steps { get; }

    /// <inheritdoc />
    public string Name => "nll";

    /// <inheritdoc />
    public string Description =>
        $"negative log-likelihood, bits/dim, of {Particles} held-out data samples: PF-ODE with the exact divergence (RK4, {Steps} steps, t_eps to T); mlp, ebm and exact models";

    /// <inheritdoc />
    public void Check(ModelMetricInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Sde is not ILinearSde)
            throw new ArgumentException("metric 'nll' integrates the probability-flow ODE of a linear SDE (vp, subvp, ve, ...); this SDE is not linear.", "eval.metrics");
    }

    /// <inheritdoc />
    public double Compute(ModelMetricInput input)
    {
        Check(input);
        var score = input.Score ?? throw new ArgumentException("metric 'nll' needs the score model.", nameof(input));
        lock (_cache)
            if (_cache.TryGetValue(score, out var known) && known.TryGetValue(input.Noise.Seed, out var v)) return v;
        var sde = (ILinearSde)input.Sde;
        var likelihood = score switch
        {
            INeuralScoreModel neural => NeuralLikelihood.Exact(sde, neural),
            IScoreDivergence divergence => ProbabilityFlowLikelihood.Exact(sde, score, divergence),
            _ => throw new ArgumentException("metric 'nll' needs a model with an exact divergence (mlp, ebm or exact).", "eval.metrics"),
        };
        var x = new Batch(Particles, input.Data.Dimension);
        input.Data.Sample(x, input.Noise, 0);
        var grid = TimeGrid.Uniform(input.TimeEpsilon, sde.T, Steps);
        var result = likelihood.Evaluate(x, new ExplicitRungeKutta(Tableau.RungeKutta4), grid, new SolveOptions { Threads = input.Threads });
        var value = result.Solution.IsSuccess ? result.MeanBitsPerDimension : double.NaN;
        lock (_cache) _cache.GetOrCreateValue(score)[input.Noise.Seed] = value;
        return value;
    }
}

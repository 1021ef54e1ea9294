using Diffusion.Research.Data;
using Diffusion.Research.Likelihood;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of src/Diffusion.Research/Likelihood: the boundary, the parameter name and the message.</summary>
public class LikelihoodContractTests
{
    private static ExactNoisedScore Score() => new(Gaussian.Centered(2, 1.5), Vp);


    /// <summary>A solver that leaves the state as it is and reports success.</summary>
    private sealed class StillSolver : ISolver
    {
        public SolverTraits Traits { get; } = new("still", 1, 0, false, false, 1, "test double");

        public Solution Solve(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options) =>
            new(x, SolveStatus.Success, SolverStatistics.Zero, grid.End, null);
    }

    private static Batch Points(int n)
    {
        var x = new Batch(n, 2);
        for (var i = 0; i < n; i++) x.Set(i, 0, 0.37 * (i + 1));
        return x;
    }

    [Fact]
    public void HutchinsonDivergence_constructor_checks_its_arguments()
    {
        var score = Score();
        var noise = new NoiseSource(7);
        Assert.Equal("score", Assert.Throws<ArgumentNullException>(() => new HutchinsonDivergence(null!, noise)).ParamName);
        Assert.Equal("probes", Assert.Throws<ArgumentOutOfRangeException>(() => new HutchinsonDivergence(score, noise, 0)).ParamName);
        Assert.Equal("probes", Assert.Throws<ArgumentOutOfRangeException>(() => new HutchinsonDivergence(score, noise, -1)).ParamName);
        Assert.Equal(1, new HutchinsonDivergence(score, noise, 1).Probes);
        foreach (var bad in new[] { (ProbeDistribution)2, (ProbeDistribution)(-1) })
            Refused<ArgumentOutOfRangeException>("distribution", "Unknown probe distribution.", () => new HutchinsonDivergence(score, noise, 2, bad));
        Assert.Equal(ProbeDistribution.Gaussian, new HutchinsonDivergence(score, noise, 2, ProbeDistribution.Gaussian).Distribution);
        Assert.Equal(ProbeDistribution.Rademacher, new HutchinsonDivergence(score, noise, 2, ProbeDistribution.Rademacher).Distribution);
        foreach (var bad in new[] { 0.0, 1.0, -0.37, 2.5, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("step", "The difference step must lie in (0, 1).", () => new HutchinsonDivergence(score, noise, 2, ProbeDistribution.Gaussian, bad));
        Assert.Equal(0.999, new HutchinsonDivergence(score, noise, 2, ProbeDistribution.Gaussian, 0.999).Step);
        Assert.Equal(1e-300, new HutchinsonDivergence(score, noise, 2, ProbeDistribution.Gaussian, 1e-300).Step);
    }

    [Fact]
    public void HutchinsonDivergence_checks_probe_and_destination_shapes()
    {
        var estimator = new HutchinsonDivergence(Score(), new NoiseSource(7), 2);
        Refused<ArgumentException>("probes", "Probe batch has 3 columns, not a multiple of 2 probes.", () => estimator.FillProbes(0, new Batch(3, 3)));
        Refused<ArgumentException>("probes", "Probe batch has 5 columns, not a multiple of 2 probes.", () => estimator.FillProbes(0, new Batch(3, 5)));
        var probes = new Batch(3, 4);
        estimator.FillProbes(0, probes);
        Assert.All(probes.Values.ToArray(), v => Assert.Equal(1.0, Math.Abs(v)));

        var x = Points(3);
        Refused<ArgumentException>("probes", "Probes are 2 x 4, expected 3 x 4.", () => estimator.Estimate(0.37, x, new Batch(2, 4), new double[3]));
        Refused<ArgumentException>("probes", "Probes are 3 x 6, expected 3 x 4.", () => estimator.Estimate(0.37, x, new Batch(3, 6), new double[3]));
        Refused<ArgumentException>("destination", "Destination has 2 entries, expected 3.", () => estimator.Estimate(0.37, x, probes, new double[2]));
        Refused<ArgumentException>("destination", "Destination has 4 entries, expected 3.", () => estimator.Estimate(0.37, x, probes, new double[4]));
        var divergence = new double[3];
        estimator.Estimate(0.37, x, probes, divergence);
        Assert.All(divergence, v => Assert.True(v < 0 && double.IsFinite(v)));
    }

    [Fact]
    public void ProbabilityFlowLikelihood_factories_check_their_arguments()
    {
        var score = Score();
        Assert.Equal("sde", Assert.Throws<ArgumentNullException>(() => ProbabilityFlowLikelihood.Exact(null!, score, score)).ParamName);
        Assert.Equal("score", Assert.Throws<ArgumentNullException>(() => ProbabilityFlowLikelihood.Exact(Vp, null!, score)).ParamName);
        Assert.Equal("divergence", Assert.Throws<ArgumentNullException>(() => ProbabilityFlowLikelihood.Exact(Vp, score, null!)).ParamName);
        Assert.Same(score, ProbabilityFlowLikelihood.Exact(Vp, score, score).ExactDivergence);
        var estimator = new HutchinsonDivergence(score, new NoiseSource(7));
        Assert.Equal("sde", Assert.Throws<ArgumentNullException>(() => ProbabilityFlowLikelihood.Hutchinson(null!, estimator)).ParamName);
        Assert.Equal("estimator", Assert.Throws<ArgumentNullException>(() => ProbabilityFlowLikelihood.Hutchinson(Vp, null!)).ParamName);
        Assert.Same(estimator, ProbabilityFlowLikelihood.Hutchinson(Vp, estimator).Estimator);
    }

    [Fact]
    public void ProbabilityFlowLikelihood_Evaluate_checks_its_arguments()
    {
        var score = Score();
        var likelihood = ProbabilityFlowLikelihood.Exact(Vp, score, score);
        var solver = new StillSolver();
        var options = new SolveOptions().WithThreads(1);
        var grid = TimeGrid.Uniform(0.37, 1.0, 2);
        var x = Points(3);
        Assert.Equal("solver", Assert.Throws<ArgumentNullException>(() => likelihood.Evaluate(x, null!, grid, options)).ParamName);
        Assert.Equal("grid", Assert.Throws<ArgumentNullException>(() => likelihood.Evaluate(x, solver, null!, options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => likelihood.Evaluate(x, solver, grid, null!)).ParamName);
        Refused<ArgumentException>("grid", "The likelihood integrates forwards, from t_eps up to T: the grid must increase.",
            () => likelihood.Evaluate(x, solver, TimeGrid.Uniform(1.0, 0.37, 2), options));
        Refused<ArgumentOutOfRangeException>("grid", $"The grid [{-0.25}, {1.0}] must lie in [0, {1.0}].",
            () => likelihood.Evaluate(x, solver, TimeGrid.Uniform(-0.25, 1.0, 2), options));
        Refused<ArgumentOutOfRangeException>("grid", $"The grid [{0.37}, {1.5}] must lie in [0, {1.0}].",
            () => likelihood.Evaluate(x, solver, TimeGrid.Uniform(0.37, 1.5, 2), options));
        var far = 1.0 * (1 + 2e-12);
        Refused<ArgumentOutOfRangeException>("grid", $"The grid [{0.37}, {far}] must lie in [0, {1.0}].",
            () => likelihood.Evaluate(x, solver, TimeGrid.Uniform(0.37, far, 2), options));
        // The edges: a grid from exactly 0, to exactly T and to T (1 + 1e-12).
        Assert.True(likelihood.Evaluate(x, solver, TimeGrid.Uniform(0.0, 0.5, 2), options).Solution.IsSuccess);
        Assert.True(likelihood.Evaluate(x, solver, TimeGrid.Uniform(0.37, 1.0, 2), options).Solution.IsSuccess);
        Assert.True(likelihood.Evaluate(x, solver, TimeGrid.Uniform(0.37, Vp.T * (1 + 1e-12), 2), options).Solution.IsSuccess);

        Refused<ArgumentException>("x", "No particles.", () => likelihood.Evaluate(new Batch(0, 2), solver, grid, options));
        Assert.Single(likelihood.Evaluate(Points(1), solver, grid, options).LogDensity);

        Refused<ArgumentException>("terminal", "The terminal density has dimension 3, the data 2.", () => likelihood.Evaluate(x, solver, grid, options, Gaussian.Centered(3, 1.0)));
        Refused<ArgumentException>("terminal", "The terminal density has dimension 1, the data 2.", () => likelihood.Evaluate(x, solver, grid, options, Gaussian.Centered(1, 1.0)));
        var withTerminal = likelihood.Evaluate(x, solver, grid, options, Gaussian.Centered(2, 2.5));
        var withPrior = likelihood.Evaluate(x, solver, grid, options);
        Assert.All(withTerminal.LogDensity, v => Assert.True(double.IsFinite(v)));
        Assert.NotEqual(withPrior.LogDensity[2], withTerminal.LogDensity[2]);
    }
}

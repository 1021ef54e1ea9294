using Diffusion.Research.Data;
using Diffusion.Research.Likelihood;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Likelihood;

public class ProbabilityFlowLikelihoodTests
{
    private static GaussianMixture Mixture() => new(
        new[] { 0.3, 0.7 },
        new[] { new[] { 1.0, -0.5 }, new[] { -1.0, 0.8 } },
        new[] { new[,] { { 0.3, 0.1 }, { 0.1, 0.2 } }, new[,] { { 0.5, -0.2 }, { -0.2, 0.4 } } });

    private static readonly ISolver Rk4 = new ExplicitRungeKutta(Tableau.RungeKutta4);
    private static readonly SolveOptions Options = new SolveOptions().WithThreads(1);

    private static Batch Points(int n)
    {
        var x = new Batch(n, 2);
        Mixture().Sample(x, new NoiseSource(31), 0);
        return x;
    }

    // With the exact score, exact divergence and the exact terminal density, only the RK4 error remains:
    // O(h⁴) with h = 1/200 on a flow whose coefficients vary on scale ~0.1 in t: well below 1e-6 nats.
    [Theory]
    [InlineData("vp")]
    [InlineData("ve")]
    [InlineData("subvp")]
    [InlineData("vp-cosine")]
    public void ExactDivergenceReproducesTheLogDensity(string name)
    {
        var sde = (ILinearSde)SdeRegistry.CreateDefault().Create(name);
        var exact = new ExactNoisedScore(Mixture(), sde.Kernel!);
        var t0 = 0.01;
        var tEnd = name == "vp-cosine" ? 0.95 : 1.0; // the clipped cosine β = 999 near t = 1 needs h β ≲ 2.8 for RK4
        var x = Points(64);
        var result = ProbabilityFlowLikelihood.Exact(sde, exact, exact)
            .Evaluate(x, Rk4, TimeGrid.Uniform(t0, tEnd, 400), Options, terminal: exact.Marginal(tEnd));
        Assert.True(result.Solution.IsSuccess);
        var reference = new double[64];
        exact.LogDensity(t0, x, reference);
        for (var i = 0; i < 64; i++)
        {
            Assert.True(Math.Abs(result.LogDensity[i] - reference[i]) < 1e-6, $"{name}: {result.LogDensity[i]} vs {reference[i]}");
            Assert.Equal(-result.LogDensity[i] / (2 * Math.Log(2)), result.BitsPerDimension[i], 1e-12);
        }
    }

    // The same with the adaptive Dormand–Prince 5(4) of the solvers branch at rtol = atol = 1e-8: error ≲ 1e-6 nats.
    [Fact]
    public void AdaptiveSolverWorksOnTheAugmentedState()
    {
        var sde = VpSde.Linear();
        var exact = new ExactNoisedScore(Mixture(), sde);
        var x = Points(16);
        var result = ProbabilityFlowLikelihood.Exact(sde, exact, exact).Evaluate(x, new DormandPrince45(),
            TimeGrid.Uniform(0.01, 1, 1), Options.WithTolerances(1e-8, 1e-8), exact.Marginal(1));
        Assert.True(result.Solution.IsSuccess, result.Solution.Message);
        var reference = new double[16];
        exact.LogDensity(0.01, x, reference);
        for (var i = 0; i < 16; i++) Assert.True(Math.Abs(result.LogDensity[i] - reference[i]) < 1e-6, $"{result.LogDensity[i]} vs {reference[i]}");
    }

    [Fact]
    public void PriorTerminalIsAccurateWhenTheForwardProcessHasMixed()
    {
        // VP at T = 1: α_T = e^{−5.025} ≈ 6.6e-3, so log p_T − log N(0, I) = O(α_T ‖μ‖ ‖x‖) ≲ 1e-2 nats.
        var sde = VpSde.Linear();
        var exact = new ExactNoisedScore(Mixture(), sde);
        var x = Points(32);
        var result = ProbabilityFlowLikelihood.Exact(sde, exact, exact).Evaluate(x, Rk4, TimeGrid.Uniform(1e-3, 1, 400), Options);
        var reference = new double[32];
        exact.LogDensity(1e-3, x, reference);
        for (var i = 0; i < 32; i++) Assert.True(Math.Abs(result.LogDensity[i] - reference[i]) < 2e-2);
    }

    // Hutchinson: each particle's estimate is unbiased; over N = 400 copies of the same point with independent probes
    // the mean is within 5 standard errors (sample SD / sqrt N) plus the solver/FD error (1e-4) of the exact value.
    [Fact]
    public void HutchinsonIsUnbiasedAndIndependentOfBatching()
    {
        var sde = VpSde.Linear();
        var exact = new ExactNoisedScore(Mixture(), sde);
        const int n = 400;
        var x = new Batch(n, 2);
        for (var i = 0; i < n; i++) { x[i, 0] = 0.3; x[i, 1] = -0.2; }
        var estimator = new HutchinsonDivergence(exact, new NoiseSource(5), probes: 1);
        var likelihood = ProbabilityFlowLikelihood.Hutchinson(sde, estimator);
        var grid = TimeGrid.Uniform(0.01, 1, 100);
        var all = likelihood.Evaluate(x, Rk4, grid, Options, exact.Marginal(1));
        var reference = new double[1];
        exact.LogDensity(0.01, x.Slice(0, 1), reference);
        var mean = all.MeanLogDensity;
        var sd = Math.Sqrt(all.LogDensity.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        Assert.True(sd > 0, "probes must differ between particles");
        Assert.True(Math.Abs(mean - reference[0]) < 5 * sd / Math.Sqrt(n) + 1e-4, $"mean {mean}, exact {reference[0]}, sd {sd}");
        // the second half solved alone, with FirstParticle = 200, gives bit-identical values
        var half = likelihood.Evaluate(x.Slice(200, 200), Rk4, grid, Options.WithFirstParticle(200), exact.Marginal(1));
        Assert.Equal(all.LogDensity.AsSpan(200).ToArray(), half.LogDensity);
    }

    [Fact]
    public void HutchinsonWithRademacherProbesIsExactForDiagonalJacobians()
    {
        // εᵀ A ε = Σ A_ii for diagonal A and ε ∈ {±1}^D: only the finite-difference error remains (affine field: none but rounding).
        var field = new AffineScoreField(new[,] { { -2.0, 0, 0 }, { 0, 0.5, 0 }, { 0, 0, -1.25 } }, new[] { 1.0, 0, 2 });
        var h = new HutchinsonDivergence(field, new NoiseSource(2), probes: 3);
        var x = new Batch(10, 3);
        new NoiseSource(9).FillGaussian(0, 0, x);
        var div = new double[10];
        h.Divergence(0, x, div);
        foreach (var v in div) Assert.Equal(-2.75, v, 1e-9);
        // Gaussian probes: unbiased, not exact
        var g = new HutchinsonDivergence(field, new NoiseSource(2), probes: 1, ProbeDistribution.Gaussian);
        g.Divergence(0, x, div);
        Assert.Contains(div, v => Math.Abs(v + 2.75) > 1e-3);
    }

    /// <summary>Batches of one, two and three particles give each particle the bits it gets alone (the estimator's four
    /// work blocks of n rows must not overlap for any n).</summary>
    [Fact]
    public void HutchinsonGivesEachParticleTheSameBitsInBatchesOfOneToThree()
    {
        var exact = new ExactNoisedScore(Mixture(), VpSde.Linear());
        var x = new Batch(3, 2);
        new NoiseSource(4).FillGaussian(0, 0, x);
        var estimator = new HutchinsonDivergence(exact, new NoiseSource(6), probes: 2);
        var alone = new double[3];
        for (var i = 0; i < 3; i++) estimator.WithFirstParticle(i).Divergence(0.4, x.Slice(i, 1), alone.AsSpan(i, 1));
        for (var n = 2; n <= 3; n++)
        {
            var together = new double[n];
            estimator.Divergence(0.4, x.Slice(0, n), together);
            Assert.Equal(alone.AsSpan(0, n).ToArray(), together);
        }
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        var sde = VpSde.Linear();
        var exact = new ExactNoisedScore(Mixture(), sde);
        var l = ProbabilityFlowLikelihood.Exact(sde, exact, exact);
        var x = Points(4);
        Assert.Throws<ArgumentException>(() => l.Evaluate(x, Rk4, TimeGrid.Uniform(1, 0.01, 10), Options));
        Assert.Throws<ArgumentOutOfRangeException>(() => l.Evaluate(x, Rk4, TimeGrid.Uniform(0.01, 2, 10), Options));
        Assert.Throws<ArgumentException>(() => l.Evaluate(x, Rk4, TimeGrid.Uniform(0.01, 1, 10), Options, Gaussian.Standard(3)));
        Assert.Throws<ArgumentNullException>(() => ProbabilityFlowLikelihood.Exact(sde, exact, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HutchinsonDivergence(exact, new NoiseSource(1), probes: 0));
    }
}

using Diffusion.Research.Conditional;
using Diffusion.Research.Data;
using Diffusion.Research.Metrics;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Abstractions;

namespace Diffusion.Research.Tests.Conditional;

public class InverseSamplerTests(ITestOutputHelper output)
{
    private const int N = 2000;
    private static readonly SlicedWasserstein Metric = new(projections: 64, seed: 99);

    /// <summary>A Gaussian prior whose coordinates are correlated, so that its score couples a known coordinate to an unknown one.</summary>
    private static readonly Gaussian CorrelatedPrior = new([0.4, -0.3], new[,] { { 0.8, 0.3 }, { 0.3, 0.5 } });

    /// <summary>
    /// On a product prior (a Gaussian with diagonal covariance) the unknown coordinate evolves independently of the known
    /// one, so replacement and RePaint are exact as s → 0: with s = 0.01 both must reach the exact posterior within 3 F
    /// (F the two-sample sliced-W2 floor of the posterior at N; threshold as in SamplerQualityTests).
    /// </summary>
    [Theory]
    [InlineData("replacement")]
    [InlineData("repaint")]
    public void ReplacementMethodsAreExactOnAProductPrior(string method)
    {
        var prior = new Gaussian([0.4, -0.3], new[,] { { 0.8, 0.0 }, { 0.0, 0.5 } });
        var measurement = LinearMeasurement.Inpainting(2, [0], 0.01, [1.1]);
        var posterior = MixturePosterior.Of(prior.AsMixture, measurement);
        var floor = Metric.EstimateNoiseFloor(posterior, N, N, 4, new NoiseSource(1000));
        var sw = Run(prior.AsMixture, measurement, posterior, method, method == "repaint" ? 100 : 400,
            new Dictionary<string, double> { ["resamplings"] = 3 });
        output.WriteLine($"{method}: SW2 = {sw:F4}, floor = {floor.Mean:F4}");
        Assert.True(sw < 3 * floor.Mean, $"{method}: SW2 {sw} >= 3 x floor {floor.Mean}");
    }

    /// <summary>
    /// The DPS correction against its closed form for a Gaussian prior N(μ, Σ): x̂_0(x) = μ + α Σ C⁻¹ (x − α μ) with
    /// C = α² Σ + σ² I is linear, J = α Σ C⁻¹, and ∇‖y − A x̂_0‖² = −2 Jᵀ Aᵀ (y − A x̂_0) (Chung et al. 2023 Alg. 1 line 7). The
    /// finite-difference Hessian-vector product must match to 1e-6 relative.
    /// </summary>
    [Fact]
    public void DpsGradientMatchesTheClosedFormForAGaussianPrior()
    {
        var prior = CorrelatedPrior;
        var measurement = new LinearMeasurement([0.7, -1.2], 1, 2, 0.1, [0.9]);
        var sde = VpSde.Linear();
        var kernel = sde.Kernel!;
        var dps = new DiffusionPosteriorSampling(measurement, new EulerMaruyama(), 1.0, DpsStepRule.Constant);
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(prior, kernel), 1.0);
        var x = Batch.FromRows([[0.2, 0.5], [-1.0, 1.3]]);
        const double t = 0.37;
        var gradient = dps.MeasurementGradient(problem, x, t, 0.01);
        double alpha = kernel.Alpha(t), sigma = kernel.Sigma(t);
        var s = Matrix<double>.Build.DenseOfArray(prior.Covariance);
        var c = alpha * alpha * s + sigma * sigma * Matrix<double>.Build.DenseIdentity(2);
        var j = alpha * s * c.Inverse();
        var mu = Vector<double>.Build.Dense(prior.Mean);
        var a = Matrix<double>.Build.DenseOfRowArrays([0.7, -1.2]);
        for (var i = 0; i < x.Count; i++)
        {
            var xi = Vector<double>.Build.Dense(x.Row(i).ToArray());
            var x0 = mu + j * (xi - alpha * mu);
            var r = Vector<double>.Build.Dense([0.9]) - a * x0;
            var expected = -2.0 * j.Transpose() * a.Transpose() * r;
            for (var k = 0; k < 2; k++)
                Assert.True(Math.Abs(expected[k] - gradient[i, k]) <= 1e-6 * (1 + expected.L2Norm()), $"row {i}[{k}]: {expected[k]} vs {gradient[i, k]}");
        }
    }

    /// <summary>
    /// The likelihood step rule weights the gradient by ζ (1 + λ²) g(t)² |dt| / (4 s²): the reverse-SDE drift carries the
    /// likelihood score ∇ log p(y | x̂_0) = −∇‖y − A x̂_0‖² / (2 s²) with the factor (1 + λ²)/2 g² |dt| of the score
    /// (Song et al. 2021 eq (6) for the family; Chung et al. 2023 Alg. 1 for the Gaussian likelihood). Checked at generic
    /// λ = 0.5 and s = 0.13, where the factor is neither 1 nor symmetric in its terms.
    /// </summary>
    [Fact]
    public void DpsLikelihoodRuleIsTheConstantRuleTimesTheReverseSdeWeight()
    {
        const double lambda = 0.5, noise = 0.13, zeta = 0.7, t = 0.37, dt = 0.02;
        var prior = CorrelatedPrior;
        var measurement = new LinearMeasurement([0.7, -1.2], 1, 2, noise, [0.9]);
        var sde = VpSde.Linear();
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(prior, sde.Kernel!), lambda);
        var x = Batch.FromRows([[0.2, 0.5], [-1.0, 1.3]]);
        var constant = new DiffusionPosteriorSampling(measurement, new EulerMaruyama(), zeta, DpsStepRule.Constant).MeasurementGradient(problem, x, t, dt);
        var likelihood = new DiffusionPosteriorSampling(measurement, new EulerMaruyama(), zeta, DpsStepRule.Likelihood).MeasurementGradient(problem, x, t, dt);
        var g = sde.Diffusion(t);
        var weight = (1 + lambda * lambda) * g * g * dt / (4 * noise * noise);
        for (var i = 0; i < constant.Values.Length; i++)
            Assert.Equal(weight * constant.Values[i], likelihood.Values[i], 1e-12 * (1 + Math.Abs(likelihood.Values[i])));
    }

    /// <summary>
    /// One DPS interval is the inner solver's step from x_i followed by −ζ ∇_{x_i}‖y − A x̂_0(x_i)‖² (Chung et al. 2023
    /// Alg. 1 lines 4-7), the gradient taken at the start of the interval. λ = 0 makes the inner Euler step deterministic.
    /// </summary>
    [Fact]
    public void DpsIntervalIsTheInnerStepMinusTheMeasurementGradient()
    {
        const double t = 0.6, s = 0.45;
        var prior = CorrelatedPrior;
        var measurement = new LinearMeasurement([0.7, -1.2], 1, 2, 0.1, [0.9]);
        var sde = VpSde.Linear();
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(prior, sde.Kernel!), 0.0);
        var dps = new DiffusionPosteriorSampling(measurement, new EulerMaruyama(), 0.3, DpsStepRule.Constant);
        var x = Batch.FromRows([[0.2, 0.5], [-1.0, 1.3]]);
        var expected = Batch.FromRows([[0.2, 0.5], [-1.0, 1.3]]);
        var gradient = dps.MeasurementGradient(problem, x, t, t - s);
        Assert.True(new EulerMaruyama().Solve(problem, expected, TimeGrid.Uniform(t, s, 1), new SolveOptions()).IsSuccess);
        for (var i = 0; i < expected.Values.Length; i++) expected.Values[i] -= gradient.Values[i];
        Assert.True(dps.Solve(problem, x, TimeGrid.Uniform(t, s, 1), new SolveOptions()).IsSuccess);
        for (var i = 0; i < expected.Values.Length; i++) Assert.Equal(expected.Values[i], x.Values[i], 1e-13);
        Assert.Contains(gradient.Values.ToArray(), v => Math.Abs(v) > 1e-3); // the correction is not negligible
    }

    /// <summary>A particle whose correction direction v = Aᵀ(y − A x̂_0) is zero (here A = 0: y says nothing about x) gets no
    /// correction, not NaN: the Hessian-vector difference along v̂ = v/‖v‖ is skipped when ‖v‖ = 0.</summary>
    [Fact]
    public void DpsAddsNothingWhereTheCorrectionDirectionIsZero()
    {
        var measurement = new LinearMeasurement([0.0, 0.0], 1, 2, 0.1, [0.9]);
        var sde = VpSde.Linear();
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(CorrelatedPrior, sde.Kernel!), 0.0);
        var dps = new DiffusionPosteriorSampling(measurement, new EulerMaruyama(), 0.3, DpsStepRule.Constant);
        var gradient = dps.MeasurementGradient(problem, Batch.FromRows([[0.2, 0.5], [-1.0, 1.3]]), 0.6, 0.15);
        Assert.All(gradient.Values.ToArray(), v => Assert.Equal(0.0, v));
    }

    /// <summary>
    /// Replacement writes noised observations into the known coordinates before the first step (Song et al. 2021 App. I.2),
    /// so the result cannot depend on the known coordinates of x_T, even on a correlated prior whose score couples them
    /// to the unknown one.
    /// </summary>
    [Fact]
    public void ReplacementOverwritesTheKnownCoordinatesOfTheStart()
    {
        var prior = CorrelatedPrior;
        var measurement = LinearMeasurement.Inpainting(2, [0], 0.1, [1.1]);
        var sde = VpSde.Linear();
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(prior, sde.Kernel!), 0.0);
        double[] Run(double known)
        {
            var x = Batch.FromRows([[known, 0.6], [known, -0.4]]);
            Assert.True(new ReplacementSampler(measurement, new EulerMaruyama()).Solve(problem, x, TimeGrid.Uniform(1.0, 0.2, 3),
                new SolveOptions().WithNoise(new NoiseSource(5))).IsSuccess);
            return x.Values.ToArray();
        }
        Assert.Equal(Run(0.3), Run(-2.0));
    }

    /// <summary>Same seed, different thread counts and chunk sizes: bit-identical samples for every method.</summary>
    [Theory]
    [InlineData("replacement")]
    [InlineData("repaint")]
    [InlineData("dps")]
    public void PosteriorSamplersAreDeterministic(string method)
    {
        var data = LabelledMixture.TwoClasses().Mixture;
        var measurement = LinearMeasurement.Inpainting(2, [1], 0.1, [0.3]);
        var sde = VpSde.Linear();
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde.Kernel!), 1.0);
        Batch Solve(int threads, int chunk)
        {
            var solver = PosteriorSamplerRegistry.CreateDefault().Create(method, measurement, new EulerMaruyama(), new Dictionary<string, double> { });
            var x = new Batch(300, 2);
            sde.Prior(2).Sample(x, new NoiseSource(3), 0);
            var solution = solver.Solve(problem, x, TimeGrid.Uniform(1.0, 1e-3, 30), new SolveOptions().WithNoise(new NoiseSource(4)).WithThreads(threads).WithChunkSize(chunk));
            Assert.True(solution.IsSuccess, solution.Message);
            return x;
        }
        Assert.Equal(Solve(1, 2048).ToArray(), Solve(2, 64).ToArray());
    }

    [Fact]
    public void ReplacementNeedsACoordinateSelection()
    {
        var measurement = new LinearMeasurement([0.7, -1.2], 1, 2, 0.1, [0.9]);
        Assert.Null(measurement.ObservedCoordinates);
        Assert.Throws<ArgumentException>(() => new ReplacementSampler(measurement, new EulerMaruyama()));
        Assert.Throws<ArgumentException>(() => new RePaintSampler(measurement, new EulerMaruyama(), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearMeasurement([1.0, 0.0], 1, 2, 0.0, [0.9]));
        Assert.Throws<ArgumentException>(() => LinearMeasurement.Inpainting(2, [0, 0], 0.1, [1.0, 1.0]));
        Assert.Equal([1], LinearMeasurement.Inpainting(2, [1], 0.1, [1.0]).ObservedCoordinates!);
    }

    private static double Run(GaussianMixture prior, LinearMeasurement measurement, GaussianMixture posterior, string method, int steps,
        Dictionary<string, double> parameters)
    {
        var sde = VpSde.Linear();
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(prior, sde.Kernel!), 1.0);
        var registry = PosteriorSamplerRegistry.CreateDefault();
        var known = registry.ParametersOf(method).Select(p => p.Name).ToHashSet();
        var solver = registry.Create(method, measurement, new EulerMaruyama(), parameters.Where(p => known.Contains(p.Key)).ToDictionary());
        var x = new Batch(N, 2);
        sde.Prior(2).Sample(x, new NoiseSource(7).Derive(1), 0);
        var solution = solver.Solve(problem, x, TimeGrid.Uniform(1.0, 1e-3, steps), new SolveOptions().WithNoise(new NoiseSource(7).Derive(2)));
        Assert.True(solution.IsSuccess, solution.Message);
        var reference = new Batch(N, 2);
        posterior.Sample(reference, new NoiseSource(3000), 0);
        return Metric.Compute(x, reference);
    }
}

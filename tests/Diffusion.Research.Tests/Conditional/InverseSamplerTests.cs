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
        var prior = new Gaussian([0.4, -0.3], new[,] { { 0.8, 0.3 }, { 0.3, 0.5 } });
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

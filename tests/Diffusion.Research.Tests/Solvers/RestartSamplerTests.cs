using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// Restart sampling (Xu et al. 2023 Alg. 1): K = 0 is its ODE solver (EDM Heun) bit for bit; the forward jump has the
/// law of the kernel between times (003 eq 4.4.5): p_{t_min} pushed forward is p_{t_max}; the NFE count includes the
/// restart intervals; with restarts the sampler still reaches the data (the registry-driven quality tests).
/// </summary>
public class RestartSamplerTests
{
    private static readonly GaussianMixture Data = GaussianMixture.Isotropic([0.3, 0.7], [[1.5, -0.5], [-1.0, 2.0]], [0.2, 0.5]);

    [Theory]
    [InlineData("vp")]
    [InlineData("ve")]
    public void WithoutRestartsItIsTheEdmHeunSamplerBitForBit(string sdeName)
    {
        var sde = SamplerQualityTests.Sde(sdeName);
        var kernel = sde.Kernel!;
        var grid = KarrasGrid.Create(kernel, 13, sde.T, 1e-3);
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(Data, kernel), 0.0);
        var start = new Batch(37, 2);
        sde.Prior(2).Sample(start, new NoiseSource(11), 0);
        var a = start.Clone();
        var b = start.Clone();
        var registry = SolverRegistry.CreateDefault();
        var restart = registry.Create("restart", new Dictionary<string, double> { ["restarts"] = 0, ["sigma_min"] = 0.07, ["sigma_max"] = 0.45 });
        Assert.False(restart.Traits.IsStochastic);
        Assert.True(restart.Solve(problem, a, grid, new SolveOptions()).IsSuccess);
        Assert.True(registry.Create("edm").Solve(problem, b, grid, new SolveOptions()).IsSuccess);
        Assert.Equal(b.Values.ToArray(), a.Values.ToArray());
    }

    [Theory]
    [InlineData("vp")]
    [InlineData("ve")]
    public void TheForwardJumpHasTheKernelLawBetweenTimes(string sdeName)
    {
        // 1-D Gaussian data N(μ, s0²): p_t = N(α_t μ, α_t² s0² + σ_t²). Jump exact samples of p_{t_min} to t_max; the
        // sample mean and variance must be those of p_{t_max} within 5 standard errors (N = 200,000, fixed seeds):
        // SE(mean) = sqrt(v/N), SE(variance) = v sqrt(2/(N − 1)).
        const double mu = 0.8, s0 = 0.3;
        const int n = 200_000;
        var sde = SamplerQualityTests.Sde(sdeName);
        var kernel = sde.Kernel!;
        var tMin = kernel.TimeAtSigmaRatio(0.11, 1e-6, sde.T);
        var tMax = kernel.TimeAtSigmaRatio(0.73, 1e-6, sde.T);
        double Var(double t) => kernel.Alpha(t) * kernel.Alpha(t) * s0 * s0 + kernel.Sigma(t) * kernel.Sigma(t);
        var x = new Batch(n, 1);
        var z = new Batch(n, 1);
        new NoiseSource(5).FillGaussian(0, 0, x);
        for (var i = 0; i < n; i++) x.Values[i] = kernel.Alpha(tMin) * mu + Math.Sqrt(Var(tMin)) * x.Values[i];
        new NoiseSource(6).FillGaussian(0, 0, z);
        RestartSampler.ForwardJump(kernel.Between(tMin, tMax), x, z);
        double mean = 0, m2 = 0;
        for (var i = 0; i < n; i++) mean += x.Values[i];
        mean /= n;
        for (var i = 0; i < n; i++) m2 += (x.Values[i] - mean) * (x.Values[i] - mean);
        var variance = m2 / (n - 1);
        var v = Var(tMax);
        Assert.InRange(mean, kernel.Alpha(tMax) * mu - 5 * Math.Sqrt(v / n), kernel.Alpha(tMax) * mu + 5 * Math.Sqrt(v / n));
        Assert.InRange(variance, v * (1 - 5 * Math.Sqrt(2.0 / (n - 1))), v * (1 + 5 * Math.Sqrt(2.0 / (n - 1))));
    }

    [Fact]
    public void NfeCountsTheRestartIntervalsAndTheJumpIsTheSamplersNoise()
    {
        // With a zero score the ODE leaves x̂ = x/α unchanged, so the result is x_T α(t_end)/α(T) plus the jumps carried
        // back to t_end: Σ_k α(t_end) (σ_{max|min}/α(t_max)) z_k, z_k from stream i + k n (i the restart step).
        var sde = SamplerQualityTests.Sde("vp");
        var kernel = sde.Kernel!;
        const int steps = 9;
        var grid = KarrasGrid.Create(kernel, steps, sde.T, 1e-3);
        var solver = new RestartSampler(0.2, 0.9, 3, 4);
        var problem = SamplingProblem.Reverse(sde, new ZeroScore(), 0.0);
        var x = new Batch(5, 2);
        x.Values.Fill(0.25);
        var solution = solver.Solve(problem, x, grid, new SolveOptions().WithNoise(new NoiseSource(23)));
        Assert.True(solution.IsSuccess);
        Assert.Equal(2L * steps + 2 * 3 * 4, solution.Statistics.Nfe);
        var r = Enumerable.Range(0, steps).Single(i => kernel.Sigma(grid[i]) / kernel.Alpha(grid[i]) > 0.2 && kernel.Sigma(grid[i + 1]) / kernel.Alpha(grid[i + 1]) <= 0.2);
        var tMin = grid[r + 1];
        var tMax = kernel.TimeAtSigmaRatio(0.9, tMin, sde.T);
        var jump = kernel.Between(tMin, tMax);
        var z = new double[2];
        for (var p = 0; p < 5; p++)
        {
            var expected = new[] { 0.25 * kernel.Alpha(grid.End) / kernel.Alpha(sde.T), 0.25 * kernel.Alpha(grid.End) / kernel.Alpha(sde.T) };
            for (var k = 0; k < 3; k++)
            {
                new NoiseSource(23).FillGaussian((uint)(r + k * steps), p, z);
                for (var d = 0; d < 2; d++) expected[d] += kernel.Alpha(grid.End) * jump.Sigma / kernel.Alpha(tMax) * z[d];
            }
            for (var d = 0; d < 2; d++) Assert.Equal(expected[d], x.Values[2 * p + d], 1e-12);
        }
    }

    /// <summary>A restart interval that starts at the end of the grid (σ̂_min crossed in the last step) is counted too.</summary>
    [Fact]
    public void ARestartAtTheLastStepIsCounted()
    {
        var sde = SamplerQualityTests.Sde("vp");
        var kernel = sde.Kernel!;
        const int steps = 6;
        var grid = KarrasGrid.Create(kernel, steps, sde.T, 1e-3);
        double Level(double t) => kernel.Sigma(t) / kernel.Alpha(t);
        var sigmaMin = Math.Sqrt(Level(grid[steps - 1]) * Level(grid[steps])); // crossed in the last interval only
        var x = new Batch(3, 2);
        x.Values.Fill(0.25);
        var solution = new RestartSampler(sigmaMin, 0.9, 2, 3).Solve(SamplingProblem.Reverse(sde, new ZeroScore(), 0.0), x, grid,
            new SolveOptions().WithNoise(new NoiseSource(23)));
        Assert.True(solution.IsSuccess);
        Assert.Equal(2L * steps + 2 * 2 * 3, solution.Statistics.Nfe);
    }

    [Fact]
    public void SigmaMaxAboveTheTopOfTheSdeIsRefused()
    {
        var sde = SamplerQualityTests.Sde("ve");
        var kernel = sde.Kernel!;
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(Data, kernel), 0.0);
        var x = new Batch(3, 2);
        Assert.Throws<ArgumentException>(() => new RestartSampler(0.1, 1e3, 1, 2).Solve(problem, x, KarrasGrid.Create(kernel, 10, sde.T, 1e-3), new SolveOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartSampler(0.5, 0.4, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartSampler(0.1, 0.4, -1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartSampler(0.1, 0.4, 1, 0));
    }

    private sealed class ZeroScore : IScoreModel
    {
        public void Score(double t, Batch x, Batch destination) => destination.Values.Clear();
    }
}

using Diffusion.Research.Data;
using Diffusion.Research.Exact;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Exact;

public class AffineResponseTests
{
    private static readonly SolverRegistry Zoo = SolverRegistry.CreateDefault();

    // A 3-D Gaussian with a full (non-diagonal) covariance and a non-zero mean.
    private static Gaussian Data3() => new([0.7, -0.4, 1.1], new[,] { { 1.3, 0.4, -0.2 }, { 0.4, 0.8, 0.15 }, { -0.2, 0.15, 0.6 } });

    private static GaussianLaw Prior(ISde sde, int d) => sde switch
    {
        VeSde ve => GaussianLaw.Isotropic(d, ve.SigmaMax * ve.SigmaMax),
        _ => GaussianLaw.Isotropic(d, 1.0),
    };

    /// <summary>
    /// The exact law against a Monte-Carlo run of n particles from the prior: every coordinate's sample mean within
    /// 4.5 standard errors sqrt(v/n), every sample variance within 4.5 sqrt(2/(n-1)) v (its standard error for a
    /// normal law), the law's own variance v. 4.5 sigma over 6 checks: a false alarm below 1e-4.
    /// ald: annealed Langevin with fixed per-level steps is an affine map of its start and noise on Gaussian data
    /// (each update x + (α/2) s(x) + sqrt(α) z with s affine), so it has an exact law too; the setting of
    /// experiments/solver-zoo.yaml (5 updates per level, eps = 0.124 σ(t_eps)² = 1.363e-5 under VP).
    /// </summary>
    [Theory]
    [InlineData("heun", 0.0, 12)]
    [InlineData("rk4", 0.0, 6)]
    [InlineData("ddim", 0.0, 10)]
    [InlineData("euler_maruyama", 1.0, 25)]
    [InlineData("ddpm", 1.0, 15)]
    [InlineData("ald", 0.0, 8)]
    public void ExactLawMatchesMonteCarloWithinItsStandardError(string name, double lambda, int steps)
    {
        const int n = 20_000;
        var sde = VpSde.Linear();
        var data = Data3();
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde.Kernel), lambda);
        var grid = TimeGrid.Uniform(sde.T, 1e-3, steps);
        var solver = name == "ald" ? Zoo.Create(name, new Dictionary<string, double> { ["eps"] = 1.363e-5, ["steps_per_level"] = 5 }) : Zoo.Create(name);
        var map = AffineResponse.Measure(solver, problem, grid, 3, new SolveOptions().WithThreads(2));
        Assert.True(map.AffinityDefect < 1e-10, $"defect {map.AffinityDefect}");
        var law = map.Push(Prior(sde, 3));

        var noise = new NoiseSource(20261127);
        var x = new Batch(n, 3);
        sde.Prior(3).Sample(x, noise.Derive(1), 0);
        Assert.True(solver.Solve(problem, x, grid, new SolveOptions().WithNoise(noise.Derive(2)).WithThreads(2)).IsSuccess);
        for (var i = 0; i < 3; i++)
        {
            double mean = 0, sq = 0;
            for (var r = 0; r < n; r++) mean += x[r, i];
            mean /= n;
            for (var r = 0; r < n; r++) sq += (x[r, i] - mean) * (x[r, i] - mean);
            var variance = sq / (n - 1);
            var v = law.Covariance(i, i);
            Assert.True(Math.Abs(mean - law.Mean(i)) < 4.5 * Math.Sqrt(v / n), $"{name} coordinate {i}: mean {mean} vs {law.Mean(i)}");
            Assert.True(Math.Abs(variance - v) < 4.5 * Math.Sqrt(2.0 / (n - 1)) * v, $"{name} coordinate {i}: variance {variance} vs {v}");
        }
    }

    /// <summary>
    /// EM on the OU process dx = −θ x dt + s dW with step h is x_{n+1} = a x_n + s sqrt(h) z, a = 1 − θh (002 Euler–Maruyama;
    /// Kloeden and Platen 1992, §10.2),
    /// so mean_n = a^n m_0 and var_n = a^{2n} v_0 + s² h (1 − a^{2n}) / (1 − a²) (geometric sum of the recursion).
    /// </summary>
    [Fact]
    public void EulerMaruyamaOnOrnsteinUhlenbeckMatchesTheClosedFormRecursion()
    {
        const double theta = 0.8, s = 1.3, t = 2.5, m0 = 1.7, v0 = 0.35;
        const int steps = 40;
        var ou = new OrnsteinUhlenbeckSde(theta, s, t);
        var map = AffineResponse.Measure(new EulerMaruyama(), SamplingProblem.Of(ou), TimeGrid.Uniform(0, t, steps), 2);
        var law = map.Push(GaussianLaw.Diagonal([m0, -m0], [v0, 2 * v0]));
        var h = t / steps;
        var a = 1 - theta * h;
        var an = Math.Pow(a, steps);
        Assert.Equal(steps, map.Streams);
        Assert.Equal(an * m0, law.Mean(0), 12);
        Assert.Equal(-an * m0, law.Mean(1), 12);
        var noisePart = s * s * h * (1 - an * an) / (1 - a * a);
        Assert.Equal(an * an * v0 + noisePart, law.Covariance(0, 0), 12);
        Assert.Equal(an * an * 2 * v0 + noisePart, law.Covariance(1, 1), 12);
        Assert.Equal(0.0, law.Covariance(0, 1), 14);
    }

    /// <summary>On diagonal data the per-direction measurement (2 + S particles) equals the general one (1 + D + S D).</summary>
    [Theory]
    [InlineData("euler_maruyama", 1.0)]
    [InlineData("stochastic_heun", 1.0)]
    [InlineData("edm", 0.0)]
    [InlineData("dpm_solver_2", 0.0)]
    public void DiagonalMeasurementEqualsTheGeneralOneOnDiagonalProblems(string name, double lambda)
    {
        var sde = new VeSde(0.02, 5.0);
        var data = new SpectralGaussian([0.5, -1.0, 0.25, 2.0], [1.5, 0.7, 0.3, 2.4]);
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde.Kernel), lambda);
        var grid = TimeGrid.Uniform(sde.T, 2e-3, 17);
        var solver = Zoo.Create(name, name == "edm" ? new Dictionary<string, double> { ["s_churn"] = 5 } : null);
        var full = AffineResponse.Measure(solver, problem, grid, 4).Push(Prior(sde, 4));
        var diagonal = AffineResponse.MeasureDiagonal(solver, problem, grid, 4);
        Assert.True(diagonal.AffinityDefect < 1e-10);
        var law = diagonal.Push(Prior(sde, 4));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(full.Mean(i), law.Mean(i), 10);
            Assert.Equal(full.Covariance(i, i), law.Covariance(i, i), 9);
        }
    }

    /// <summary>With a scalar diffusion and an isotropic prior, the law of a rotated Gaussian problem has the same KL and W2
    /// to the data as the per-direction law of the problem in the eigenbasis.</summary>
    [Fact]
    public void RotatedProblemAndItsEigenbasisGiveTheSameDistances()
    {
        var sde = VpSde.Linear();
        var data = SpectralGaussian.PowerLaw(5, 1.0, 2.0, 0.3, rotate: true, rotationSeed: 7);
        var grid = TimeGrid.Uniform(sde.T, 1e-3, 9);
        var solver = Zoo.Create("euler_maruyama");
        var rotated = AffineResponse.Measure(solver, SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde.Kernel), 1.0), grid, 5).Push(Prior(sde, 5));
        var eigen = data.InEigenbasis();
        var diagonal = AffineResponse.MeasureDiagonal(solver, SamplingProblem.Reverse(sde, new ExactNoisedScore(eigen, sde.Kernel), 1.0), grid, 5).Push(Prior(sde, 5));
        var target = SpectralLaw(data);
        var targetEigen = GaussianLaw.Diagonal(eigen.Mean, eigen.Eigenvalues);
        Assert.Equal(GaussianDistance.KullbackLeibler(rotated, target), GaussianDistance.KullbackLeibler(diagonal, targetEigen), 9);
        Assert.Equal(GaussianDistance.Wasserstein2(rotated, target), GaussianDistance.Wasserstein2(diagonal, targetEigen), 8);
    }

    [Fact]
    public void BatchCoupledSamplersShowAnAffinityDefect()
    {
        var sde = VpSde.Linear();
        var data = Data3();
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde.Kernel), 1.0);
        var map = AffineResponse.Measure(Zoo.Create("pc"), problem, TimeGrid.Uniform(sde.T, 1e-3, 8), 3);
        Assert.True(map.AffinityDefect > 1e-6, $"defect {map.AffinityDefect}");
        var adaptive = AffineResponse.Measure(Zoo.Create("dopri5"), SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde.Kernel), 0.0), TimeGrid.Uniform(sde.T, 1e-3, 1), 3);
        Assert.True(adaptive.StepSequenceFromProbes);
        Assert.Equal(0, adaptive.Streams);
    }

    /// <summary>The adaptive SDE solver's attempts (and so its noise streams) depend on the probes: refused, not wrong.</summary>
    [Fact]
    public void AdaptiveStochasticSolversAreRefused()
    {
        var sde = VpSde.Linear();
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(Data3(), sde.Kernel), 1.0);
        var e = Assert.Throws<InvalidOperationException>(() => AffineResponse.Measure(Zoo.Create("ggf"), problem, TimeGrid.Uniform(sde.T, 1e-3, 1), 3,
            new SolveOptions().WithTolerances(1e-2, 1e-2)));
        Assert.Contains("no single affine response", e.Message);
    }

    [Fact]
    public void TheNoiseSourceThroughTheHookGivesTheSameBits()
    {
        var sde = VpSde.Linear();
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(Data3(), sde.Kernel), 1.0);
        var grid = TimeGrid.Uniform(sde.T, 1e-3, 20);
        foreach (var name in new[] { "euler_maruyama", "ddpm", "pc", "ald", "stochastic_heun" })
        {
            var noise = new NoiseSource(99);
            var a = new Batch(300, 3);
            sde.Prior(3).Sample(a, noise.Derive(1), 0);
            var b = a.Clone();
            var options = new SolveOptions().WithNoise(noise.Derive(2)).WithChunkSize(64);
            Zoo.Create(name).Solve(problem, a, grid, options);
            Zoo.Create(name).Solve(problem, b, grid, options.WithIncrements(noise.Derive(2)).WithNoise(new NoiseSource(5)));
            Assert.Equal(a.ToArray(), b.ToArray());
        }
    }

    /// <summary>dx = (A x + b) dt + g dW with a non-symmetric A.</summary>
    private sealed class SkewLinearSde(double[,] a, double[] b, double g) : IDynamics
    {
        public void Drift(double t, Batch x, Batch destination)
        {
            for (var r = 0; r < x.Count; r++)
                for (var i = 0; i < b.Length; i++)
                {
                    var s = b[i];
                    for (var j = 0; j < b.Length; j++) s += a[i, j] * x[r, j];
                    destination.Set(r, i, s);
                }
        }

        public double Diffusion(double t) => g;
    }

    /// <summary>
    /// Euler–Maruyama on dx = (A x + b) dt + g dW, A not symmetric, n steps of h: x_{k+1} = B x_k + h b + g sqrt(h) z_k with
    /// B = I + h A, so M = B^n, c = Σ_{k<n} B^k h b and Q = g² h Σ_{k<n} B^k (B^k)ᵀ; the law of a full-covariance start C is
    /// N(M m + c, M C Mᵀ + Q). Computed here by the recursion, independently of the probes.
    /// </summary>
    [Fact]
    public void NonSymmetricLinearProblemMatchesTheMatrixRecursion()
    {
        double[,] a = { { -0.7, 1.3 }, { -0.4, -0.2 } };
        double[] b = [0.3, -0.8];
        const double g = 0.9, h = 0.05;
        const int n = 30;
        var map = AffineResponse.Measure(new EulerMaruyama(), SamplingProblem.Of(new SkewLinearSde(a, b, g)), TimeGrid.Uniform(0, n * h, n), 2);
        double[] mean = [1.2, -0.5];
        double[,] cov = { { 0.8, 0.3 }, { 0.3, 0.5 } };
        var law = map.Push(GaussianLaw.Full(mean, cov));
        double[,] bm = { { 1 + h * a[0, 0], h * a[0, 1] }, { h * a[1, 0], 1 + h * a[1, 1] } };
        // Recursion on the moments: m <- B m + h b, C <- B C Bᵀ + g² h I.
        var m = (double[])mean.Clone();
        var c = (double[,])cov.Clone();
        for (var k = 0; k < n; k++)
        {
            m = [bm[0, 0] * m[0] + bm[0, 1] * m[1] + h * b[0], bm[1, 0] * m[0] + bm[1, 1] * m[1] + h * b[1]];
            var next = new double[2, 2];
            for (var i = 0; i < 2; i++)
                for (var j = 0; j < 2; j++)
                {
                    var s = i == j ? g * g * h : 0.0;
                    for (var p = 0; p < 2; p++)
                        for (var q = 0; q < 2; q++) s += bm[i, p] * c[p, q] * bm[j, q];
                    next[i, j] = s;
                }
            c = next;
        }
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(m[i], law.Mean(i), 12);
            for (var j = 0; j < 2; j++) Assert.Equal(c[i, j], law.Covariance(i, j), 12);
        }
    }

    private static GaussianLaw SpectralLaw(SpectralGaussian g) => GaussianLaw.Full(g.Mean, g.CovarianceMatrix());
}

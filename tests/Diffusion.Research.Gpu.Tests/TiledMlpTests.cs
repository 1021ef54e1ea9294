using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Gpu.Tests;

/// <summary>
/// The group kernel with tiled dense layers (<see cref="DeviceTiledMlpScore"/>) against the per-particle MLP kernel
/// (<see cref="DeviceMlpScore"/>), whose sums it must reproduce term for term, and against the CPU twins. Particle counts
/// that are not a multiple of the group's 16 leave a partly filled last group; one to four hidden layers end the
/// alternation of the two shared buffers in either; widths 24 (tiles of four outputs only),
/// 13 and 22 (tiles and columns) and the output layer (D = 3: a column block) cover both paths of the dense layers.
/// </summary>
public sealed class TiledMlpTests(EmulatedDevice fixture) : IClassFixture<EmulatedDevice>
{
    private static ISolver CreateSolver(string name) => name switch
    {
        "euler_maruyama" => new EulerMaruyama(),
        "stochastic_heun" => new StochasticHeun(),
        "heun" => new ExplicitRungeKutta(Tableau.Heun),
        "rk4" => new ExplicitRungeKutta(Tableau.RungeKutta4),
        "ddim" => new Ddim(0.6),
        "dpm_solver_2" => new DpmSolver2(),
        "edm" => new EdmHeun(new Churn(10, 0.05, 5, 1.007)),
        "pc" => new PredictorCorrector(PredictorKind.ReverseDiffusion, 1, 0.16),
        "pc_em2" => new PredictorCorrector(PredictorKind.EulerMaruyama, 2, 0.2),
        _ => new AnnealedLangevin(0.05, 2),
    };

    private static (SamplingProblem Problem, TimeGrid Grid, Batch X) Setup(string solverName, int width, Activation activation,
        bool residual, Prediction output, double lambda, int count, int layers = 3)
    {
        var sde = VpSde.Linear(0.2, 18.0);
        var options = new ModelOptions { Width = width, HiddenLayers = layers, Activation = activation, Residual = residual, Output = output, Seed = 23, EmbeddingFrequencies = 8 };
        var model = new MlpScoreModel(3, options, sde);
        var problem = SamplingProblem.Reverse(sde, model, lambda);
        var grid = TimeGrid.Uniform(sde.T, 1e-3, 12);
        var x = new Batch(count, 3);
        sde.Prior(3).Sample(x, new NoiseSource(4), 0);
        return (problem, grid, x);
    }

    [Theory]
    [InlineData("euler_maruyama", 24, Activation.Silu, false, Prediction.Epsilon, 1.0, 37, 3)]
    [InlineData("stochastic_heun", 13, Activation.Tanh, true, Prediction.Epsilon, 0.7, 16, 3)]
    [InlineData("heun", 22, Activation.Softplus, true, Prediction.Data, 0.0, 5, 2)]
    [InlineData("rk4", 24, Activation.Silu, true, Prediction.Score, 0.0, 33, 3)]
    [InlineData("ddim", 13, Activation.Silu, false, Prediction.Epsilon, 0.0, 40, 1)]
    [InlineData("dpm_solver_2", 24, Activation.Tanh, false, Prediction.Epsilon, 0.0, 17, 2)]
    [InlineData("edm", 22, Activation.Silu, true, Prediction.Data, 0.0, 31, 4)]
    [InlineData("ald", 13, Activation.Softplus, false, Prediction.Score, 0.0, 18, 3)]
    [InlineData("pc", 22, Activation.Silu, false, Prediction.Epsilon, 0.0, 21, 2)]
    [InlineData("pc_em2", 13, Activation.Tanh, true, Prediction.Data, 0.0, 35, 3)]
    public void The_tiled_kernel_gives_the_per_particle_kernels_bits(string solverName, int width, Activation activation, bool residual,
        Prediction output, double lambda, int count, int layers)
    {
        var (problem, grid, x) = Setup(solverName, width, activation, residual, output, lambda, count, layers);
        var solver = CreateSolver(solverName);
        var options = new SolveOptions { Noise = new NoiseSource(9), FirstParticle = 100 };
        var perParticle = x.Clone();
        Assert.True(new GpuSolver(fixture.Device, solver) { TiledMlp = false }.Solve(problem, perParticle, grid, options).IsSuccess);
        var tiled = x.Clone();
        Assert.True(new GpuSolver(fixture.Device, solver) { TiledMlp = true }.Solve(problem, tiled, grid, options).IsSuccess);
        AssertSameBits(perParticle, tiled, $"{solverName}, width {width}, {layers} layers");
        // And it moved: the solve is not the identity on either kernel.
        Assert.NotEqual(x[count - 1, 0], tiled[count - 1, 0]);
    }

    [Theory]
    [InlineData("euler_maruyama", Activation.Silu, false, Prediction.Epsilon, 1.0)]
    [InlineData("edm", Activation.Tanh, true, Prediction.Data, 0.0)]
    public void The_tiled_kernel_matches_the_cpu_twin(string solverName, Activation activation, bool residual, Prediction output, double lambda)
    {
        var (problem, grid, x) = Setup(solverName, 36, activation, residual, output, lambda, 21);
        var solver = CreateSolver(solverName);
        var options = new SolveOptions { Noise = new NoiseSource(9), FirstParticle = 7 };
        var cpu = x.Clone();
        Assert.True(solver.Solve(problem, cpu, grid, options).IsSuccess);
        var gpu = x.Clone();
        Assert.True(new GpuSolver(fixture.Device, solver) { TiledMlp = true }.Solve(problem, gpu, grid, options).IsSuccess);
        var worst = 0.0;
        for (var i = 0; i < x.Count; i++)
        {
            var scale = 1.0;
            for (var d = 0; d < 3; d++) scale = Math.Max(scale, Math.Abs(cpu[i, d]));
            for (var d = 0; d < 3; d++) worst = Math.Max(worst, Math.Abs(gpu[i, d] - cpu[i, d]) / scale);
        }
        var tolerance = lambda > 0 ? 1e-10 : 1e-12;
        Assert.True(worst <= tolerance, $"{solverName}: {worst:E3} > {tolerance:E0}");
    }

    /// <summary>Which MLP kernel runs: the group kernel on CUDA from width 32; per particle below that and on the CPU
    /// accelerator (same values, and the group kernel is slower there); an explicit setting wins.</summary>
    [Fact]
    public void The_group_kernel_runs_wide_mlps_on_cuda()
    {
        Assert.True(GpuSolver.UsesTiledMlp(null, emulated: false, 128));
        Assert.True(GpuSolver.UsesTiledMlp(null, emulated: false, GpuSolver.TiledMlpWidth));
        Assert.False(GpuSolver.UsesTiledMlp(null, emulated: false, GpuSolver.TiledMlpWidth - 1));
        Assert.False(GpuSolver.UsesTiledMlp(null, emulated: true, 128));
        Assert.True(GpuSolver.UsesTiledMlp(true, emulated: true, 8));
        Assert.False(GpuSolver.UsesTiledMlp(false, emulated: false, 128));
    }

    /// <summary>The predictor–corrector keeps a flag per particle across its lock-step launches; on the group kernels a
    /// particle that overflows in the first predictor step (while a tanh MLP's finite scores let the solve go on) is
    /// evaluated with its group and never written again: the same rows and failing step as per particle.</summary>
    [Fact]
    public void The_predictor_corrector_on_the_group_kernels_keeps_a_failed_particle_as_per_particle()
    {
        var (problem, grid, x) = Setup("pc", 20, Activation.Tanh, false, Prediction.Epsilon, 0.0, 19, 2);
        x[17, 0] = 1.7e308; // (2 − α) x overflows in the first predictor step
        var solver = CreateSolver("pc");
        var options = new SolveOptions { Noise = new NoiseSource(4) };
        var perParticle = x.Clone();
        var expected = new GpuSolver(fixture.Device, solver) { TiledMlp = false }.Solve(problem, perParticle, grid, options);
        var tiled = x.Clone();
        var actual = new GpuSolver(fixture.Device, solver) { TiledMlp = true }.Solve(problem, tiled, grid, options);
        Assert.Equal(SolveStatus.NonFinite, expected.Status);
        Assert.Equal(1, expected.Statistics.AcceptedSteps);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Statistics, actual.Statistics);
        AssertSameBits(perParticle, tiled, "a failing particle");
    }

    /// <summary>A particle that overflows stops the solve at that step on both kernels: the same earliest step, and its row as it
    /// was when it failed (the tiled kernel steps it on with its group and discards the rest).</summary>
    [Fact]
    public void A_failing_particle_is_reported_and_kept_as_on_the_per_particle_kernel()
    {
        var (problem, grid, x) = Setup("euler_maruyama", 24, Activation.Tanh, false, Prediction.Epsilon, 1.0, 21);
        for (var d = 0; d < 3; d++) x[18, d] = 1e306 * (d + 1); // the drift overflows in the first steps
        var solver = CreateSolver("euler_maruyama");
        var options = new SolveOptions { Noise = new NoiseSource(9) };
        var perParticle = x.Clone();
        var expected = new GpuSolver(fixture.Device, solver) { TiledMlp = false }.Solve(problem, perParticle, grid, options);
        var tiled = x.Clone();
        var actual = new GpuSolver(fixture.Device, solver) { TiledMlp = true }.Solve(problem, tiled, grid, options);
        Assert.Equal(SolveStatus.NonFinite, expected.Status);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Statistics, actual.Statistics);
        AssertSameBits(perParticle, tiled, "a failing particle");
    }

    // Every coordinate of every particle the same double (NaN equal to NaN).
    private static void AssertSameBits(Batch perParticle, Batch tiled, string what)
    {
        for (var i = 0; i < perParticle.Count; i++)
            for (var d = 0; d < perParticle.Dimension; d++)
                Assert.True(perParticle[i, d].Equals(tiled[i, d]), $"{what}: particle {i}, coordinate {d}: per-particle {perParticle[i, d]:R}, tiled {tiled[i, d]:R}");
    }
}

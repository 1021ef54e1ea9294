using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Gpu.Tests;

/// <summary>The device solvers refuse what their CPU twins refuse, and what has no kernel, before launching anything.</summary>
public sealed class GuardTests(EmulatedDevice fixture) : IClassFixture<EmulatedDevice>
{
    private static SamplingProblem Problem(double lambda)
    {
        var sde = VpSde.Linear();
        return SamplingProblem.Reverse(sde, new ExactNoisedScore(ToyData.EightGaussians(), sde), lambda);
    }

    [Fact]
    public void Same_argument_errors_as_the_cpu()
    {
        var heun = new ExplicitRungeKutta(Tableau.Heun);
        var grid = TimeGrid.Uniform(1.0, 1e-3, 5);
        var x = new Batch(4, 2);
        Assert.Throws<ArgumentException>(() => heun.Solve(Problem(1.0), x.Clone(), grid, new SolveOptions()));
        Assert.Throws<ArgumentException>(() => new GpuSolver(fixture.Device, heun).Solve(Problem(1.0), x.Clone(), grid, new SolveOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GpuSolver(fixture.Device, new Ddim()).Solve(Problem(0), x.Clone(), TimeGrid.Uniform(1.5, 1e-3, 5), new SolveOptions()));
        Assert.Throws<ArgumentException>(() => new GpuSolver(fixture.Device, new EulerMaruyama()).Solve(Problem(1), new Batch(4, 3), grid, new SolveOptions()));
    }

    [Fact]
    public void Solvers_without_a_kernel_are_refused_with_the_reason()
    {
        Assert.Contains("adaptive", GpuSolver.Unsupported(new DormandPrince45()));
        Assert.Contains("adaptive", GpuSolver.Unsupported(new AdaptiveStochasticHeun()));
        Assert.Throws<NotSupportedException>(() => new GpuSolver(fixture.Device, new DormandPrince45()));
        Assert.Null(GpuSolver.Unsupported(new EdmHeun()));
        // Options the device kernels do not implement are refused, not silently ignored.
        Assert.Contains("corrector_first", GpuSolver.Unsupported(new PredictorCorrector(correctorFirst: true)));
        Assert.Contains("discrete_betas", GpuSolver.Unsupported(new DdpmAncestral(discreteBetas: 1000)));
        Assert.Contains("discrete_betas", GpuSolver.Unsupported(new PredictorCorrector(discreteBetas: 1000)));
        Assert.Null(GpuSolver.Unsupported(new PredictorCorrector()));
        Assert.Null(GpuSolver.Unsupported(new DdpmAncestral()));
        Assert.Contains("Gaussian mixture", GpuSolver.Unsupported(SamplingProblem.Reverse(VpSde.Linear(), new AffineScoreFieldProbe(), 1.0)));
    }

    [Fact]
    public void A_runge_kutta_grid_ending_at_zero_noise_is_refused_not_run_with_the_full_tableau()
    {
        // The CPU heun takes an Euler last step into sigma = 0 (or refuses the grid); the device kernel cannot do either.
        var grid = TimeGrid.Uniform(1.0, 0.0, 5);
        var x = new Batch(4, 2);
        Assert.Throws<NotSupportedException>(() => new GpuSolver(fixture.Device, new ExplicitRungeKutta(Tableau.Heun)).Solve(Problem(0), x.Clone(), grid, new SolveOptions()));
        var refuse = new ExplicitRungeKutta(Tableau.Heun, zeroNoiseEnd: ZeroNoiseEnd.Refuse);
        Assert.Throws<ArgumentException>(() => refuse.Solve(Problem(0), x.Clone(), grid, new SolveOptions()));
        Assert.Throws<ArgumentException>(() => new GpuSolver(fixture.Device, refuse).Solve(Problem(0), x.Clone(), grid, new SolveOptions()));
        // Euler (one stage) has nothing to change, and a grid ending at t_eps > 0 is unaffected.
        new GpuSolver(fixture.Device, new ExplicitRungeKutta(Tableau.Euler)).Solve(Problem(0), x.Clone(), grid, new SolveOptions());
        new GpuSolver(fixture.Device, new ExplicitRungeKutta(Tableau.Heun)).Solve(Problem(0), x.Clone(), TimeGrid.Uniform(1.0, 1e-3, 5), new SolveOptions());
    }

    // A score model the device does not know.
    private sealed class AffineScoreFieldProbe : IScoreModel
    {
        public void Score(double t, Batch x, Batch destination) => x.Values.CopyTo(destination.Values);
    }
}

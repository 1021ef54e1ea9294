using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/Engine: the boundary, the parameter name and the message.</summary>
public class SolversEngineContractTests
{
    private static Batch Particles(int n = 3)
    {
        var x = new Batch(n, 2);
        Vp.Prior(2).Sample(x, new NoiseSource(13), 0);
        return x;
    }

    /// <summary>α = 1, σ(t) = max(0, t − 0.5): no noise up to t = 0.5.</summary>
    private sealed class LateNoise : IKernel
    {
        public double Alpha(double t) => 1;

        public double Sigma(double t) => Math.Max(0, t - 0.5);
    }

    /// <summary>dx/dt = −0.37 x at any time.</summary>
    private sealed class Decay : IDynamics
    {
        public void Drift(double t, Batch x, Batch destination)
        {
            for (var i = 0; i < x.Values.Length; i++) destination.Values[i] = -0.37 * x.Values[i];
        }

        public double Diffusion(double t) => 0;
    }

    /// <summary>A generic solver (not diffusion-aware) that leaves the state as it is.</summary>
    private sealed class Still : ISolver
    {
        public SolverTraits Traits { get; } = new("still", 1, 0, false, false, 1, "test double");

        public Solution Solve(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options) =>
            new(x, SolveStatus.Success, SolverStatistics.Zero, grid.End, null);
    }

    [Fact]
    public void Workspace_constructor_checks_its_shape()
    {
        foreach (var bad in new[] { -1, int.MinValue })
        {
            Assert.Equal("registers", Assert.Throws<ArgumentOutOfRangeException>(() => new Workspace(bad, 3, 2)).ParamName);
            Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => new Workspace(2, bad, 2)).ParamName);
        }
        foreach (var bad in new[] { 0, -1 })
            Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new Workspace(2, 3, bad)).ParamName);
        Assert.Equal(0, new Workspace(0, 3, 2).Count);
        Assert.Equal(0, new Workspace(2, 0, 2).Rows);
        Assert.Equal(1, new Workspace(2, 3, 1).Dimension);
    }

    [Fact]
    public void Workspace_Buffer_checks_the_rows()
    {
        var w = new Workspace(2, 3, 2);
        foreach (var bad in new[] { 4, -1, int.MaxValue, int.MinValue })
            Refused<ArgumentOutOfRangeException>("rows", "At most 3 rows.", () => w.Buffer(1, bad));
        Assert.Equal(3, w.Buffer(1, 3).Count);
        Assert.Equal(0, w.Buffer(0, 0).Count);
    }

    [Fact]
    public void Workspace_History_checks_its_registers()
    {
        Refused<ArgumentOutOfRangeException>("length", "Buffers -1..0 do not exist (the workspace has 3).", () => new Workspace(3, 2, 2).History(-1, 2));
        Refused<ArgumentOutOfRangeException>("length", "Buffers 0..-1 do not exist (the workspace has 3).", () => new Workspace(3, 2, 2).History(0, 0));
        Refused<ArgumentOutOfRangeException>("length", "Buffers 1..0 do not exist (the workspace has 3).", () => new Workspace(3, 2, 2).History(1, 0));
        Refused<ArgumentOutOfRangeException>("length", "Buffers 2..3 do not exist (the workspace has 3).", () => new Workspace(3, 2, 2).History(2, 2));
        Assert.Equal((0, 1), (new Workspace(3, 2, 2).History(0, 1).First, new Workspace(3, 2, 2).History(0, 1).Length));
        var w = new Workspace(3, 2, 2);
        var ring = w.History(1, 2);
        Assert.Equal((1, 2), (ring.First, ring.Length));
        Assert.Same(ring, w.History(1, 2));
        var e = Assert.Throws<InvalidOperationException>(() => w.History(0, 2));
        Assert.Equal("This workspace's history covers registers 1..2.", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => w.History(1, 1));
        Assert.Equal("This workspace's history covers registers 1..2.", e.Message);
    }

    [Fact]
    public void BufferRing_Recent_checks_the_depth()
    {
        var ring = new Workspace(3, 2, 2).History(0, 3);
        Refused<ArgumentOutOfRangeException>("back", "The history holds 0 values.", () => ring.Recent(0, 2));
        ring.Push(2);
        foreach (var bad in new[] { 1, -1, int.MinValue })
            Refused<ArgumentOutOfRangeException>("back", "The history holds 1 values.", () => ring.Recent(bad, 2));
        Assert.Equal(2, ring.Recent(0, 2).Count);
        ring.Push(2);
        Assert.Equal(2, ring.Recent(1, 2).Count);
        Refused<ArgumentOutOfRangeException>("back", "The history holds 2 values.", () => ring.Recent(2, 2));
    }

    [Fact]
    public void Grid_arguments_are_checked_for_every_grid()
    {
        var kernel = Vp.Kernel!;
        Func<IKernel, int, double, double, TimeGrid>[] grids =
        [
            (k, n, s, e) => KarrasGrid.Create(k, n, s, e),
            (k, n, s, e) => PolyExponentialGrid.Create(k, n, s, e),
            LogSnrGrid.Create,
            TimeQuadraticGrid.Create,
        ];
        foreach (var create in grids)
        {
            Assert.Equal("kernel", Assert.Throws<ArgumentNullException>(() => create(null!, 3, 1, 0.25)).ParamName);
            foreach (var bad in new[] { 0, -1 })
                Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => create(kernel, bad, 1, 0.25)).ParamName);
            Assert.Equal(1, create(kernel, 1, 1, 0.25).Steps);
            foreach (var (start, end) in new[] { (0.5, 0.5), (0.25, 0.5), (double.NaN, 0.25), (1.0, double.NaN), (double.PositiveInfinity, 0.25), (1.0, double.NegativeInfinity) })
                Refused<ArgumentException>("end", $"A sampling grid runs from start down to the cutoff t_eps: need finite end < start, got start = {start}, end = {end}.",
                    () => create(kernel, 3, start, end));
            foreach (var end in new[] { 0.0, -0.25 })
                Refused<ArgumentOutOfRangeException>("end", "The cutoff t_eps must be > 0 (sigma(0) = 0: log-SNR is infinite there).", () => create(kernel, 3, 1, end));
            Refused<ArgumentOutOfRangeException>("end", "sigma(t_eps) = 0; need > 0.", () => create(new LateNoise(), 1, 1, 0.5));
            Assert.Equal(0.625, create(new LateNoise(), 1, 1, 0.625).End);
            var grid = create(kernel, 3, 0.37, 0.37 - 1e-9);
            Assert.Equal((0.37, 0.37 - 1e-9), (grid.Start, grid.End));
            Assert.Equal(1e-3, create(kernel, 2, 1, 1e-3).End);
        }
    }

    [Fact]
    public void ProblemGuard_Check_checks_references_and_the_batch()
    {
        var solver = new Still();
        var problem = ReverseProblem(0);
        var grid = TimeGrid.Uniform(1, 0.25, 3);
        var options = new SolveOptions();
        Assert.Equal("solver", Assert.Throws<ArgumentNullException>(() => ProblemGuard.Check(null!, problem, Particles(), grid, options)).ParamName);
        Assert.Equal("problem", Assert.Throws<ArgumentNullException>(() => ProblemGuard.Check(solver, null!, Particles(), grid, options)).ParamName);
        Assert.Equal("grid", Assert.Throws<ArgumentNullException>(() => ProblemGuard.Check(solver, problem, Particles(), null!, options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => ProblemGuard.Check(solver, problem, Particles(), grid, null!)).ParamName);
        Assert.Equal("Threads", Assert.Throws<ArgumentOutOfRangeException>(() => ProblemGuard.Check(solver, problem, Particles(), grid, options.WithThreads(0))).ParamName);
        Refused<ArgumentException>("x", "The batch is uninitialised (default Batch).", () => ProblemGuard.Check(solver, problem, default, grid, options));
        Refused<ArgumentException>("x", "The batch has no particles.", () => ProblemGuard.Check(solver, problem, new Batch(0, 2), grid, options));
        ProblemGuard.Check(solver, problem, Particles(1), grid, options);
        ProblemGuard.Check(solver, problem, new Batch(1, 2), grid, options);
    }

    [Fact]
    public void ProblemGuard_CheckParticles_checks_the_noise_counter_range()
    {
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => ProblemGuard.CheckParticles(3, null!)).ParamName);
        Refused<ArgumentException>("x", "The batch has no particles.", () => ProblemGuard.CheckParticles(0, new SolveOptions()));
        var limit = 1L << 62;
        Refused<ArgumentOutOfRangeException>("options", "FirstParticle + Count overflows the noise counter range.",
            () => ProblemGuard.CheckParticles(3, new SolveOptions().WithFirstParticle(limit - 2)));
        Refused<ArgumentOutOfRangeException>("options", "FirstParticle + Count overflows the noise counter range.",
            () => ProblemGuard.CheckParticles(1, new SolveOptions().WithFirstParticle(limit)));
        ProblemGuard.CheckParticles(3, new SolveOptions().WithFirstParticle(limit - 3));
        ProblemGuard.CheckParticles(1, new SolveOptions());
    }

    [Fact]
    public void ProblemGuard_Check_keeps_the_grid_inside_the_sde_interval()
    {
        var solver = new Still();
        var problem = ReverseProblem(0);
        var options = new SolveOptions();
        Refused<ArgumentOutOfRangeException>("grid", "Grid time t_0 = 1.25 lies outside [0, T] = [0, 1] of the forward SDE.",
            () => ProblemGuard.Check(solver, problem, Particles(), new TimeGrid([1.25, 0.5, 0.25]), options));
        Refused<ArgumentOutOfRangeException>("grid", "Grid time t_2 = -0.25 lies outside [0, T] = [0, 1] of the forward SDE.",
            () => ProblemGuard.Check(solver, problem, Particles(), new TimeGrid([1, 0.5, -0.25]), options));
        Refused<ArgumentOutOfRangeException>("grid", "Grid time t_1 = 1.5 lies outside [0, T] = [0, 1] of the forward SDE.",
            () => ProblemGuard.Check(solver, problem, Particles(), new TimeGrid([0.25, 1.5]), options));
        // The ends of [0, T] themselves are allowed for a generic solver.
        ProblemGuard.Check(solver, problem, Particles(), new TimeGrid([1, 0.5, 0]), options);
        ProblemGuard.Check(solver, problem, Particles(), new TimeGrid([0, 1]), options);
        // A problem without an SDE has no interval.
        ProblemGuard.Check(solver, SamplingProblem.Of(new Decay()), Particles(), new TimeGrid([2.5, -0.37]), options);
    }

    [Fact]
    public void ProblemGuard_Check_needs_sigma_above_zero_at_the_end_for_diffusion_samplers()
    {
        var ddim = new Ddim(0.37);
        var problem = ReverseProblem(0);
        Refused<ArgumentOutOfRangeException>("grid", "Solver 'ddim' divides by sigma(t); the grid must end at t_eps > 0 where sigma > 0 (sigma(0) = 0).",
            () => ProblemGuard.Check(ddim, problem, Particles(), new TimeGrid([1, 0.5, 0]), new SolveOptions()));
        ProblemGuard.Check(ddim, problem, Particles(), new TimeGrid([1, 0.5, 1e-3]), new SolveOptions());
        Refused<ArgumentException>("problem", "Solver 'ddim' is diffusion-aware: it needs the forward SDE and the score.",
            () => ProblemGuard.Check(ddim, SamplingProblem.Of(problem.Dynamics), Particles(), new TimeGrid([1, 0.5]), new SolveOptions()));
    }

    [Fact]
    public void ProblemGuard_RequireDiffusionModel_checks_the_problem_and_the_direction()
    {
        var problem = ReverseProblem(0);
        Refused<ArgumentException>("problem",
            "Solver 'ddim' is diffusion-aware: it needs the forward SDE and the score. Build the problem with SamplingProblem.Reverse(sde, score, lambda).",
            () => ProblemGuard.RequireDiffusionModel("ddim", SamplingProblem.Of(problem.Dynamics), new TimeGrid([1, 0.5])));
        var langevin = SamplingProblem.Reverse(new OverdampedLangevinSde(ToyData.EightGaussians()), new ExactNoisedScore(ToyData.EightGaussians(), Vp.Kernel!), 0);
        Refused<ArgumentException>("problem",
            "Solver 'ddim' needs the closed-form perturbation kernel of the forward SDE, and OverdampedLangevinSde.Kernel is null.",
            () => ProblemGuard.RequireDiffusionModel("ddim", langevin, new TimeGrid([1, 0.5])));
        var forward = new TimeGrid([0.25, 0.5]);
        Refused<ArgumentException>("grid", $"Solver 'ddim' samples from T towards 0: the grid must decrease (got {forward}).",
            () => ProblemGuard.RequireDiffusionModel("ddim", problem, forward));
        ProblemGuard.RequireDiffusionModel("ddim", problem, new TimeGrid([0.5, 0.25]));
    }

    [Fact]
    public void ProblemGuard_RequireOde_refuses_diffusion()
    {
        var sde = ReverseProblem(1).Dynamics;
        var b = sde.Diffusion(1);
        Assert.True(b > 0);
        Refused<ArgumentException>("dynamics",
            $"Solver 'heun' integrates ODEs but the dynamics have diffusion b(1) = {b}; use lambda = 0 (probability-flow ODE) or a stochastic solver.",
            () => ProblemGuard.RequireOde("heun", sde, new TimeGrid([1, 0.5])));
        ProblemGuard.RequireOde("heun", ReverseProblem(0).Dynamics, new TimeGrid([1, 0.5]));
    }
}

using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The argument checks every solver runs before its loop starts, so that bad input fails loudly and
/// early (never inside a step loop). Throws <see cref="ArgumentException"/> and friends naming the argument.
/// </summary>
public static class ProblemGuard
{
    /// <summary>
    /// Checks shared by all solvers; also evaluates the drift (or, for an <see cref="IDiffusionSampler"/>, the score) on one
    /// particle so that shape errors surface here. The one place where a diffusion sampler's need for
    /// <see cref="SamplingProblem.Diffusion"/> is checked: <paramref name="solver"/> is an <see cref="IDiffusionSampler"/>.
    /// </summary>
    public static void Check(ISolver solver, SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(problem);
        var traits = solver.Traits;
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (x.Dimension == 0)
            throw new ArgumentException("The batch is uninitialised (default Batch).", nameof(x));
        CheckParticles(x.Count, options);

        options.SaveAt?.Begin(grid, x, onGrid: !traits.IsAdaptive);

        if (problem.Sde is { } sde)
        {
            var times = grid.Times;
            for (var i = 0; i < times.Length; i++)
                if (times[i] < 0 || times[i] > sde.T)
                    throw new ArgumentOutOfRangeException(nameof(grid), times[i],
                        $"Grid time t_{i} = {times[i]} lies outside [0, T] = [0, {sde.T}] of the forward SDE.");
        }

        if (solver is IDiffusionSampler)
        {
            RequireDiffusionModel(traits.Name, problem, grid);
            var kernel = problem.Diffusion.Kernel;
            if (!(kernel.Sigma(grid.End) > 0))
                throw new ArgumentOutOfRangeException(nameof(grid), grid.End,
                    $"Solver '{traits.Name}' divides by sigma(t); the grid must end at t_eps > 0 where sigma > 0 (sigma({grid.End}) = {kernel.Sigma(grid.End)}).");
            Probe(problem.Diffusion.Score, grid.Start, x);
        }
        else
        {
            Probe(problem.Dynamics, grid.Start, x);
        }
    }

    /// <summary>
    /// The checks on the number of particles: at least one, and particles FirstParticle … FirstParticle + count − 1 inside
    /// the noise counter range (2⁶²). For solvers whose particles are not a host <see cref="Batch"/> (the device twins check
    /// the rest on the first particle).
    /// </summary>
    public static void CheckParticles(int count, SolveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (count == 0) throw new ArgumentException("The batch has no particles.", "x");
        if (options.FirstParticle + count > (1L << 62))
            throw new ArgumentOutOfRangeException(nameof(options), options.FirstParticle, "FirstParticle + Count overflows the noise counter range.");
    }

    /// <summary>Throws unless the problem carries a forward SDE with a kernel and a score, and the grid runs backwards.</summary>
    public static void RequireDiffusionModel(string solver, SamplingProblem problem, TimeGrid grid)
    {
        if (problem.Sde is null || problem.Score is null)
            throw new ArgumentException(
                $"Solver '{solver}' is diffusion-aware: it needs the forward SDE and the score. Build the problem with SamplingProblem.Reverse(sde, score, lambda).",
                nameof(problem));
        if (problem.Sde.Kernel is null)
            throw new ArgumentException(
                $"Solver '{solver}' needs the closed-form perturbation kernel of the forward SDE, and {problem.Sde.GetType().Name}.Kernel is null.",
                nameof(problem));
        if (!grid.IsBackward)
            throw new ArgumentException($"Solver '{solver}' samples from T towards 0: the grid must decrease (got {grid}).", nameof(grid));
    }

    /// <summary>Throws unless the dynamics are an ODE on every grid time (b(t) = 0).</summary>
    public static void RequireOde(string solver, IDynamics dynamics, TimeGrid grid)
    {
        foreach (var t in grid.Times)
        {
            var b = dynamics.Diffusion(t);
            if (b != 0)
                throw new ArgumentException(
                    $"Solver '{solver}' integrates ODEs but the dynamics have diffusion b({t}) = {b}; use lambda = 0 (probability-flow ODE) or a stochastic solver.",
                    nameof(dynamics));
        }
    }

    private static void Probe(IDynamics dynamics, double t, Batch x)
    {
        var row = x.Slice(0, 1);
        dynamics.Drift(t, row, new Batch(1, x.Dimension));
    }

    private static void Probe(IScoreModel score, double t, Batch x)
    {
        var row = x.Slice(0, 1);
        score.Score(t, row, new Batch(1, x.Dimension));
    }
}

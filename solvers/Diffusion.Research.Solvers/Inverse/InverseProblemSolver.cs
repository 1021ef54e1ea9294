using Diffusion.Research.Conditional;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The frame shared by the posterior samplers for a <see cref="LinearMeasurement"/>: they advance the particles one grid
/// interval at a time with an inner solver of the zoo (any of them; a multistep solver restarts its history each interval)
/// and correct the state between intervals with the measurement (replacement, RePaint resampling, DPS gradient step).
/// Noise: interval i of the inner solver draws from options.Noise.Derive(i) and the correction of interval i from
/// options.Noise.Derive(<see cref="CorrectionTag"/> + i), so results do not depend on batch split or thread count when the
/// inner solver's do not.
/// </summary>
public abstract class InverseProblemSolver : IDiffusionSampler
{
    /// <summary>Added to the interval index to key the correction's noise apart from the inner solver's.</summary>
    protected const ulong CorrectionTag = 1UL << 40;

    /// <summary>Wraps <paramref name="inner"/> for <paramref name="measurement"/>.</summary>
    protected InverseProblemSolver(LinearMeasurement measurement, ISolver inner, string name, int extraNfePerStep, string description)
    {
        Measurement = measurement ?? throw new ArgumentNullException(nameof(measurement));
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Traits = new SolverTraits(name + "+" + inner.Traits.Name, inner.Traits.Order, inner.Traits.StrongOrder, IsStochastic: true,
            IsAdaptive: false, NfePerStep: inner.Traits.NfePerStep + extraNfePerStep, description);
    }

    /// <summary>The measurement y = A x + s ε.</summary>
    public LinearMeasurement Measurement { get; }

    /// <summary>The solver that advances each interval.</summary>
    public ISolver Inner { get; }

    /// <inheritdoc />
    public SolverTraits Traits { get; }

    /// <inheritdoc />
    public Solution Solve(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ProblemGuard.RequireDiffusionModel(Traits.Name, problem, grid); // SDE, kernel and score present; grid from T to t_eps
        if (x.Dimension != Measurement.Dimension)
            throw new ArgumentException($"The particles are {x.Dimension}-dimensional, the measurement acts on {Measurement.Dimension}.", nameof(x));
        options.SaveAt?.Begin(grid, x, onGrid: true);
        var statistics = SolverStatistics.Zero;
        var observed = options.IsObserved;
        if (observed) options.Observe(0, grid.Start, x, 0);
        for (var i = 0; i < grid.Steps; i++)
        {
            var solution = Advance(problem, x, grid, i, options);
            statistics = statistics.Add(solution.Statistics);
            if (!solution.IsSuccess) return solution with { Samples = x, Statistics = statistics };
            if (!x.IsFinite()) return new Solution(x, SolveStatus.NonFinite, statistics, grid[i + 1], $"non-finite state after the correction at t = {grid[i + 1]}");
            if (observed) options.Observe(i + 1, grid[i + 1], x, 0); // after the interval, correction included
        }
        return new Solution(x, SolveStatus.Success, statistics, grid.End, null);
    }

    /// <summary>Advances <paramref name="x"/> over interval <paramref name="interval"/> of <paramref name="grid"/>, correction included.</summary>
    protected abstract Solution Advance(SamplingProblem problem, Batch x, TimeGrid grid, int interval, SolveOptions options);

    /// <summary>
    /// One inner-solver run from <paramref name="from"/> to <paramref name="to"/> with noise keyed by <paramref name="tag"/>
    /// (the observer and SaveAt stay with the outer solve, which reports once per interval).
    /// </summary>
    protected Solution InnerStep(SamplingProblem problem, Batch x, double from, double to, SolveOptions options, ulong tag) =>
        Inner.Solve(problem, x, new TimeGrid([from, to]), options with { Noise = options.Noise.Derive(tag), Observer = null, SaveAt = null });

    /// <summary>
    /// Replacement of the observed coordinates by a sample of the noised observation at time t: x[j_r] = α_t y_r + σ_t z
    /// (Song et al. 2021, App. I.2 imputation; the score_sde inpainter noises the known data with the SDE's marginal),
    /// z the Gaussian draw r of stream 0 of <paramref name="noise"/> for the particle.
    /// </summary>
    protected void Replace(SamplingProblem problem, Batch x, double t, NoiseSource noise, long firstParticle)
    {
        var observed = Measurement.ObservedCoordinates!;
        var kernel = problem.Diffusion.Kernel;
        var alpha = kernel.Alpha(t);
        var sigma = kernel.Sigma(t);
        Span<double> z = observed.Count <= 64 ? stackalloc double[observed.Count] : new double[observed.Count];
        for (var i = 0; i < x.Count; i++)
        {
            noise.FillGaussian(0, firstParticle + i, z);
            var row = x.Row(i);
            for (var r = 0; r < observed.Count; r++) row[observed[r]] = alpha * Measurement.Observation[r] + sigma * z[r];
        }
    }

    /// <summary>Throws unless A selects coordinates (replacement methods need known coordinates).</summary>
    protected static void RequireCoordinateSelection(LinearMeasurement measurement, string method)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (measurement.ObservedCoordinates is null)
            throw new ArgumentException($"{method} needs A to select coordinates (inpainting); this A mixes them.", nameof(measurement));
    }
}

using Diffusion.Research.Conditional;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// RePaint (Lugmayr et al. 2022, Alg. 1, jump length 1): each interval t → s is done U times; each time the unknown
/// coordinates take a reverse step, the known ones are replaced by α_s y + σ_s z, and, except after the last of the U
/// passes, the whole state is pushed forward again s → t by the forward transition x_t = α_{t|s} x_s + σ_{t|s} ε
/// (003 eq. 4.4.5, as in Kingma et al. 2021; RePaint Alg. 1 line "x_t ~ N(sqrt(1 − β_{t−1}) x_{t−1}, β_{t−1} I)"). The last
/// interval is done once (Alg. 1 does not resample at t = 1). U = 1 is <see cref="ReplacementSampler"/>. The measurement noise is ignored as in replacement.
/// </summary>
public sealed class RePaintSampler : InverseProblemSolver
{
    /// <summary>RePaint with <paramref name="resamplings"/> passes U ≥ 1 per interval around <paramref name="inner"/>.</summary>
    public RePaintSampler(LinearMeasurement measurement, ISolver inner, int resamplings)
        : base(measurement, inner, "repaint", 0, "RePaint (Lugmayr et al. 2022 Alg. 1): replacement with U forward-backward resamplings per step.")
    {
        RequireCoordinateSelection(measurement, "repaint");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resamplings);
        Resamplings = resamplings;
    }

    /// <summary>U: passes per interval.</summary>
    public int Resamplings { get; }

    /// <inheritdoc />
    protected override Solution Advance(SamplingProblem problem, Batch x, TimeGrid grid, int interval, SolveOptions options)
    {
        double t = grid[interval], s = grid[interval + 1];
        var passes = interval == grid.Steps - 1 ? 1 : Resamplings;
        var statistics = SolverStatistics.Zero;
        var forward = problem.Diffusion.Kernel.Between(s, t);
        var renoised = passes > 1 ? new Batch(x.Count, x.Dimension) : default;
        if (interval == 0) Replace(problem, x, t, options.Noise.Derive(CorrectionTag - 1), options.FirstParticle);
        for (var u = 0; u < passes; u++)
        {
            var key = (ulong)interval * (ulong)Resamplings + (ulong)u;
            var solution = InnerStep(problem, x, t, s, options, key);
            statistics = statistics.Add(solution.Statistics);
            if (!solution.IsSuccess) return solution with { Statistics = statistics };
            Replace(problem, x, s, options.Noise.Derive(CorrectionTag + 2 * key), options.FirstParticle);
            if (u == passes - 1) continue;
            forward.Sample(x, options.Noise.Derive(CorrectionTag + 2 * key + 1), 0, options.FirstParticle, renoised);
            renoised.CopyTo(x);
        }
        return new Solution(x, SolveStatus.Success, statistics, s, null);
    }
}

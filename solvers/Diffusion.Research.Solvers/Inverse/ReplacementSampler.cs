using Diffusion.Research.Conditional;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Inpainting/imputation by replacement (Song et al. 2021, "Score-Based Generative Modeling through SDEs", App. I.2 and the
/// score_sde controllable-generation inpainter): after every reverse step to time t the observed coordinates are overwritten
/// with α_t y + σ_t z, a draw of the forward marginal of the observation, and only the unknown coordinates follow the
/// reverse dynamics. The measurement noise s is ignored (y is taken as the exact value of the observed coordinates), so
/// the method approximates p(x | y) at best as s → 0.
/// </summary>
public sealed class ReplacementSampler : InverseProblemSolver
{
    /// <summary>Replacement around <paramref name="inner"/>; A must select coordinates.</summary>
    public ReplacementSampler(LinearMeasurement measurement, ISolver inner)
        : base(measurement, inner, "replacement", 0, "Inpainting by replacement of the observed coordinates (Song et al. 2021 App. I.2).")
    {
        RequireCoordinateSelection(measurement, "replacement");
    }

    /// <inheritdoc />
    protected override Solution Advance(SamplingProblem problem, Batch x, TimeGrid grid, int interval, SolveOptions options)
    {
        if (interval == 0) Replace(problem, x, grid[0], options.Noise.Derive(CorrectionTag + (ulong)grid.Steps), options.FirstParticle);
        var solution = InnerStep(problem, x, grid[interval], grid[interval + 1], options, (ulong)interval);
        if (solution.IsSuccess) Replace(problem, x, grid[interval + 1], options.Noise.Derive(CorrectionTag + (ulong)interval), options.FirstParticle);
        return solution;
    }
}

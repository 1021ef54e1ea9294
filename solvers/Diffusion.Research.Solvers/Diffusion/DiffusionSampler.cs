using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Base of the fixed-step diffusion samplers (DDPM, DDIM, EDM, DPM-Solver family, ancestral, multistep, Restart): a
/// <see cref="FixedStepSolver"/> whose step receives the <see cref="DiffusionProblem"/> (forward SDE, kernel, score, all
/// non-null; the base's argument checks have refused any other problem), so a step reads like its paper's algorithm with
/// the model outputs of <see cref="DiffusionProblem"/> (<see cref="DiffusionProblem.PredictNoise"/> ε̂,
/// <see cref="DiffusionProblem.Denoise"/> D, <see cref="DiffusionProblem.PredictNoiseAtLevel"/>) and the keyed noise of
/// <see cref="StepInfo.AddNoise"/>. Public so that a sampler written outside this assembly (C# or F#) is a first-class one.
/// </summary>
public abstract class DiffusionSampler : FixedStepSolver, IDiffusionSampler
{
    /// <summary>Advances the chunk <paramref name="x"/> in place from <see cref="StepInfo.Time"/> to <see cref="StepInfo.NextTime"/> (see <see cref="FixedStepSolver"/>).</summary>
    protected abstract void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace);

    /// <summary>Sampler-specific checks before the loop (after the shared ones); throw an <see cref="ArgumentException"/> to refuse.</summary>
    protected virtual void Validate(DiffusionProblem problem, Batch x, TimeGrid grid)
    {
    }

    /// <summary>Called once per chunk before its first step (see <see cref="FixedStepSolver"/>): where a multistep sampler empties its history.</summary>
    protected virtual void Begin(DiffusionProblem problem, TimeGrid grid, Batch x, Workspace workspace)
    {
    }

    /// <inheritdoc />
    protected sealed override void Begin(SamplingProblem problem, TimeGrid grid, Batch x, Workspace workspace) => Begin(problem.Diffusion, grid, x, workspace);

    /// <inheritdoc />
    protected sealed override void Step(SamplingProblem problem, StepInfo step, Batch x, Workspace workspace) => Step(problem.Diffusion, step, x, workspace);

    /// <inheritdoc />
    protected sealed override void Validate(SamplingProblem problem, Batch x, TimeGrid grid) => Validate(problem.Diffusion, x, grid);
}

namespace Diffusion.Research.Sampling;

/// <summary>
/// A solver that reads <see cref="SamplingProblem.Diffusion"/> (the forward SDE, its closed-form kernel and the score),
/// not only the drift and diffusion of <see cref="SamplingProblem.Dynamics"/>: DDPM, DDIM, EDM, the DPM-Solver family,
/// the ancestral and multistep samplers, predictor–corrector, annealed Langevin, Restart and the posterior samplers.
/// The solvers' argument checks refuse a problem without a diffusion model for every such solver in one place
/// (<c>ProblemGuard.Check</c>), so the type, not a flag, says what a solver needs.
/// </summary>
public interface IDiffusionSampler : ISolver
{
}

using Diffusion.Research.Kernels;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Sampling;

/// <summary>
/// What a diffusion-aware sampler reads: the forward SDE, its closed-form perturbation kernel
/// p_t(x_t | x_0) = N(α_t x_0, σ_t² I) and the score model, all non-null, and the l of the reverse family
/// (001 eqs 85–87; Song et al. 2021, "Score-based generative modeling through SDEs", eqs 6 and 13).
/// Get it from <see cref="SamplingProblem.Diffusion"/>.
/// </summary>
public sealed class DiffusionProblem
{
    internal DiffusionProblem(ISde sde, IKernel kernel, IScoreModel score, double lambda)
    {
        Sde = sde;
        Kernel = kernel;
        Score = score;
        Lambda = lambda;
    }

    /// <summary>The forward SDE.</summary>
    public ISde Sde { get; }

    /// <summary>Its perturbation kernel.</summary>
    public IKernel Kernel { get; }

    /// <summary>The score model s(x, t) ≈ ∇ log p_t(x).</summary>
    public IScoreModel Score { get; }

    /// <summary>The l of the reverse-time family (0: PF-ODE, 1: reverse SDE).</summary>
    public double Lambda { get; }
}

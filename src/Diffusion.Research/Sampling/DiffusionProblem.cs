using System.Numerics.Tensors;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Sampling;

/// <summary>
/// What a diffusion-aware sampler reads: the forward SDE, its closed-form perturbation kernel
/// p_t(x_t | x_0) = N(α_t x_0, σ_t² I) and the score model, all non-null, and the l of the reverse family
/// (001 eqs 85–87; Song et al. 2021, "Score-based generative modeling through SDEs", eqs 6 and 13).
/// Get it from <see cref="SamplingProblem.Diffusion"/>. Besides the three parts it gives the model outputs a sampler's
/// paper writes (003 §3; Song, Meng, Ermon 2021 eq 12; Karras et al. 2022 eq 3): the noise prediction
/// ε̂(x, t) = −σ_t s(x, t) (<see cref="PredictNoise"/>), the denoiser D = x̂_0(x, t) = (x + σ_t² s(x, t))/α_t
/// (<see cref="Denoise"/>, Tweedie) and ε̂ at an EDM noise level σ̂ = σ_t/α_t of the scaled state x̂ = x/α_t
/// (<see cref="PredictNoiseAtLevel"/>). Each evaluates the score once and allocates nothing.
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

    /// <summary>ε̂(x, t) = −σ_t s(x, t), the noise prediction (003 §3; Ho et al. 2020 eq 11), into <paramref name="destination"/>.</summary>
    public void PredictNoise(double t, Batch x, Batch destination)
    {
        Score.Score(t, x, destination);
        TensorPrimitives.Multiply(destination.Values, -Kernel.Sigma(t), destination.Values);
    }

    /// <summary>
    /// D(x, t) = x̂_0 = x/α_t + (σ_t²/α_t) s(x, t), the denoiser (Tweedie; 003 §3, Karras et al. 2022 eq 3 in x̂ = x/α_t),
    /// into <paramref name="destination"/>; <paramref name="score"/> is scratch of x's shape (not aliasing x or destination).
    /// </summary>
    public void Denoise(double t, Batch x, Batch score, Batch destination)
    {
        double alpha = Kernel.Alpha(t), sigma = Kernel.Sigma(t);
        Score.Score(t, x, score);
        TensorPrimitives.Multiply(x.Values, 1 / alpha, destination.Values);
        TensorPrimitives.MultiplyAdd(score.Values, sigma * sigma / alpha, destination.Values, destination.Values);
    }

    /// <summary>
    /// ε̂ at the EDM noise level <paramref name="sigmaHat"/> = σ_τ/α_τ of the scaled state <paramref name="xHat"/>:
    /// −σ_τ s(α_τ x̂, τ) = (x̂ − D(x̂; σ̂))/σ̂ (Karras et al. 2022 eq 3 and §4), with τ found in [0, <paramref name="latest"/>]
    /// (σ̂ may lie below every grid level). <paramref name="scaled"/> is scratch and may alias <paramref name="xHat"/>
    /// (which is then overwritten).
    /// </summary>
    public void PredictNoiseAtLevel(double sigmaHat, double latest, Batch xHat, Batch scaled, Batch destination)
    {
        var tau = Kernel.TimeAtSigmaRatio(sigmaHat, 0, latest);
        double alpha = Kernel.Alpha(tau), sigma = Kernel.Sigma(tau);
        TensorPrimitives.Multiply(xHat.Values, alpha, scaled.Values);
        Score.Score(tau, scaled, destination);
        TensorPrimitives.Multiply(destination.Values, -sigma, destination.Values);
    }
}

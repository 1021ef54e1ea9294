using System.Numerics.Tensors;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The sampler of Karras et al. 2022 (Alg. 2; Alg. 1 without churn): Heun's method on the probability-flow
/// ODE written in the EDM noise level σ = σ_t/α_t and the scaled state x̂ = x/α_t, where it reads
/// dx̂/dσ = (x̂ − D(x̂; σ))/σ = −σ α_t s(α_t x̂, t) (D the denoiser, D = x̂ + σ² ∇log p̂ by Tweedie, 003 §3; Efron 2011;
/// Karras et al. 2022, eq (3)),
/// with optional <see cref="Churn"/> before each step. For VE (α = 1) this is Alg. 2 verbatim.
/// Two score evaluations per step (the grid ends at t_eps &gt; 0, so the last step is Heun too).
/// </summary>
public sealed class EdmHeun : FixedStepSolver
{
    /// <summary>The sampler with <paramref name="churn"/> (default: none, deterministic).</summary>
    public EdmHeun(Churn? churn = null)
    {
        Churn = churn ?? Churn.None;
        Churn.Validate();
        Traits = new SolverTraits("edm", 2, Churn.IsDeterministic ? 0 : 0.5, IsStochastic: !Churn.IsDeterministic, IsAdaptive: false, NfePerStep: 2,
            RequiresDiffusionModel: true, "EDM sampler (Karras et al. 2022 Alg. 2): Heun in sigma with optional churn.");
    }

    /// <summary>The churn settings.</summary>
    public Churn Churn { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int Registers => 4;

    /// <inheritdoc />
    protected override void Step(SamplingProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var sde = problem.Diffusion.Sde;
        var kernel = problem.Diffusion.Kernel;
        var scoreModel = problem.Diffusion.Score;
        var rows = x.Count;
        double t = step.Time, s = step.NextTime;
        double alphaT = kernel.Alpha(t), alphaS = kernel.Alpha(s);
        double sigma = kernel.Sigma(t) / alphaT, sigmaNext = kernel.Sigma(s) / alphaS;
        var score = workspace.Register(0, rows);
        var d = workspace.Register(1, rows);
        var probe = workspace.Register(2, rows);

        // x̂ = x/α_t, in place.
        TensorPrimitives.Multiply(x.Values, 1 / alphaT, x.Values);

        // Churn (Karras Alg. 2 lines 4–6): σ̂ = σ (1 + γ), x̂ += sqrt(σ̂² − σ²) S_noise z; σ̂ is capped at σ(T).
        var sigmaHat = sigma;
        var tHat = t;
        var gamma = Churn.Gamma(sigma, step.Steps);
        if (gamma > 0)
        {
            var sigmaTop = kernel.Sigma(sde.T) / kernel.Alpha(sde.T);
            sigmaHat = Math.Min(sigma * (1 + gamma), sigmaTop);
            if (sigmaHat > sigma)
            {
                tHat = sigmaHat == sigmaTop ? sde.T : kernel.TimeAtSigmaRatio(sigmaHat, t, sde.T);
                var z = workspace.Register(3, rows);
                step.FillGaussian((uint)step.Index, z);
                TensorPrimitives.MultiplyAdd(z.Values, Math.Sqrt(sigmaHat * sigmaHat - sigma * sigma) * Churn.SNoise, x.Values, x.Values);
            }
            else sigmaHat = sigma;
        }

        HeunInSigma(scoreModel, kernel, tHat, sigmaHat, s, sigmaNext, x, score, d, probe);

        // Back to x = α_s x̂.
        TensorPrimitives.Multiply(x.Values, alphaS, x.Values);
    }

    /// <summary>
    /// One Heun step on x̂ (in place) from (t̂, σ̂) to (s, σ_next) (Karras et al. 2022 Alg. 2 lines 7–11); shared with
    /// <see cref="RestartSampler"/>, whose ODE part is this sampler. score, d and probe are scratch of x̂'s shape.
    /// </summary>
    internal static void HeunInSigma(Scores.IScoreModel scoreModel, IKernel kernel, double tHat, double sigmaHat, double s, double sigmaNext,
        Batch x, Batch score, Batch d, Batch probe)
    {
        // d = −σ̂ α(t̂) s(α(t̂) x̂, t̂)   (Alg. 2 line 7)
        Slope(scoreModel, kernel, tHat, sigmaHat, x, probe, score, d);
        // Euler: x̂' = x̂ + (σ_{i+1} − σ̂) d   (line 8), kept in probe
        var h = sigmaNext - sigmaHat;
        TensorPrimitives.MultiplyAdd(d.Values, h, x.Values, probe.Values);
        // Heun correction (lines 9–11): x̂_{i+1} = x̂ + h (d + d')/2
        TensorPrimitives.MultiplyAdd(d.Values, 0.5 * h, x.Values, x.Values);
        Slope(scoreModel, kernel, s, sigmaNext, probe, probe, score, d);
        TensorPrimitives.MultiplyAdd(d.Values, 0.5 * h, x.Values, x.Values);
    }

    // dx̂/dσ at (x̂, σ) with σ = σ_t/α_t: −σ α_t s(α_t x̂, t). scaled may alias xHat (its value is then overwritten).
    private static void Slope(Scores.IScoreModel scoreModel, IKernel kernel, double t, double sigma, Batch xHat, Batch scaled, Batch score, Batch destination)
    {
        var alpha = kernel.Alpha(t);
        TensorPrimitives.Multiply(xHat.Values, alpha, scaled.Values);
        scoreModel.Score(t, scaled, score);
        TensorPrimitives.Multiply(score.Values, -sigma * alpha, destination.Values);
    }
}

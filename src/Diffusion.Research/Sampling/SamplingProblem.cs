using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Sampling;

/// <summary>
/// What a solver integrates. Generic integrators read only <see cref="Dynamics"/>; diffusion-aware
/// samplers (DDPM, DDIM, predictor–corrector, annealed Langevin, DPM-Solver, EDM) also read the forward
/// <see cref="Sde"/> (with its kernel) and the <see cref="Score"/>.
/// </summary>
public sealed class SamplingProblem
{
    private readonly DiffusionProblem? _diffusion;

    private SamplingProblem(IDynamics dynamics, ISde? sde, IScoreModel? score, double lambda)
    {
        Dynamics = dynamics;
        Sde = sde;
        Score = score;
        Lambda = lambda;
        if (sde?.Kernel is { } kernel && score is not null) _diffusion = new DiffusionProblem(sde, kernel, score, lambda);
    }

    /// <summary>Drift and diffusion as generic integrators see them.</summary>
    public IDynamics Dynamics { get; }

    /// <summary>The forward SDE, for diffusion-aware samplers; null for a plain SDE/ODE problem.</summary>
    public ISde? Sde { get; }

    /// <summary>The score model, for diffusion-aware samplers; null for a plain SDE/ODE problem.</summary>
    public IScoreModel? Score { get; }

    /// <summary>The l of the reverse-time family (0: PF-ODE, 1: reverse SDE); NaN for a plain problem.</summary>
    public double Lambda { get; }

    /// <summary>True when the forward SDE and the score are known.</summary>
    public bool IsDiffusionModel => Sde is not null && Score is not null;

    /// <summary>True when <see cref="Diffusion"/> is available: the SDE has a closed-form kernel and the score is known.</summary>
    public bool HasDiffusion => _diffusion is not null;

    /// <summary>
    /// The forward SDE, its kernel and the score, all non-null, for diffusion-aware samplers (the solvers' argument
    /// checks ensure it exists before they call it); throws <see cref="InvalidOperationException"/> for a plain problem.
    /// </summary>
    public DiffusionProblem Diffusion => _diffusion
        ?? throw new InvalidOperationException("This problem has no forward SDE with a closed-form kernel and score model; only generic integrators solve it.");

    /// <summary>Sampling with the reverse-time family dx = [f − (1+l²)/2 g² s] dt + l g dW̄ (001 eqs 85–87; Song et al. 2021,
    /// eqs (6), (13); Zhang and Chen 2023).</summary>
    public static SamplingProblem Reverse(ISde sde, IScoreModel score, double lambda)
    {
        ArgumentNullException.ThrowIfNull(sde);
        ArgumentNullException.ThrowIfNull(score);
        return new SamplingProblem(new ReverseSde(sde, score, lambda), sde, score, lambda);
    }

    /// <summary>Any SDE or ODE given by drift and diffusion.</summary>
    public static SamplingProblem Of(IDynamics dynamics)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        return new SamplingProblem(dynamics, null, null, double.NaN);
    }
}

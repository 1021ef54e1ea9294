using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Training;

/// <summary>The registries of losses, weightings, t-samplings and optimisers a trainer resolves names in.</summary>
public sealed class TrainingRegistries
{
    /// <summary>Empty registries.</summary>
    public TrainingRegistries()
    {
    }

    /// <summary>Losses.</summary>
    public TrainingRegistry<IScoreLoss> Losses { get; } = new("loss");

    /// <summary>Weightings λ(t).</summary>
    public TrainingRegistry<ILossWeighting> Weightings { get; } = new("weighting");

    /// <summary>t-samplings.</summary>
    public TrainingRegistry<ITimeSampling> TimeSamplings { get; } = new("t-sampling");

    /// <summary>Optimisers (names only: built by the trainer from the options).</summary>
    public IReadOnlyList<RegistryEntry> Optimizers { get; } =
    [
        new("adam", "Adam with bias correction (weight decay as an L2 term)"),
        new("adamw", "Adam with decoupled weight decay (AdamW)"),
        new("sgd", "SGD with heavy-ball momentum"),
    ];

    /// <summary>Registries holding every built-in component.</summary>
    public static TrainingRegistries CreateDefault()
    {
        var r = new TrainingRegistries();
        r.Losses
            .Register("esm", "explicit score matching against the exact score of p_t (000 J_ESM; 001 eq 8)", _ => new ExplicitScoreMatchingLoss())
            .Register("ism", "implicit score matching, exact trace by D backward passes (000 J_ISM; 001 ISM)", _ => new ImplicitScoreMatchingLoss())
            .Register("ssm", "sliced score matching, K Hutchinson probes (003 sliced SM objective)", c => new SlicedScoreMatchingLoss(c.Options.Probes, c.Options.ProbeKind, c.Options.VarianceReduced))
            .Register("dsm", "denoising score matching, target -eps/sigma (001 eqs 12, 41, 61; 002 eq 3)", _ => new DenoisingScoreMatchingLoss(Prediction.Score))
            .Register("eps", "noise regression ||eps_theta - eps||^2 (002 noise-prediction objective)", _ => new DenoisingScoreMatchingLoss(Prediction.Epsilon))
            .Register("x0", "data regression ||x0_theta - x0||^2 (Tweedie denoiser, 003 §3.3.4)", _ => new DenoisingScoreMatchingLoss(Prediction.Data))
            .Register("v", "velocity regression ||v_theta - v||^2, v = alpha eps - sigma x0", _ => new DenoisingScoreMatchingLoss(Prediction.Velocity));
        r.Weightings
            .Register("uniform", "lambda(t) = 1", _ => new UniformWeighting())
            .Register("sigma2", "lambda(t) = sigma_t^2 (DSM = eps regression; 001 eq 41)", c => new SigmaSquaredWeighting(c.Kernel))
            .Register("likelihood", "lambda(t) = g(t)^2 (likelihood weighting)", c => new LikelihoodWeighting(c.Sde))
            .Register("snr", "lambda(t) = alpha_t^2 / sigma_t^2", c => new SnrWeighting(c.Kernel))
            .Register("min-snr", "lambda(t) = sigma_t^2 min(SNR, gamma)/SNR (min-SNR-gamma)", c => new MinSnrWeighting(c.Kernel, c.Options.MinSnrGamma));
        r.TimeSamplings
            .Register("uniform", "t ~ U[t_eps, T] (002 time cut-off)", c => new UniformTimeSampling(c.Options.TimeEpsilon, c.Sde.T))
            .Register("importance", "t ~ pi(t) ∝ 1/sigma_t^2 on [t_eps, T], reweighted to the uniform objective (002)", c => new ImportanceTimeSampling(c.Kernel, c.Options.TimeEpsilon, c.Sde.T))
            .Register("lognormal", "ln sigma ~ N(P_mean, P_std^2) mapped to t (EDM)", c => new LogNormalTimeSampling(c.Kernel, c.Options.TimeEpsilon, c.Sde.T, c.Options.LogNormalMean, c.Options.LogNormalStd))
            .Register("fixed", "a single time (single-sigma DSM)", c => new FixedTimeSampling(c.Options.FixedTime))
            .Register("ncsn", "L geometric noise levels, one drawn per particle (001 eq 41)", c => new NoiseLevelTimeSampling(
                c.Kernel, c.Options.TimeEpsilon, c.Sde.T, c.Options.NoiseLevels,
                c.Options.SigmaMin > 0 ? c.Options.SigmaMin : c.Kernel.Sigma(c.Options.TimeEpsilon),
                c.Options.SigmaMax > 0 ? c.Options.SigmaMax : c.Kernel.Sigma(c.Sde.T)));
        return r;
    }
}

using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Registries;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Training;

/// <summary>
/// The registries of losses, weightings, t-samplings and optimisers a trainer resolves names in. Build one set with
/// <see cref="CreateDefault"/> in the composition root and hand the same instance to every trainer and to the name
/// listing, so a component registered once is seen everywhere.
/// </summary>
public sealed class TrainingRegistries
{
    private static readonly TrainingOptions Defaults = new();

    /// <summary>Empty registries.</summary>
    public TrainingRegistries()
    {
    }

    /// <summary>Losses (<c>train.loss</c>).</summary>
    public TrainingRegistry<IScoreLoss> Losses { get; } = new("loss");

    /// <summary>Weightings λ(t) (<c>train.weighting</c>).</summary>
    public TrainingRegistry<ILossWeighting> Weightings { get; } = new("weighting");

    /// <summary>t-samplings (<c>train.t_sampling</c>).</summary>
    public TrainingRegistry<ITimeSampling> TimeSamplings { get; } = new("t-sampling");

    /// <summary>Optimisers (<c>train.optimizer</c>).</summary>
    public Registry<OptimizerContext, IOptimizer> Optimizers { get; } = new("optimizer");

    /// <summary>Registries holding every built-in component.</summary>
    public static TrainingRegistries CreateDefault()
    {
        var r = new TrainingRegistries();
        var probes = ParameterSpec.Integer("train.probes", Defaults.Probes, "Hutchinson probes");
        var gamma = ParameterSpec.Real("train.gamma", Defaults.MinSnrGamma, "gamma of min-SNR");
        var tEps = ParameterSpec.Real("train.t_eps", Defaults.TimeEpsilon, "smallest training time");
        r.Losses
            .Register("esm", "explicit score matching against the exact score of p_t (000 J_ESM; 001 eq 8; Hyvarinen 2005)", _ => new ExplicitScoreMatchingLoss())
            .Register("ism", "implicit score matching, exact trace by D backward passes (000 J_ISM; 001 ISM; Hyvarinen 2005 Thm 1)", _ => new ImplicitScoreMatchingLoss())
            .Register("ssm", "sliced score matching, K Hutchinson probes (003 sliced SM objective; Song et al. 2019, UAI)", c => new SlicedScoreMatchingLoss(c.Options.Probes, c.Options.ProbeKind, c.Options.VarianceReduced), probes)
            .Register("dsm", "denoising score matching, target -eps/sigma (001 eqs 12, 41, 61; 002 eq 3; Vincent 2011)", _ => new DenoisingScoreMatchingLoss(Prediction.Score))
            .Register("eps", "noise regression ||eps_theta - eps||^2 (002 noise-prediction objective; Ho et al. 2020 eq 14)", _ => new DenoisingScoreMatchingLoss(Prediction.Epsilon))
            .Register("x0", "data regression ||x0_theta - x0||^2 (Tweedie denoiser, 003 §3.3.4; Efron 2011)", _ => new DenoisingScoreMatchingLoss(Prediction.Data))
            .Register("v", "velocity regression ||v_theta - v||^2, v = alpha eps - sigma x0", _ => new DenoisingScoreMatchingLoss(Prediction.Velocity));
        r.Weightings
            .Register("uniform", "lambda(t) = 1", _ => new UniformWeighting())
            .Register("sigma2", "lambda(t) = sigma_t^2 (DSM = eps regression; 001 eq 41)", c => new SigmaSquaredWeighting(c.Kernel))
            .Register("likelihood", "lambda(t) = g(t)^2 (likelihood weighting; Song, Durkan et al. 2021 Thm 1)", c => new LikelihoodWeighting(c.Sde))
            .Register("snr", "lambda(t) = alpha_t^2 / sigma_t^2", c => new SnrWeighting(c.Kernel))
            .Register("min-snr", "lambda(t) = sigma_t^2 min(SNR, gamma)/SNR (min-SNR-gamma; Hang et al. 2023)", c => new MinSnrWeighting(c.Kernel, c.Options.MinSnrGamma), gamma);
        r.TimeSamplings
            .Register("uniform", "t ~ U[t_eps, T] (002 time cut-off)", c => new UniformTimeSampling(c.Options.TimeEpsilon, c.Sde.T), tEps)
            .Register("importance", "t ~ pi(t) ∝ 1/sigma_t^2 on [t_eps, T], reweighted to the uniform objective (002)", c => new ImportanceTimeSampling(c.Kernel, c.Options.TimeEpsilon, c.Sde.T), tEps)
            .Register("lognormal", "ln sigma ~ N(P_mean, P_std^2) mapped to t (EDM; Karras et al. 2022)", c => new LogNormalTimeSampling(c.Kernel, c.Options.TimeEpsilon, c.Sde.T, c.Options.LogNormalMean, c.Options.LogNormalStd),
                tEps, ParameterSpec.Real("train.lognormal_mean", Defaults.LogNormalMean, "P_mean"), ParameterSpec.Real("train.lognormal_std", Defaults.LogNormalStd, "P_std"))
            .Register("fixed", "a single time (single-sigma DSM)", c => new FixedTimeSampling(c.Options.FixedTime), ParameterSpec.Real("train.fixed_t", Defaults.FixedTime, "the time"))
            .Register("ncsn", "L geometric noise levels, one drawn per particle (001 eq 41; Song & Ermon 2019)", c => new NoiseLevelTimeSampling(
                c.Kernel, c.Options.TimeEpsilon, c.Sde.T, c.Options.NoiseLevels,
                c.Options.SigmaMin > 0 ? c.Options.SigmaMin : c.Kernel.Sigma(c.Options.TimeEpsilon),
                c.Options.SigmaMax > 0 ? c.Options.SigmaMax : c.Kernel.Sigma(c.Sde.T)),
                tEps, ParameterSpec.Integer("train.levels", Defaults.NoiseLevels, "noise levels L"),
                ParameterSpec.Real("train.sigma_min", Defaults.SigmaMin, "smallest sigma, 0 = sigma(t_eps)"), ParameterSpec.Real("train.sigma_max", Defaults.SigmaMax, "largest sigma, 0 = sigma(T)"));
        var beta1 = ParameterSpec.Real("train.beta1", Defaults.Beta1, "Adam beta1");
        var beta2 = ParameterSpec.Real("train.beta2", Defaults.Beta2, "Adam beta2");
        var decay = ParameterSpec.Real("train.weight_decay", Defaults.WeightDecay, "weight decay");
        // Adam: Kingma & Ba 2015 Alg. 1 (epsilon 1e-8); AdamW: Loshchilov & Hutter 2019 Alg. 2; SGD with heavy-ball momentum.
        r.Optimizers
            .Add("adam", "Adam with bias correction (weight decay as an L2 term)", c => new Adam(c.Parameters, c.Options.Beta1, c.Options.Beta2, 1e-8, c.Options.WeightDecay, decoupled: false), beta1, beta2, decay)
            .Add("adamw", "Adam with decoupled weight decay (AdamW)", c => new Adam(c.Parameters, c.Options.Beta1, c.Options.Beta2, 1e-8, c.Options.WeightDecay, decoupled: true), beta1, beta2, decay)
            .Add("sgd", "SGD with heavy-ball momentum", c => new Sgd(c.Parameters, c.Options.Momentum, c.Options.WeightDecay), ParameterSpec.Real("train.momentum", Defaults.Momentum, "momentum"), decay);
        return r;
    }
}

using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Nn.Training;

/// <summary>
/// The registries of losses, weightings, t-samplings and optimisers a trainer resolves names in. Build one set with
/// <see cref="CreateDefault"/> in the composition root and hand the same instance to every trainer and to the name
/// listing, so a component registered once is seen everywhere.
/// </summary>
public sealed class TrainingRegistries
{
    /// <summary>The defaults the parameter schemas show (read from <see cref="TrainingOptions"/>).</summary>
    internal static TrainingOptions Defaults { get; } = new();

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

    /// <summary>Registries holding every built-in component (each registers itself beside its class), in the listed order.</summary>
    public static TrainingRegistries CreateDefault()
    {
        var r = new TrainingRegistries();
        ExplicitScoreMatchingLoss.Register(r);
        ImplicitScoreMatchingLoss.Register(r);
        SlicedScoreMatchingLoss.Register(r);
        DenoisingScoreMatchingLoss.Register(r); // dsm, eps, x0, v
        UniformWeighting.Register(r);
        SigmaSquaredWeighting.Register(r);
        LikelihoodWeighting.Register(r);
        SnrWeighting.Register(r);
        MinSnrWeighting.Register(r);
        UniformTimeSampling.Register(r);
        ImportanceTimeSampling.Register(r);
        LogNormalTimeSampling.Register(r);
        FixedTimeSampling.Register(r);
        NoiseLevelTimeSampling.Register(r);
        Adam.Register(r); // adam, adamw
        Sgd.Register(r);
        return r;
    }

    /// <summary>The start of the training times [t_eps, T] of a t-sampling on that interval: t_eps, after checking that it
    /// lies below the SDE's horizon T (a located error at <c>train.t_eps</c> instead of the interval's own check, which
    /// names no key).</summary>
    internal static double TimeEpsilon(TrainingContext c)
    {
        if (!(c.Options.TimeEpsilon < c.Sde.T))
            throw new ArgumentException($"t_eps must be below the SDE's horizon T = {c.Sde.T.ToString(System.Globalization.CultureInfo.InvariantCulture)} (training times lie in [t_eps, T]), got {c.Options.TimeEpsilon.ToString(System.Globalization.CultureInfo.InvariantCulture)}.", "train.t_eps");
        return c.Options.TimeEpsilon;
    }

    /// <summary><c>train.t_eps</c>, read by the t-samplings on [t_eps, T].</summary>
    internal static ParameterSpec TimeEpsilonParameter { get; } = ParameterSpec.Real("train.t_eps", Defaults.TimeEpsilon, "smallest training time");

    /// <summary><c>train.weight_decay</c>, read by every optimiser.</summary>
    internal static ParameterSpec WeightDecayParameter { get; } = ParameterSpec.Real("train.weight_decay", Defaults.WeightDecay, "weight decay");
}

using System.Globalization;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Registries;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Training;

/// <summary>
/// The keys of a <c>model: {kind: mlp | ebm, ...}</c> block with its nested <c>train:</c> block, bound to a
/// <see cref="TrainingOptions"/>. The YAML layer flattens the block to dotted keys ("width", "train.lr") and
/// calls <see cref="Bind"/>; every error is an <see cref="ArgumentException"/> whose ParamName is the dotted
/// key at fault (with <c>prefix</c>, e.g. "model.train.lr"). <see cref="Keys"/> lists every key with a one-line
/// description for <c>diffusion list</c>.
/// </summary>
public static class NeuralModelSettings
{
    // One row per key: the dotted key, its description (default in parentheses), how a value applies to the options, and
    // the option properties it sets (their validation errors are reported at this key).
    private sealed record Setting(string Key, string Description, Func<TrainingOptions, string, TrainingOptions> Apply, params string[] Properties);

    private static readonly Setting[] Settings =
    [
        new("width", "hidden width (128)", (o, v) => o with { Model = o.Model with { Width = Int(v) } }, "Width"),
        new("layers", "hidden layers (3)", (o, v) => o with { Model = o.Model with { HiddenLayers = Int(v) } }, "HiddenLayers"),
        new("activation", "silu | tanh | softplus (silu)", (o, v) => o with { Model = o.Model with { Activation = Enum<Activation>(v) } }),
        new("residual", "residual hidden layers h + act(W h + b) (false)", (o, v) => o with { Model = o.Model with { Residual = Bool(v) } }),
        new("embedding", "time embedding: fourier | sinusoidal (fourier)", (o, v) => o with { Model = o.Model with { Embedding = v.Trim().ToLowerInvariant() switch
        {
            "fourier" => TimeEmbeddingKind.GaussianFourier,
            "sinusoidal" => TimeEmbeddingKind.Sinusoidal,
            _ => throw new FormatException("expected fourier or sinusoidal"),
        } } }),
        new("frequencies", "embedding frequencies F (2F features) (16)", (o, v) => o with { Model = o.Model with { EmbeddingFrequencies = Int(v) } }, "EmbeddingFrequencies"),
        new("fourier_scale", "std of the Fourier frequencies (1)", (o, v) => o with { Model = o.Model with { FourierScale = Double(v) } }, "FourierScale"),
        new("output", "mlp output: score | eps | x0 | v, converted through the kernel (eps)", (o, v) => o with { Model = o.Model with { Output = v.Trim().ToLowerInvariant() switch
        {
            "score" => Prediction.Score,
            "eps" or "epsilon" => Prediction.Epsilon,
            "x0" or "data" => Prediction.Data,
            "v" or "velocity" => Prediction.Velocity,
            _ => throw new FormatException("expected score, eps, x0 or v"),
        } } }),
        new("init_seed", "seed of the weight initialisation (1)", (o, v) => o with { Model = o.Model with { Seed = ULong(v) } }),
        new("train.loss", "esm | ism | ssm | dsm | eps | x0 | v (dsm)", (o, v) => o with { Loss = v.Trim() }),
        new("train.weighting", "uniform | sigma2 | likelihood | snr | min-snr (sigma2)", (o, v) => o with { Weighting = v.Trim() }),
        new("train.t_sampling", "uniform | importance | lognormal | fixed | ncsn (uniform)", (o, v) => o with { TimeSampling = v.Trim() }),
        new("train.steps", "optimiser steps (2000)", (o, v) => o with { Steps = Int(v) }, "Steps", "TotalSteps"),
        new("train.batch", "particles per step (256)", (o, v) => o with { BatchSize = Int(v) }, "BatchSize"),
        new("train.optimizer", "adam | adamw | sgd (adam)", (o, v) => o with { Optimizer = v.Trim() }),
        new("train.lr", "peak learning rate (1e-3)", (o, v) => o with { LearningRate = Double(v) }, "BaseRate", "LearningRate"),
        new("train.min_lr", "final learning rate of the cosine decay (0)", (o, v) => o with { MinLearningRate = Double(v) }, "MinimumRate", "MinLearningRate"),
        new("train.warmup", "linear warm-up steps (0)", (o, v) => o with { WarmupSteps = Int(v) }, "WarmupSteps"),
        new("train.cosine", "cosine decay after warm-up (false)", (o, v) => o with { CosineDecay = Bool(v) }),
        new("train.beta1", "Adam beta1 (0.9)", (o, v) => o with { Beta1 = Double(v) }),
        new("train.beta2", "Adam beta2 (0.999)", (o, v) => o with { Beta2 = Double(v) }),
        new("train.weight_decay", "weight decay (0; decoupled for adamw)", (o, v) => o with { WeightDecay = Double(v) }, "WeightDecay"),
        new("train.momentum", "SGD momentum (0.9)", (o, v) => o with { Momentum = Double(v) }, "Momentum"),
        new("train.clip", "global gradient-norm clip, 0 = off (0)", (o, v) => o with { ClipNorm = Double(v) }, "ClipNorm"),
        new("train.ema", "EMA decay of the weights, 0 = off (0)", (o, v) => o with { EmaDecay = Double(v) }, "EmaDecay"),
        new("train.t_eps", "smallest training time (1e-3)", (o, v) => o with { TimeEpsilon = Double(v) }, "TimeEpsilon"),
        new("train.fixed_t", "time of the fixed t-sampling (0.1)", (o, v) => o with { FixedTime = Double(v) }, "FixedTime"),
        new("train.probes", "Hutchinson probes of ssm (1)", (o, v) => o with { Probes = Int(v) }, "Probes"),
        new("train.probe", "rademacher | gaussian (rademacher)", (o, v) => o with { ProbeKind = Enum<ProbeKind>(v) }),
        new("train.variance_reduced", "ssm with 1/2 |s|^2 in place of 1/2 (u.s)^2 (false)", (o, v) => o with { VarianceReduced = Bool(v) }),
        new("train.gamma", "gamma of min-snr (5)", (o, v) => o with { MinSnrGamma = Double(v) }, "MinSnrGamma"),
        new("train.levels", "NCSN noise levels L (10)", (o, v) => o with { NoiseLevels = Int(v) }, "NoiseLevels"),
        new("train.sigma_min", "smallest NCSN sigma, 0 = sigma(t_eps) (0)", (o, v) => o with { SigmaMin = Double(v) }, "SigmaMin"),
        new("train.sigma_max", "largest NCSN sigma, 0 = sigma(T) (0)", (o, v) => o with { SigmaMax = Double(v) }, "SigmaMax"),
        new("train.lognormal_mean", "EDM P_mean (-1.2)", (o, v) => o with { LogNormalMean = Double(v) }, "LogNormalMean"),
        new("train.lognormal_std", "EDM P_std (1.2)", (o, v) => o with { LogNormalStd = Double(v) }, "LogNormalStd"),
        new("train.seed", "seed of data, times and noise (0)", (o, v) => o with { Seed = ULong(v) }),
        new("train.threads", "threads of the matrix products; results do not depend on it (1)", (o, v) => o with { Threads = Int(v) }, "Threads"),
    ];

    /// <summary>Every key with its description (default in parentheses).</summary>
    public static IReadOnlyList<RegistryEntry> Keys { get; } = Settings.Select(s => new RegistryEntry(s.Key, s.Description)).ToArray();

    /// <summary>The model kinds: mlp and ebm.</summary>
    public static IReadOnlyList<RegistryEntry> Kinds { get; } =
    [
        new("mlp", "MLP score network on [x, embed(t)], output score/eps/x0/v converted through the kernel"),
        new("ebm", "MLP energy E(x, t), score = -grad_x E (trained through the gradient)"),
    ];

    /// <summary>
    /// The options described by <paramref name="values"/> (dotted keys without the prefix) for model kind
    /// <paramref name="kind"/> ("mlp" or "ebm"), starting from <paramref name="defaults"/> (or <c>new TrainingOptions()</c>).
    /// Names of losses, weightings and t-samplings are checked against <paramref name="registries"/> (the built-in ones when null).
    /// </summary>
    public static TrainingOptions Bind(string kind, IReadOnlyDictionary<string, string> values, string prefix = "model",
        TrainingOptions? defaults = null, TrainingRegistries? registries = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        prefix ??= "";
        string Full(string key) => prefix.Length == 0 ? key : prefix + "." + key;
        var options = defaults ?? new TrainingOptions();
        options = (kind ?? "").Trim().ToLowerInvariant() switch
        {
            "mlp" => options with { Model = options.Model with { Kind = ModelKind.Mlp } },
            "ebm" or "energy" => options with { Model = options.Model with { Kind = ModelKind.Energy } },
            _ => throw new ArgumentException($"Unknown neural model kind '{kind}'. Known: mlp, ebm.", Full("kind")),
        };
        foreach (var (key, value) in values)
        {
            if (key == "kind") continue;
            var setting = Array.Find(Settings, s => s.Key == key)
                ?? throw new ArgumentException($"Unknown key '{key}'. Known: {string.Join(", ", Settings.Select(s => s.Key))}.", Full(key));
            if (key == "output" && options.Model.Kind == ModelKind.Energy)
                throw new ArgumentException("An ebm predicts the score through -grad E; 'output' applies to mlp only.", Full(key));
            try
            {
                options = setting.Apply(options, value ?? "");
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"'{value}' is not a valid value for '{key}': {e.Message}.", Full(key), e);
            }
            catch (OverflowException e)
            {
                throw new ArgumentException($"'{value}' is out of range for '{key}'.", Full(key), e);
            }
        }
        registries ??= TrainingRegistries.CreateDefault();
        Require(registries.Losses, options.Loss, Full("train.loss"));
        Require(registries.Weightings, options.Weighting, Full("train.weighting"));
        Require(registries.TimeSamplings, options.TimeSampling, Full("train.t_sampling"));
        Require(registries.Optimizers, options.Optimizer, Full("train.optimizer"));
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            var key = Array.Find(Settings, s => Array.IndexOf(s.Properties, e.ParamName) >= 0)?.Key ?? "train";
            throw new ArgumentException(e.Message, Full(key), e);
        }
        return options;
    }

    private static void Require(IRegistry registry, string name, string key)
    {
        if (!registry.Contains(name))
            throw new ArgumentException(new UnknownNameException(registry.Kind, name, registry.Names).Message, key);
    }

    private static int Int(string v) => int.Parse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static ulong ULong(string v) => ulong.Parse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static double Double(string v) => double.Parse(v.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool Bool(string v) => v.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw new FormatException("expected true or false"),
    };

    private static T Enum<T>(string v)
        where T : struct, System.Enum =>
        System.Enum.TryParse<T>(v.Trim(), ignoreCase: true, out var r) && System.Enum.IsDefined(r)
            ? r
            : throw new FormatException($"expected one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
}

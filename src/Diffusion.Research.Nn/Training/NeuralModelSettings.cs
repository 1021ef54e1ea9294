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
    // One row per key: the dotted key, what it means, its default read from TrainingOptions (never copied), how a value
    // applies to the options, and its validation on the bound options (null: valid), reported at this key.
    private sealed record Setting(string Key, string Meaning, Func<TrainingOptions, string> Default, Func<TrainingOptions, string, TrainingOptions> Apply,
        Func<TrainingOptions, string?>? Check = null)
    {
        public string Description => $"{Meaning} ({Default(Defaults)})";
    }

    private static readonly TrainingOptions Defaults = new();

    // The built-in names, listed in the descriptions (plugins add theirs to the registries that Bind checks against).
    private static readonly TrainingRegistries Builtin = TrainingRegistries.CreateDefault();

    private static readonly (string Name, Activation Value)[] Activations = [("silu", Activation.Silu), ("tanh", Activation.Tanh), ("softplus", Activation.Softplus)];
    private static readonly (string Name, TimeEmbeddingKind Value)[] Embeddings = [("fourier", TimeEmbeddingKind.GaussianFourier), ("sinusoidal", TimeEmbeddingKind.Sinusoidal)];
    private static readonly (string Name, Prediction Value)[] Outputs =
        [("score", Prediction.Score), ("eps", Prediction.Epsilon), ("epsilon", Prediction.Epsilon), ("x0", Prediction.Data), ("data", Prediction.Data), ("v", Prediction.Velocity), ("velocity", Prediction.Velocity)];
    /// <summary>The key value of a prediction target (output: score, eps, x0, v).</summary>
    internal static string OutputName(Prediction output) => Outputs.First(o => o.Value == output).Name;

    private static readonly (string Name, ProbeKind Value)[] Probes = [("rademacher", ProbeKind.Rademacher), ("gaussian", ProbeKind.Gaussian)];

    private static readonly Setting[] Settings =
    [
        Int("width", "hidden width", o => o.Model.Width, (o, v) => o with { Model = o.Model with { Width = v } }, 1),
        Int("layers", "hidden layers", o => o.Model.HiddenLayers, (o, v) => o with { Model = o.Model with { HiddenLayers = v } }, 1),
        Choice("activation", "", Activations, o => o.Model.Activation, (o, v) => o with { Model = o.Model with { Activation = v } }),
        Flag("residual", "residual hidden layers h + act(W h + b)", o => o.Model.Residual, (o, v) => o with { Model = o.Model with { Residual = v } }),
        Choice("embedding", "time embedding: ", Embeddings, o => o.Model.Embedding, (o, v) => o with { Model = o.Model with { Embedding = v } }),
        Int("frequencies", "embedding frequencies F (2F features)", o => o.Model.EmbeddingFrequencies, (o, v) => o with { Model = o.Model with { EmbeddingFrequencies = v } }, 1),
        Real("fourier_scale", "std of the Fourier frequencies", o => o.Model.FourierScale, (o, v) => o with { Model = o.Model with { FourierScale = v } }, Positive),
        Choice("output", "mlp output, converted through the kernel: ", Outputs.Where(c => c.Name is "score" or "eps" or "x0" or "v").ToArray(), o => o.Model.Output,
            (o, v) => o with { Model = o.Model with { Output = v } }, Outputs),
        Seed("init_seed", "seed of the weight initialisation", o => o.Model.Seed, (o, v) => o with { Model = o.Model with { Seed = v } }),
        Name("train.loss", Builtin.Losses.Names, o => o.Loss, (o, v) => o with { Loss = v }),
        Name("train.weighting", Builtin.Weightings.Names, o => o.Weighting, (o, v) => o with { Weighting = v }),
        Name("train.t_sampling", Builtin.TimeSamplings.Names, o => o.TimeSampling, (o, v) => o with { TimeSampling = v }),
        Int("train.steps", "optimiser steps", o => o.Steps, (o, v) => o with { Steps = v }, 1),
        Int("train.batch", "particles per step", o => o.BatchSize, (o, v) => o with { BatchSize = v }, 1),
        Name("train.optimizer", Builtin.Optimizers.Names, o => o.Optimizer, (o, v) => o with { Optimizer = v }),
        Real("train.lr", "peak learning rate", o => o.LearningRate, (o, v) => o with { LearningRate = v }, Positive),
        Real("train.min_lr", "final learning rate of the cosine decay", o => o.MinLearningRate, (o, v) => o with { MinLearningRate = v },
            (o, v) => v >= 0 && v <= o.LearningRate ? null : $"must be in [0, train.lr = {Show(o.LearningRate)}]"),
        Int("train.warmup", "linear warm-up steps", o => o.WarmupSteps, (o, v) => o with { WarmupSteps = v }, 0),
        Flag("train.cosine", "cosine decay after warm-up", o => o.CosineDecay, (o, v) => o with { CosineDecay = v }),
        Real("train.beta1", "Adam beta1", o => o.Beta1, (o, v) => o with { Beta1 = v }, UnitInterval),
        Real("train.beta2", "Adam beta2", o => o.Beta2, (o, v) => o with { Beta2 = v }, UnitInterval),
        Real("train.weight_decay", "weight decay (decoupled for adamw)", o => o.WeightDecay, (o, v) => o with { WeightDecay = v }, NonNegative),
        Real("train.momentum", "SGD momentum", o => o.Momentum, (o, v) => o with { Momentum = v }, UnitInterval),
        Real("train.clip", "global gradient-norm clip, 0 = off", o => o.ClipNorm, (o, v) => o with { ClipNorm = v }, NonNegative),
        Real("train.ema", "EMA decay of the weights, 0 = off", o => o.EmaDecay, (o, v) => o with { EmaDecay = v }, UnitInterval),
        Real("train.t_eps", "smallest training time", o => o.TimeEpsilon, (o, v) => o with { TimeEpsilon = v }, NonNegative),
        Real("train.fixed_t", "time of the fixed t-sampling", o => o.FixedTime, (o, v) => o with { FixedTime = v }, NonNegative),
        Int("train.probes", "Hutchinson probes of ssm", o => o.Probes, (o, v) => o with { Probes = v }, 1),
        Choice("train.probe", "", Probes, o => o.ProbeKind, (o, v) => o with { ProbeKind = v }),
        Flag("train.variance_reduced", "ssm with 1/2 |s|^2 in place of 1/2 (u.s)^2", o => o.VarianceReduced, (o, v) => o with { VarianceReduced = v }),
        Real("train.gamma", "gamma of min-snr", o => o.MinSnrGamma, (o, v) => o with { MinSnrGamma = v }, Positive),
        Int("train.levels", "NCSN noise levels L", o => o.NoiseLevels, (o, v) => o with { NoiseLevels = v }, 1),
        Real("train.sigma_min", "smallest NCSN sigma, 0 = sigma(t_eps)", o => o.SigmaMin, (o, v) => o with { SigmaMin = v }, NonNegative),
        Real("train.sigma_max", "largest NCSN sigma, 0 = sigma(T)", o => o.SigmaMax, (o, v) => o with { SigmaMax = v }, NonNegative),
        Real("train.lognormal_mean", "EDM P_mean", o => o.LogNormalMean, (o, v) => o with { LogNormalMean = v }, (_, _) => null),
        Real("train.lognormal_std", "EDM P_std", o => o.LogNormalStd, (o, v) => o with { LogNormalStd = v }, Positive),
        Seed("train.seed", "seed of data, times and noise", o => o.Seed, (o, v) => o with { Seed = v }),
        Int("train.threads", "threads of the matrix products; results do not depend on it", o => o.Threads, (o, v) => o with { Threads = v }, 1),
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
                // e.Message is the setting's own "must be ..." (ParseInt, ParseReal, Flag, Choice).
                throw new ArgumentException($"{key[(key.LastIndexOf('.') + 1)..]} {e.Message}, got '{value}'.", Full(key), e);
            }
        }
        registries ??= TrainingRegistries.CreateDefault();
        Require(registries.Losses, options.Loss, Full("train.loss"));
        Require(registries.Weightings, options.Weighting, Full("train.weighting"));
        Require(registries.TimeSamplings, options.TimeSampling, Full("train.t_sampling"));
        Require(registries.Optimizers, options.Optimizer, Full("train.optimizer"));
        foreach (var key in values.Keys)
            if (Array.Find(Settings, s => s.Key == key)?.Check?.Invoke(options) is { } error)
                throw new ArgumentException($"{key[(key.LastIndexOf('.') + 1)..]} {error}.", Full(key));
        try
        {
            options.Validate(); // a backstop: the rows check every condition of the keys given; this sees the caller's defaults
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message, Full("train"), e);
        }
        return options;
    }

    private static void Require(IRegistry registry, string name, string key)
    {
        if (!registry.Contains(name))
            throw new ArgumentException(new UnknownNameException(registry.Kind, name, registry.Names).Message, key);
    }

    private static Setting Int(string key, string meaning, Func<TrainingOptions, int> get, Func<TrainingOptions, int, TrainingOptions> set, int min) =>
        new(key, meaning, o => get(o).ToString(CultureInfo.InvariantCulture),
            (o, v) => set(o, ParseInt(v)),
            o => get(o) >= min ? null : $"must be {(min == 1 ? "positive" : $">= {min}")}, got {get(o).ToString(CultureInfo.InvariantCulture)}");

    private static Setting Seed(string key, string meaning, Func<TrainingOptions, ulong> get, Func<TrainingOptions, ulong, TrainingOptions> set) =>
        new(key, meaning, o => get(o).ToString(CultureInfo.InvariantCulture),
            (o, v) => set(o, ulong.TryParse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed
                : throw new FormatException($"must be an integer in [0, {ulong.MaxValue.ToString(CultureInfo.InvariantCulture)}]")));

    private static Setting Real(string key, string meaning, Func<TrainingOptions, double> get, Func<TrainingOptions, double, TrainingOptions> set,
        Func<TrainingOptions, double, string?> check) =>
        new(key, meaning, o => Show(get(o)), (o, v) => set(o, ParseReal(v)),
            o => double.IsFinite(get(o)) ? check(o, get(o)) : $"must be a finite number, got {Show(get(o))}");

    private static Setting Flag(string key, string meaning, Func<TrainingOptions, bool> get, Func<TrainingOptions, bool, TrainingOptions> set) =>
        new(key, meaning, o => get(o) ? "true" : "false", (o, v) => set(o, v.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw new FormatException("must be true or false"),
        }));

    private static Setting Name(string key, IReadOnlyList<string> builtin, Func<TrainingOptions, string> get, Func<TrainingOptions, string, TrainingOptions> set) =>
        new(key, string.Join(" | ", builtin), get, (o, v) => set(o, v.Trim()));

    // A choice among named values: the meaning lists the primary names, `accepted` (default: the same) every spelling.
    private static Setting Choice<T>(string key, string meaning, (string Name, T Value)[] names, Func<TrainingOptions, T> get, Func<TrainingOptions, T, TrainingOptions> set,
        (string Name, T Value)[]? accepted = null)
        where T : struct, System.Enum
    {
        accepted ??= names;
        var expected = string.Join(", ", names.Select(c => c.Name));
        return new(key, meaning + string.Join(" | ", names.Select(c => c.Name)), o => Array.Find(names, c => c.Value.Equals(get(o))).Name ?? get(o).ToString(),
            (o, v) => Array.FindIndex(accepted, c => c.Name == v.Trim().ToLowerInvariant()) is var i and >= 0
                ? set(o, accepted[i].Value)
                : throw new FormatException($"must be one of {expected}"));
    }

    // The parse errors of the settings, in the words of the experiment file's other keys (ConfigBinder).
    private static int ParseInt(string v)
    {
        if (!long.TryParse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) throw new FormatException("must be an integer");
        return n is >= int.MinValue and <= int.MaxValue ? (int)n : throw new FormatException($"must be at most {int.MaxValue.ToString(CultureInfo.InvariantCulture)}");
    }

    private static double ParseReal(string v) =>
        double.TryParse(v.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) ? x : throw new FormatException("must be a finite number");

    private static string? Positive(TrainingOptions o, double v) => v > 0 ? null : $"must be positive, got {Show(v)}";

    private static string? NonNegative(TrainingOptions o, double v) => v >= 0 ? null : $"must be >= 0, got {Show(v)}";

    private static string? UnitInterval(TrainingOptions o, double v) => v is >= 0 and < 1 ? null : $"must be in [0, 1), got {Show(v)}";

    private static string Show(double v) => v.ToString(CultureInfo.InvariantCulture);
}

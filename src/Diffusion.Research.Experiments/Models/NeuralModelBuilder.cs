using System.Text;
using Diffusion.Research.Data;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Experiments.Models;

/// <summary>
/// <c>model.kind: mlp | ebm</c>: a neural score model trained on the cell's data under its SDE by
/// <see cref="ScoreModelTrainer"/>, from the block's keys (<c>width</c>, <c>layers</c>, ..., and a nested
/// <c>train:</c> block: loss, weighting, t_sampling, steps, batch, lr, ema, ...; see <see cref="NeuralModelSettings.Keys"/>).
/// The training seed is the cell's model noise seed (experiment seed and repeat) unless <c>train.seed</c> is given, so a
/// repeat trains the same weights bit for bit. Trained models are kept in a small cache keyed by the resolved data, SDE
/// and model blocks plus the seed: cells that differ only in the sampler or eval blocks reuse the same network.
/// <c>esm</c> gets the exact noised score of Gaussian or mixture data (003 Lemma 4.4.1; Kingma et al. 2021; Lu et al. 2022, §2).
/// </summary>
public sealed class NeuralModelBuilder : IModelBuilder
{
    private const int CacheSize = 32;
    private readonly string _kind;
    private readonly TrainingMonitor? _monitor;
    private readonly TrainingRegistries _registries;
    private readonly LinkedList<(string Key, IScoreModel Model)> _cache = new();
    private readonly object _gate = new();

    /// <summary>A builder for <paramref name="kind"/> (mlp or ebm) reporting training progress to <paramref name="monitor"/>.</summary>
    public NeuralModelBuilder(string kind, TrainingMonitor? monitor = null, TrainingRegistries? registries = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (!NeuralModelSettings.Kinds.Any(k => k.Name == kind))
            throw new ArgumentException($"Unknown neural model kind '{kind}'. Known: {string.Join(", ", NeuralModelSettings.Kinds.Select(k => k.Name))}.", nameof(kind));
        _kind = kind;
        _monitor = monitor;
        _registries = registries ?? TrainingRegistries.CreateDefault();
    }

    /// <inheritdoc />
    public string Description => NeuralModelSettings.Kinds.First(k => k.Name == _kind).Description + "; keys: diffusion list model-keys";

    /// <inheritdoc />
    public void Check(ModelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = Bind(context);
        if (context.Sde.Kernel is null)
            throw new ArgumentException("a neural model is trained with the SDE's closed-form kernel p_t(x_t|x_0); this SDE has none.", "model.kind");
        if (options.Loss == "esm" && ExactScore(context) is null)
            throw new ArgumentException("loss 'esm' needs the exact noised score: Gaussian or Gaussian-mixture data (e.g. 8gaussians).", "model.train.loss");
        // The training components against this SDE, as training will build them: a bad combination is refused here, at
        // its key, rather than failing every cell when the model is trained.
        try
        {
            TrainingSession.Check(options, context.Sde, _registries);
        }
        catch (ArgumentException e) when (e.ParamName?.StartsWith("train.", StringComparison.Ordinal) == true)
        {
            throw new ArgumentException(ConfigPathException.MessageOf(e), "model." + e.ParamName, e);
        }
    }

    /// <inheritdoc />
    public IScoreModel Build(ModelContext context)
    {
        Check(context);
        var options = Bind(context);
        var key = context.Key is null ? null : context.Key + "\n" + options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (key is not null && Lookup(key) is { } cached) return cached;
        var result = new ScoreModelTrainer(_registries).Run(options, context.Data, context.Sde, _monitor?.AsProgress(), ExactScore(context));
        if (result.Diverged) throw new InvalidOperationException($"model.train: {result.Message}");
        if (key is not null) Store(key, result.Model);
        return result.Model; // EMA weights when train.ema > 0
    }

    private TrainingOptions Bind(ModelContext context)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Flatten(context.Model.Settings, "", values);
        var defaults = new TrainingOptions { Seed = context.Noise.Seed, Threads = context.Threads };
        if (context.TimeEpsilon is { } tEps) defaults = defaults with { TimeEpsilon = tEps };
        return NeuralModelSettings.Bind(_kind, values, "model", defaults, _registries);
    }

    // Nested mappings become dotted keys ("train.lr"), scalars their text; lists are not values of any model key.
    private static void Flatten(ConfigMapping mapping, string prefix, IDictionary<string, string> values)
    {
        foreach (var e in mapping.Entries)
        {
            var key = prefix + e.Name;
            switch (e.Value)
            {
                case ConfigMapping m:
                    if (key != "train") throw new ArgumentException($"'{key}' takes a single value, got a mapping.", "model." + key);
                    Flatten(m, key + ".", values);
                    break;
                case ConfigScalar s:
                    if (key == "train") throw new ArgumentException("'train' must be a mapping of training keys (loss, weighting, t_sampling, steps, batch, lr, ...).", "model.train");
                    values[key] = s.Value;
                    break;
                default:
                    throw new ArgumentException($"'{key}' takes a single value, got {e.Value.KindName}.", "model." + key);
            }
        }
    }

    private static IScoreModel? ExactScore(ModelContext context)
    {
        GaussianMixture? mixture = context.Data switch
        {
            GaussianMixture m => m,
            Gaussian g => g.AsMixture,
            _ => null,
        };
        return mixture is null || context.Sde.Kernel is not IKernel kernel ? null : new ExactNoisedScore(mixture, kernel);
    }

    private IScoreModel? Lookup(string key)
    {
        lock (_gate)
        {
            for (var node = _cache.First; node is not null; node = node.Next)
                if (node.Value.Key == key)
                {
                    _cache.Remove(node);
                    _cache.AddFirst(node);
                    return node.Value.Model;
                }
            return null;
        }
    }

    private void Store(string key, IScoreModel model)
    {
        lock (_gate)
        {
            _cache.AddFirst((key, model));
            while (_cache.Count > CacheSize) _cache.RemoveLast();
        }
    }

    /// <summary>
    /// Registers the neural model kinds of <see cref="NeuralModelSettings.Kinds"/> (mlp, ebm; names and descriptions written
    /// there), trained with the components of <paramref name="training"/> (<see cref="ModelRegistry.CreateDefault"/>).
    /// </summary>
    internal static void Register(ModelRegistry r, TrainingMonitor? monitor, TrainingRegistries training)
    {
        foreach (var kind in NeuralModelSettings.Kinds) r.Register(kind.Name, new NeuralModelBuilder(kind.Name, monitor, training));
    }
}

using Diffusion.Research.Experiments.Backend;

namespace Diffusion.Research.Experiments.Models;

/// <summary>Model kinds by name (the value of <c>model.kind</c>). An instance, not a global.</summary>
public sealed class ModelRegistry
{
    private readonly Dictionary<string, IModelBuilder> _builders = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    /// <summary>The registered kinds in registration order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Registers a model kind.</summary>
    public ModelRegistry Register(string kind, IModelBuilder builder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(builder);
        if (!_builders.TryAdd(kind, builder)) throw new ArgumentException($"Model kind '{kind}' is already registered.", nameof(kind));
        _names.Add(kind);
        return this;
    }

    /// <summary>The builder of a kind.</summary>
    public IModelBuilder Get(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return _builders.TryGetValue(kind, out var b) ? b
            : throw new ArgumentException($"Unknown model kind '{kind}'. Known: {string.Join(", ", _names)}.", nameof(kind));
    }

    /// <summary>The kinds as catalog entries.</summary>
    public IReadOnlyList<ComponentInfo> Entries => _names.ConvertAll(n => new ComponentInfo(n, _builders[n].Description));

    /// <summary>The default registry: <c>exact</c>, and the neural kinds <c>mlp</c> and <c>ebm</c> reporting training to <paramref name="monitor"/>.</summary>
    public static ModelRegistry CreateDefault(TrainingMonitor? monitor = null) => new ModelRegistry().Register("exact", new ExactModelBuilder())
        .Register("mlp", new NeuralModelBuilder("mlp", monitor)).Register("ebm", new NeuralModelBuilder("ebm", monitor));
}

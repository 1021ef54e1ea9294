using System.Text.Json;
using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The <c>model:</c> block: the key <c>kind</c> as a one-row declarative table (default <see cref="DefaultKind"/>); every
/// other key belongs to the kind and is bound by its <see cref="Models.IModelBuilder"/> (for mlp and ebm the rows of
/// <see cref="Nn.Training.NeuralModelSettings"/>). The whole block, <c>kind</c> filled in, is the model's canonical JSON.
/// </summary>
public static class ModelBlock
{
    /// <summary>The model kind of a cell without a <c>model:</c> block: the exact score of the data set.</summary>
    public const string DefaultKind = "exact";

    /// <summary>The table (the kind-independent keys).</summary>
    public static KeyTable<ModelSpec> Table { get; } = new("model",
    [
        new("kind", $"score model (diffusion list models; {DefaultKind})", KeyIdentity.Always,
            (c, n, s) => c.Binder.Name(n, c.Path, "models", "model kind") is { } v ? s with { Kind = v } : null,
            (w, s) => w.WriteString("kind", s.Kind)),
    ]);

    /// <summary>
    /// Binds the block (null or absent: the default kind); the settings keep every key as written, with <c>kind</c> added
    /// when absent. Null when the kind was bad (errors reported).
    /// </summary>
    public static ModelSpec? Bind(ConfigBinder b, ConfigMapping block, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Find("kind") is null)
            block = block.With(new ConfigScalar("kind", false, block.Location), new ConfigScalar(DefaultKind, false, block.Location));
        return Table.Bind(b, block, new ModelSpec(DefaultKind, block), baseDirectory) is { } spec ? spec with { Settings = block } : null;
    }
}

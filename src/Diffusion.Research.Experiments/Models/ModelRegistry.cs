using Diffusion.Research.Nn.Training;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Experiments.Models;

/// <summary>
/// Model kinds by name (the values of <c>model.kind</c>): a <see cref="Registry{TContext, T}"/>, the framework's one
/// registry shape, holding one <see cref="IModelBuilder"/> per kind (the builder's own description is the entry's).
/// The keys of a kind's block are read by its builder (<c>diffusion list model-keys</c>).
/// </summary>
public sealed class ModelRegistry : Registry<ParameterValues, IModelBuilder>
{
    /// <summary>An empty registry.</summary>
    public ModelRegistry()
        : base("model kind")
    {
    }

    /// <summary>Registers <paramref name="builder"/> as model kind <paramref name="kind"/>.</summary>
    public ModelRegistry Register(string kind, IModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Add(kind, builder.Description, _ => builder);
        return this;
    }

    /// <summary>The builder of <paramref name="kind"/>; an unknown kind throws <see cref="UnknownNameException"/>.</summary>
    public IModelBuilder Get(string kind) => Build(kind, ParameterValues.Empty);

    /// <summary>
    /// The default registry: <c>exact</c>, and the neural kinds <c>mlp</c> and <c>ebm</c> trained with the components of
    /// <paramref name="training"/> (a new default set when null), reporting training to <paramref name="monitor"/>.
    /// </summary>
    public static ModelRegistry CreateDefault(TrainingMonitor? monitor = null, TrainingRegistries? training = null)
    {
        training ??= TrainingRegistries.CreateDefault();
        var r = new ModelRegistry(); // each builder registers its kinds beside its class
        ExactModelBuilder.Register(r);
        NeuralModelBuilder.Register(r, monitor, training); // mlp, ebm
        return r;
    }
}

using Diffusion.Research.Registries;

namespace Diffusion.Research.Nn.Training;

/// <summary>
/// Named factories of one kind of training component: a <see cref="Registry{TContext, T}"/> (the framework's one
/// registry shape) whose factories build from a <see cref="TrainingContext"/>. The parameter schema of an entry lists
/// the <c>train.*</c> keys (fields of <see cref="TrainingOptions"/>) it reads, with their defaults.
/// </summary>
/// <typeparam name="T">The component type.</typeparam>
public sealed class TrainingRegistry<T> : Registry<TrainingContext, T>
    where T : class
{
    /// <summary>An empty registry of <paramref name="kind"/> (used in messages).</summary>
    public TrainingRegistry(string kind)
        : base(kind)
    {
    }

    /// <summary>Adds a component; returns this registry so registrations chain.</summary>
    public TrainingRegistry<T> Register(string name, string description, Func<TrainingContext, T> factory, params ParameterSpec[] parameters)
    {
        Add(name, description, factory, parameters);
        return this;
    }

    /// <summary>Builds the component <paramref name="name"/>; an unknown name throws <see cref="UnknownNameException"/>.</summary>
    public T Create(string name, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Build(name, context);
    }
}

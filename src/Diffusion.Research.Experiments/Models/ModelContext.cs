using Diffusion.Research.Data;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Experiments.Models;

/// <summary>What a model builder gets: the model block, the data set, the forward SDE, a noise source for training and the thread count.</summary>
public sealed record ModelContext(ModelSpec Model, IDataSet Data, ISde Sde, NoiseSource Noise, int Threads)
{
    /// <summary>
    /// The resolved data, SDE and model blocks as text (null when unknown): two contexts with the same key and noise
    /// build the same model, so a builder may cache what it trained under this key.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>The cell's sde.t_eps (the smallest time of sampling), the default smallest training time; null when unknown.</summary>
    public double? TimeEpsilon { get; init; }
}

using Diffusion.Research.Data;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Experiments.Models;

/// <summary>What a model builder gets: the model block, the data set, the forward SDE, a noise source for training and the thread count.</summary>
public sealed record ModelContext(ModelSpec Model, IDataSet Data, ISde Sde, NoiseSource Noise, int Threads);

using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// What a model metric sees: the score model (null in <see cref="IModelMetric.Check"/>), the forward SDE, the data set
/// (for held-out samples), a noise source of its own, the cell's t_eps and the thread count.
/// </summary>
public sealed record ModelMetricInput(IScoreModel? Score, ISde Sde, IDataSet Data, NoiseSource Noise, double TimeEpsilon, int Threads);

using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// What a model metric sees: the score model (null in <see cref="IModelMetric.Check"/>), the forward SDE, the data set
/// (for held-out samples), a noise source of its own, the cell's t_eps and the thread count; and, for metrics of the
/// sampler's exact output law (<see cref="ExactLawMetric"/>), the cell's solver, time grid (null in Check), λ of the
/// reverse family and model kind.
/// </summary>
public sealed record ModelMetricInput(IScoreModel? Score, ISde Sde, IDataSet Data, NoiseSource Noise, double TimeEpsilon, int Threads)
{
    /// <summary>The cell's solver.</summary>
    public ISolver? Solver { get; init; }

    /// <summary>The cell's time grid (null in <see cref="IModelMetric.Check"/>).</summary>
    public TimeGrid? Grid { get; init; }

    /// <summary>λ of the reverse family dx = [f − (1+λ²)/2 g² s] dt + λ g dW̄ the cell solves.</summary>
    public double Lambda { get; init; }

    /// <summary>The cell's model.kind.</summary>
    public string? ModelKind { get; init; }
}

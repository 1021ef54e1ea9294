using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// The score of a model that predicts ε, x_0, v (or the score itself), converted through the kernel at t by
/// <see cref="PredictionConversion"/> (001 eq 38; Ho et al. 2020, §3.2; Karras et al. 2022, eq (3)). In place in the
/// destination: no allocation.
/// </summary>
public sealed class ParametrisedScoreModel : IScoreModel
{
    /// <summary>Wraps <paramref name="inner"/>, which predicts <paramref name="kind"/>, for <paramref name="kernel"/>.</summary>
    public ParametrisedScoreModel(IPredictionModel inner, Prediction kind, IKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(kernel);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prediction kind.");
        Inner = inner;
        Kind = kind;
        Kernel = kernel;
    }

    /// <summary>The wrapped model.</summary>
    public IPredictionModel Inner { get; }

    /// <summary>What the wrapped model predicts.</summary>
    public Prediction Kind { get; }

    /// <summary>The kernel used for the conversion.</summary>
    public IKernel Kernel { get; }

    /// <inheritdoc />
    public void Score(double t, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        var map = PredictionConversion.Map(Kind, Prediction.Score, Kernel, t);
        Inner.Predict(t, x, destination);
        map.Apply(x, destination, destination);
    }
}

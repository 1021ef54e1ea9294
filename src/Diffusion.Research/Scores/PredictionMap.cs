using System.Numerics.Tensors;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// An affine map between parametrisations at one time: target = <see cref="StateWeight"/>·x_t + <see cref="PredictionWeight"/>·prediction.
/// Produced by <see cref="PredictionConversion.Map(Prediction, Prediction, double, double)"/>.
/// </summary>
/// <param name="StateWeight">The coefficient of x_t.</param>
/// <param name="PredictionWeight">The coefficient of the source prediction.</param>
public readonly record struct PredictionMap(double StateWeight, double PredictionWeight)
{
    /// <summary>Writes StateWeight·x + PredictionWeight·prediction into <paramref name="destination"/>. The destination may be the
    /// prediction batch itself (in-place) or x itself; shapes must agree.</summary>
    public void Apply(Batch x, Batch prediction, Batch destination)
    {
        x.RequireShape(prediction, nameof(prediction));
        x.RequireShape(destination, nameof(destination));
        Span<double> dest = destination.Values;
        ReadOnlySpan<double> xs = x.Values, ps = prediction.Values;
        if (dest.Overlaps(xs) && !dest.Overlaps(ps))
        {
            TensorPrimitives.Multiply(xs, StateWeight, dest);
            TensorPrimitives.MultiplyAdd(ps, PredictionWeight, dest, dest);
        }
        else
        {
            TensorPrimitives.Multiply(ps, PredictionWeight, dest);
            TensorPrimitives.MultiplyAdd(xs, StateWeight, dest, dest);
        }
    }
}

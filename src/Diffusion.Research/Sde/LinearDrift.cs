using System.Numerics.Tensors;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sde;

/// <summary>The drift f(x, t) = f(t) x of a linear SDE (003 Lemma 4.4.1; Kingma et al. 2021; Lu et al. 2022, §2), shared by
/// every <see cref="ILinearSde"/>.</summary>
internal static class LinearDrift
{
    /// <summary>destination = <paramref name="coefficient"/> x, after checking the shapes.</summary>
    public static void Apply(Batch x, double coefficient, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        TensorPrimitives.Multiply(x.Values, coefficient, destination.Values);
    }
}

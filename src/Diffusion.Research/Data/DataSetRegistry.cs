using Diffusion.Research.Registries;

namespace Diffusion.Research.Data;

/// <summary>
/// Data sets by name (the values of <c>data.name</c>): a <see cref="ParameterRegistry{T}"/>, the framework's one
/// registry shape; parameters are lists of numbers (a scalar is a list of one, a matrix is flattened row-major). Each
/// data set registers itself from a static member in its own file.
/// <see cref="CreateDefault"/> holds the toy sets and the parametric <c>gaussian</c> and <c>mixture</c>.
/// </summary>
public sealed class DataSetRegistry : ParameterRegistry<IDataSet>
{
    /// <summary>An empty registry.</summary>
    public DataSetRegistry()
        : base("data set")
    {
    }

    /// <summary>
    /// The default registry: 8gaussians, swissroll, moons, checkerboard, rings, pinwheel (FFJORD toy sets, 2-D),
    /// gaussian (parameters: dimension, mean, variance or covariance), mixture (weights, means flattened K x D,
    /// variances (K) or covariances flattened K x D x D), and the high-dimensional families gaussian_spectrum
    /// (<see cref="SpectralGaussian"/>), mixture_spectrum (<see cref="SpectralMixture"/>) and
    /// two_classes (the labelled two-class mixture of docs/guidance.md).
    /// </summary>
    public static DataSetRegistry CreateDefault()
    {
        var r = new DataSetRegistry();
        ToyData.Register(r); // 8gaussians
        SwissRoll.Register(r);
        Moons.Register(r);
        Checkerboard.Register(r);
        Rings.Register(r);
        Pinwheel.Register(r);
        Gaussian.Register(r);
        GaussianMixture.Register(r);
        SpectralGaussian.Register(r);
        SpectralMixture.Register(r);
        Conditional.LabelledMixture.Register(r); // two_classes
        return r;
    }
}

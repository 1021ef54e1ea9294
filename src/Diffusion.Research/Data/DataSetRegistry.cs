using Diffusion.Research.Registries;

namespace Diffusion.Research.Data;

/// <summary>
/// Data sets by name (the values of <c>data.name</c>): a <see cref="ParameterRegistry{T}"/>, the framework's one
/// registry shape; parameters are lists of numbers (a scalar is a list of one, a matrix is flattened row-major).
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
        r.Register("8gaussians", "8 isotropic Gaussians on a circle of radius 4/1.414, std 0.5/1.414 (exact score)", _ => ToyData.EightGaussians());
        r.Register("swissroll", "2-D swiss roll (t cos t, t sin t)/5, t in [1.5 pi, 4.5 pi]",
            p => new SwissRoll(p["noise"]), ParameterSpec.Real("noise", 1.0, "std of the added Gaussian noise"));
        r.Register("moons", "two interleaved half circles", p => new Moons(p["noise"]), ParameterSpec.Real("noise", 0.1, "std of the added Gaussian noise"));
        r.Register("checkerboard", "uniform on 8 squares of a 4 x 4 board on [-4, 4]^2", _ => new Checkerboard());
        r.Register("rings", "4 concentric circles of radii 3, 2.25, 1.5, 0.75", p => new Rings(p["noise"]), ParameterSpec.Real("noise", 0.08, "std of the added Gaussian noise"));
        r.Register("pinwheel", "5 spiral arms (radial std 0.3, tangential std 0.1, rate 0.25)", _ => new Pinwheel());
        r.Register("gaussian", "N(mean, covariance); give dimension or mean, and variance or covariance", CreateGaussian,
            ParameterSpec.OptionalInteger("dimension", "dimension D (mean 0) when no mean is given"),
            ParameterSpec.Vector("mean", "mean (D numbers)"),
            ParameterSpec.Real("variance", 1.0, "isotropic variance"),
            ParameterSpec.Vector("covariance", "covariance, D x D row-major"));
        r.Register("mixture", "Gaussian mixture; give variances or covariances", CreateMixture,
            ParameterSpec.Vector("weights", "K weights"),
            ParameterSpec.Vector("means", "means, K x D row-major"),
            ParameterSpec.Vector("variances", "K isotropic variances"),
            ParameterSpec.Vector("covariances", "covariances, K x D x D row-major"));
        r.Register("gaussian_spectrum", "N(shift, U diag(lambda) U^T) with lambda_i = scale (i+1)^-exponent, plus W W^T with W = rank_scale Z / sqrt(D), Z a D x rank Gaussian",
            CreateSpectralGaussian,
            ParameterSpec.OptionalInteger("dimension", "dimension D (required)"),
            ParameterSpec.Real("exponent", 1.0, "power-law exponent of the spectrum"),
            ParameterSpec.Real("scale", 1.0, "largest eigenvalue"),
            ParameterSpec.Real("shift", 0.0, "every coordinate of the mean"),
            ParameterSpec.Integer("rotate", 0, "1: a random eigenbasis U, 0: the identity"),
            ParameterSpec.Integer("rotation_seed", 0, "seed of U and W"),
            ParameterSpec.Integer("rank", 0, "rank of the low-rank term W W^T (0: none)"),
            ParameterSpec.Real("rank_scale", 1.0, "scale of W"));
        r.Register("mixture_spectrum", "K Gaussians sharing a power-law spectrum lambda_i = scale (i+1)^-exponent (x a per-component factor in [0.5, 1.5]) and eigenbasis, means of norm ~spread",
            CreateSpectralMixture,
            ParameterSpec.OptionalInteger("dimension", "dimension D (required)"),
            ParameterSpec.Integer("components", 8, "components K"),
            ParameterSpec.Real("exponent", 1.0, "power-law exponent of the spectrum"),
            ParameterSpec.Real("scale", 1.0, "largest eigenvalue"),
            ParameterSpec.Real("spread", 4.0, "norm of the means"),
            ParameterSpec.Integer("rotate", 0, "1: a random eigenbasis, 0: the identity"),
            ParameterSpec.Integer("seed", 0, "seed of the means, factors and eigenbasis"));
        r.Register("two_classes", "2-D mixture of 4 full-covariance Gaussians in two overlapping classes (Conditional.LabelledMixture.TwoClasses; exact score)",
            _ => Conditional.LabelledMixture.TwoClasses().Mixture);
        return r;
    }

    private static IDataSet CreateGaussian(ParameterValues p)
    {
        var mean = p.Contains("mean") ? p.Vector("mean") : new double[p.Contains("dimension") ? p.Integer("dimension") : 0];
        if (p.Contains("mean") && p.Contains("dimension") && p.Integer("dimension") != mean.Length)
            throw new ParameterException("dimension", $"Parameter 'dimension' is {p.Integer("dimension")} but 'mean' has {mean.Length} entries.");
        if (mean.Length == 0) throw new ParameterException("dimension", "Give 'dimension' or 'mean' for a gaussian.");
        if (p.Contains("covariance"))
        {
            if (p.Contains("variance")) throw new ParameterException("covariance", "Give 'variance' or 'covariance', not both.");
            return new Gaussian(mean, Square(p.Vector("covariance"), mean.Length, "covariance"));
        }
        return Gaussian.Isotropic(mean, p["variance"]);
    }

    // SpectralMixture.PowerLaw: K components, shared eigenbasis, O(D² + K D) per score evaluation.
    private static IDataSet CreateSpectralMixture(ParameterValues p)
    {
        var d = p.Contains("dimension") ? p.Integer("dimension") : 0;
        if (d <= 0) throw new ParameterException("dimension", "Give a positive 'dimension' for mixture_spectrum.");
        var k = p.Integer("components");
        if (k <= 0) throw new ParameterException("components", $"'components' must be positive, got {k}.");
        var exponent = p["exponent"];
        var scale = p["scale"];
        if (!(scale > 0)) throw new ParameterException("scale", $"'scale' must be finite and positive, got {scale}.");
        var spread = p["spread"];
        if (!(spread >= 0)) throw new ParameterException("spread", $"'spread' must be finite and >= 0, got {spread}.");
        var rotate = p.Integer("rotate");
        if (rotate is not (0 or 1)) throw new ParameterException("rotate", $"'rotate' must be 0 or 1, got {rotate}.");
        var seed = p.Integer("seed");
        if (seed < 0) throw new ParameterException("seed", $"'seed' must be >= 0, got {seed}.");
        return SpectralMixture.PowerLaw(d, k, exponent, scale, spread, rotate == 1, (ulong)seed);
    }

    // The power-law family of SpectralGaussian, optionally plus a low-rank term W Wᵀ (factored once).
    private static IDataSet CreateSpectralGaussian(ParameterValues p)
    {
        var d = p.Contains("dimension") ? p.Integer("dimension") : 0;
        if (d <= 0) throw new ParameterException("dimension", "Give a positive 'dimension' for gaussian_spectrum.");
        var exponent = p["exponent"];
        var scale = p["scale"];
        if (!(scale > 0)) throw new ParameterException("scale", $"'scale' must be finite and positive, got {scale}.");
        var shift = p["shift"];
        var rotate = p.Integer("rotate");
        if (rotate is not (0 or 1)) throw new ParameterException("rotate", $"'rotate' must be 0 or 1, got {rotate}.");
        var seed = p.Integer("rotation_seed");
        var rank = p.Integer("rank");
        var rankScale = p["rank_scale"];
        if (rank < 0 || rank > d) throw new ParameterException("rank", $"'rank' must be in [0, {d}], got {rank}.");
        var basic = SpectralGaussian.PowerLaw(d, exponent, scale, shift, rotate == 1, (ulong)Math.Max(0, seed));
        if (rank == 0) return basic;
        if (rotate == 1) throw new ParameterException("rank", "'rotate' and 'rank' cannot be combined.");
        var noise = new Numerics.NoiseSource((ulong)Math.Max(0, seed)).Derive(1);
        var w = new double[d, rank];
        var column = new double[d];
        for (var j = 0; j < rank; j++)
        {
            noise.FillGaussian(0u, j, column);
            for (var i = 0; i < d; i++) w[i, j] = rankScale * column[i] / Math.Sqrt(d);
        }
        return SpectralGaussian.LowRankPlusDiagonal(basic.Mean, basic.Eigenvalues, w);
    }

    private static IDataSet CreateMixture(ParameterValues p)
    {
        var weights = p.Vector("weights");
        var flat = p.Vector("means");
        var k = weights.Length;
        if (k == 0 || flat.Length % k != 0 || flat.Length == 0)
            throw new ParameterException("means", $"'means' has {flat.Length} entries, not a positive multiple of the {k} weights.");
        var d = flat.Length / k;
        var means = new double[k][];
        for (var c = 0; c < k; c++) means[c] = flat.AsSpan(c * d, d).ToArray();
        if (p.Contains("covariances"))
        {
            if (p.Contains("variances")) throw new ParameterException("covariances", "Give 'variances' or 'covariances', not both.");
            var all = p.Vector("covariances");
            if (all.Length != k * d * d) throw new ParameterException("covariances", $"'covariances' has {all.Length} entries, expected {k} x {d} x {d}.");
            var covariances = new double[k][,];
            for (var c = 0; c < k; c++) covariances[c] = Square(all.AsSpan(c * d * d, d * d).ToArray(), d, "covariances");
            return new GaussianMixture(weights, means, covariances);
        }
        var variances = p.Vector("variances");
        if (variances.Length != k) throw new ParameterException("variances", $"'variances' has {variances.Length} entries for {k} weights.");
        return GaussianMixture.Isotropic(weights, means, variances);
    }

    private static double[,] Square(double[] flat, int d, string name)
    {
        if (flat.Length != d * d) throw new ParameterException(name, $"'{name}' has {flat.Length} entries, expected {d} x {d}.");
        var m = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++) m[i, j] = flat[i * d + j];
        return m;
    }
}

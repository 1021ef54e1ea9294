namespace Diffusion.Research.Exact;

/// <summary>
/// A normal law N(mean, covariance) held as numbers (not as a sampler): the output law of a linear solve
/// (<see cref="AffineMap.Push"/>) or a data/prior law. Either a full covariance (D x D) or, for laws that are
/// diagonal in the basis at hand (the eigenbasis of the data covariance, <see cref="DiagonalAffineMap"/>), only
/// its diagonal; <see cref="GaussianDistance"/> uses O(D) formulas when both laws are diagonal.
/// </summary>
public sealed class GaussianLaw
{
    private readonly double[] _mean;
    private readonly double[,]? _covariance;
    private readonly double[]? _variances;

    private GaussianLaw(double[] mean, double[,]? covariance, double[]? variances)
    {
        _mean = mean;
        _covariance = covariance;
        _variances = variances;
    }

    /// <summary>N(<paramref name="mean"/>, <paramref name="covariance"/>); the covariance must be symmetric (checked to 1e-9 relative).</summary>
    public static GaussianLaw Full(double[] mean, double[,] covariance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        var d = mean.Length;
        if (d == 0) throw new ArgumentException("A law needs at least one dimension.", nameof(mean));
        if (covariance.GetLength(0) != d || covariance.GetLength(1) != d)
            throw new ArgumentException($"The covariance is {covariance.GetLength(0)} x {covariance.GetLength(1)}, expected {d} x {d}.", nameof(covariance));
        var scale = 0.0;
        foreach (var c in covariance)
        {
            if (!double.IsFinite(c)) throw new ArgumentException($"The covariance has a non-finite entry {c}.", nameof(covariance));
            scale = Math.Max(scale, Math.Abs(c));
        }
        foreach (var m in mean)
            if (!double.IsFinite(m)) throw new ArgumentException($"The mean has a non-finite entry {m}.", nameof(mean));
        for (var i = 0; i < d; i++)
            for (var j = 0; j < i; j++)
                if (Math.Abs(covariance[i, j] - covariance[j, i]) > 1e-9 * scale)
                    throw new ArgumentException($"The covariance is not symmetric at ({i}, {j}).", nameof(covariance));
        return new GaussianLaw((double[])mean.Clone(), (double[,])covariance.Clone(), null);
    }

    /// <summary>N(<paramref name="mean"/>, diag(<paramref name="variances"/>)); variances must be finite and non-negative.</summary>
    public static GaussianLaw Diagonal(double[] mean, double[] variances)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(variances);
        if (mean.Length == 0) throw new ArgumentException("A law needs at least one dimension.", nameof(mean));
        if (variances.Length != mean.Length)
            throw new ArgumentException($"{variances.Length} variances for a {mean.Length}-dimensional mean.", nameof(variances));
        foreach (var v in variances)
            if (!(v >= 0) || !double.IsFinite(v)) throw new ArgumentException($"A variance is {v}.", nameof(variances));
        foreach (var m in mean)
            if (!double.IsFinite(m)) throw new ArgumentException($"The mean has a non-finite entry {m}.", nameof(mean));
        return new GaussianLaw((double[])mean.Clone(), null, (double[])variances.Clone());
    }

    /// <summary>N(0, s² I) in <paramref name="dimension"/> dimensions (the SDE priors, 003 Table 4.1; Song et al. 2021, §3.4,
    /// eq (29)).</summary>
    public static GaussianLaw Isotropic(int dimension, double variance)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        var v = new double[dimension];
        Array.Fill(v, variance);
        return Diagonal(new double[dimension], v);
    }

    /// <summary>D.</summary>
    public int Dimension => _mean.Length;

    /// <summary>True when only the diagonal is held.</summary>
    public bool IsDiagonal => _variances is not null;

    /// <summary>Entry i of the mean.</summary>
    public double Mean(int i) => _mean[i];

    /// <summary>Entry (i, j) of the covariance.</summary>
    public double Covariance(int i, int j) => _variances is null ? _covariance![i, j] : i == j ? _variances[i] : 0.0;

    /// <summary>A copy of the mean.</summary>
    public double[] MeanVector() => (double[])_mean.Clone();

    /// <summary>The covariance as a D x D matrix (built on demand for a diagonal law).</summary>
    public double[,] CovarianceMatrix()
    {
        if (_covariance is not null) return (double[,])_covariance.Clone();
        var d = Dimension;
        var c = new double[d, d];
        for (var i = 0; i < d; i++) c[i, i] = _variances![i];
        return c;
    }

    /// <summary>The diagonal of the covariance.</summary>
    public double[] Variances()
    {
        if (_variances is not null) return (double[])_variances.Clone();
        var v = new double[Dimension];
        for (var i = 0; i < v.Length; i++) v[i] = _covariance![i, i];
        return v;
    }
}

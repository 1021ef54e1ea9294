namespace Diffusion.Research.Data;

/// <summary>
/// Data sets by name (an instance, not a global): name -> one-line description -> factory.
/// <see cref="CreateDefault"/> holds the toy sets and the parametric <c>gaussian</c> and <c>mixture</c>.
/// </summary>
public sealed class DataSetRegistry
{
    private readonly Dictionary<string, DataSetEntry> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Registered names in registration order.</summary>
    public IReadOnlyList<string> Names => _order;

    /// <summary>Registered entries in registration order.</summary>
    public IReadOnlyList<DataSetEntry> Entries => _order.Select(n => _entries[n]).ToArray();

    /// <summary>Adds a data set; the name must be new.</summary>
    public void Register(string name, string description, Func<DataSetParameters, IDataSet> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(factory);
        if (_entries.ContainsKey(name)) throw new ArgumentException($"Data set '{name}' is already registered.", nameof(name));
        _entries[name] = new DataSetEntry(name, description, factory);
        _order.Add(name);
    }

    /// <summary>True when <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>The one-line description of <paramref name="name"/>.</summary>
    public string Describe(string name) => Get(name).Description;

    /// <summary>Builds data set <paramref name="name"/>; every parameter given must be one the data set takes.</summary>
    public IDataSet Create(string name, DataSetParameters? parameters = null)
    {
        var entry = Get(name);
        parameters ??= DataSetParameters.Empty;
        var result = entry.Factory(parameters);
        parameters.RequireAllRead(name);
        return result;
    }

    private DataSetEntry Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _entries.TryGetValue(name, out var entry)
            ? entry
            : throw new ArgumentException($"Unknown data set '{name}'. Known: {string.Join(", ", _order)}.", nameof(name));
    }

    /// <summary>
    /// The default registry: 8gaussians, swissroll, moons, checkerboard, rings, pinwheel (FFJORD toy sets, 2-D),
    /// gaussian (parameters: dimension, mean, variance or covariance), mixture (weights, means flattened K x D,
    /// variances (K) or covariances flattened K x D x D), and the high-dimensional families gaussian_spectrum
    /// (<see cref="SpectralGaussian"/>) and mixture_spectrum (<see cref="SpectralMixture"/>).
    /// </summary>
    public static DataSetRegistry CreateDefault()
    {
        var r = new DataSetRegistry();
        r.Register("8gaussians", "8 isotropic Gaussians on a circle of radius 4/1.414, std 0.5/1.414 (exact score)", _ => ToyData.EightGaussians());
        r.Register("swissroll", "2-D swiss roll (t cos t, t sin t)/5, t in [1.5 pi, 4.5 pi], noise 1 (parameter: noise)",
            p => new SwissRoll(p.Scalar("noise", 1.0)));
        r.Register("moons", "two interleaved half circles, noise 0.1 (parameter: noise)", p => new Moons(p.Scalar("noise", 0.1)));
        r.Register("checkerboard", "uniform on 8 squares of a 4 x 4 board on [-4, 4]^2", _ => new Checkerboard());
        r.Register("rings", "4 concentric circles of radii 3, 2.25, 1.5, 0.75, noise 0.08 (parameter: noise)", p => new Rings(p.Scalar("noise", 0.08)));
        r.Register("pinwheel", "5 spiral arms (radial std 0.3, tangential std 0.1, rate 0.25)", _ => new Pinwheel());
        r.Register("gaussian", "N(mean, covariance) (parameters: dimension, mean, variance or covariance row-major)", CreateGaussian);
        r.Register("mixture", "Gaussian mixture (parameters: weights, means K x D, variances K or covariances K x D x D row-major)", CreateMixture);
        r.Register("gaussian_spectrum", "N(shift, U diag(lambda) U^T) with lambda_i = scale (i+1)^-exponent (parameters: dimension, exponent 1, scale 1, shift 0, rotate 0|1, rotation_seed 0, rank 0, rank_scale 1: plus W W^T with W = rank_scale Z / sqrt(D), Z D x rank Gaussian)", CreateSpectralGaussian);
        r.Register("mixture_spectrum", "K Gaussians sharing a power-law spectrum lambda_i = scale (i+1)^-exponent (x a per-component factor in [0.5, 1.5]) and eigenbasis, means of norm ~spread (parameters: dimension, components 8, exponent 1, scale 1, spread 4, rotate 0|1, seed 0)", CreateSpectralMixture);
        return r;
    }

    private static IDataSet CreateGaussian(DataSetParameters p)
    {
        var mean = p.Contains("mean") ? p.Vector("mean") : new double[p.Integer("dimension", 0)];
        if (p.Contains("mean") && p.Contains("dimension") && p.Integer("dimension", 0) != mean.Length)
            throw new ArgumentException($"Parameter 'dimension' is {p.Integer("dimension", 0)} but 'mean' has {mean.Length} entries.", "dimension");
        if (mean.Length == 0) throw new ArgumentException("Give 'dimension' or 'mean' for a gaussian.", "dimension");
        if (p.Contains("covariance"))
        {
            if (p.Contains("variance")) throw new ArgumentException("Give 'variance' or 'covariance', not both.", "covariance");
            return new Gaussian(mean, Square(p.Vector("covariance"), mean.Length, "covariance"));
        }
        return Gaussian.Isotropic(mean, p.Scalar("variance", 1.0));
    }

    // SpectralMixture.PowerLaw: K components, shared eigenbasis, O(D² + K D) per score evaluation.
    private static IDataSet CreateSpectralMixture(DataSetParameters p)
    {
        var d = p.Integer("dimension", 0);
        if (d <= 0) throw new ArgumentException("Give a positive 'dimension' for mixture_spectrum.", "dimension");
        var k = p.Integer("components", 8);
        if (k <= 0) throw new ArgumentException($"'components' must be positive, got {k}.", "components");
        var exponent = p.Scalar("exponent", 1.0);
        if (!double.IsFinite(exponent)) throw new ArgumentException($"'exponent' must be finite, got {exponent}.", "exponent");
        var scale = p.Scalar("scale", 1.0);
        if (!(scale > 0) || !double.IsFinite(scale)) throw new ArgumentException($"'scale' must be finite and positive, got {scale}.", "scale");
        var spread = p.Scalar("spread", 4.0);
        if (!(spread >= 0) || !double.IsFinite(spread)) throw new ArgumentException($"'spread' must be finite and >= 0, got {spread}.", "spread");
        var rotate = p.Integer("rotate", 0);
        if (rotate is not (0 or 1)) throw new ArgumentException($"'rotate' must be 0 or 1, got {rotate}.", "rotate");
        var seed = p.Integer("seed", 0);
        if (seed < 0) throw new ArgumentException($"'seed' must be >= 0, got {seed}.", "seed");
        return SpectralMixture.PowerLaw(d, k, exponent, scale, spread, rotate == 1, (ulong)seed);
    }

    // The power-law family of SpectralGaussian, optionally plus a low-rank term W Wᵀ (factored once).
    private static IDataSet CreateSpectralGaussian(DataSetParameters p)
    {
        var d = p.Integer("dimension", 0);
        if (d <= 0) throw new ArgumentException("Give a positive 'dimension' for gaussian_spectrum.", "dimension");
        var exponent = p.Scalar("exponent", 1.0);
        var scale = p.Scalar("scale", 1.0);
        if (!(scale > 0) || !double.IsFinite(scale)) throw new ArgumentException($"'scale' must be finite and positive, got {scale}.", "scale");
        if (!double.IsFinite(exponent)) throw new ArgumentException($"'exponent' must be finite, got {exponent}.", "exponent");
        var shift = p.Scalar("shift", 0.0);
        var rotate = p.Integer("rotate", 0);
        if (rotate is not (0 or 1)) throw new ArgumentException($"'rotate' must be 0 or 1, got {rotate}.", "rotate");
        var seed = p.Integer("rotation_seed", 0);
        var rank = p.Integer("rank", 0);
        var rankScale = p.Scalar("rank_scale", 1.0);
        if (rank < 0 || rank > d) throw new ArgumentException($"'rank' must be in [0, {d}], got {rank}.", "rank");
        var basic = SpectralGaussian.PowerLaw(d, exponent, scale, shift, rotate == 1, (ulong)Math.Max(0, seed));
        if (rank == 0) return basic;
        if (rotate == 1) throw new ArgumentException("'rotate' and 'rank' cannot be combined.", "rank");
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

    private static IDataSet CreateMixture(DataSetParameters p)
    {
        var weights = p.Vector("weights");
        var flat = p.Vector("means");
        var k = weights.Length;
        if (k == 0 || flat.Length % k != 0 || flat.Length == 0)
            throw new ArgumentException($"'means' has {flat.Length} entries, not a positive multiple of the {k} weights.", "means");
        var d = flat.Length / k;
        var means = new double[k][];
        for (var c = 0; c < k; c++) means[c] = flat.AsSpan(c * d, d).ToArray();
        if (p.Contains("covariances"))
        {
            if (p.Contains("variances")) throw new ArgumentException("Give 'variances' or 'covariances', not both.", "covariances");
            var all = p.Vector("covariances");
            if (all.Length != k * d * d) throw new ArgumentException($"'covariances' has {all.Length} entries, expected {k} x {d} x {d}.", "covariances");
            var covariances = new double[k][,];
            for (var c = 0; c < k; c++) covariances[c] = Square(all.AsSpan(c * d * d, d * d).ToArray(), d, "covariances");
            return new GaussianMixture(weights, means, covariances);
        }
        var variances = p.Vector("variances");
        if (variances.Length != k) throw new ArgumentException($"'variances' has {variances.Length} entries for {k} weights.", "variances");
        return GaussianMixture.Isotropic(weights, means, variances);
    }

    private static double[,] Square(double[] flat, int d, string name)
    {
        if (flat.Length != d * d) throw new ArgumentException($"'{name}' has {flat.Length} entries, expected {d} x {d}.", name);
        var m = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++) m[i, j] = flat[i * d + j];
        return m;
    }
}

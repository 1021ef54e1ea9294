using System.Buffers;
using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Data;

/// <summary>
/// A Gaussian mixture Σ_k w_k N(μ_k, U diag(λ_k) Uᵀ) whose components share one orthogonal eigenbasis U (null: the
/// coordinate axes): isotropic, diagonal and rotated covariances with per-component spectra, in high dimension. Noising
/// keeps it such a mixture, N(α μ_k, U diag(α² λ_k + σ²) Uᵀ) (003 §4.4, Lemma 4.4.1 applied to each component; Kingma
/// et al. 2021), so a
/// point is rotated once (y = Uᵀ x: O(D²), or nothing when U = I) and every component then costs O(D): the exact noised
/// score, log-density, score divergence and posterior mean take O(D² + K D) per point (O(K D) unrotated), with no
/// factorisation per call. Responsibilities use log-sum-exp. Allocation-free per call (pooled scratch).
/// </summary>
public sealed class SpectralMixture : INoisedDistribution
{
    private const double LogTwoPi = 1.8378770664093454835606594728112;
    private readonly double[] _weights, _cumulative; // K
    private readonly double[] _means;                // K x D (original coordinates)
    private readonly double[] _rotatedMeans;         // K x D, Uᵀ μ_k
    private readonly double[] _eigenvalues;          // K x D
    private readonly double[]? _basis, _basisT;      // D x D row-major, U[i, j] = component i of eigenvector j

    /// <summary>Weights (positive, summing to 1 within 1e-12), means (K rows of D), per-component eigenvalues (K rows of D,
    /// positive) and the shared orthogonal basis U (null: identity; checked to 1e-9).</summary>
    public SpectralMixture(IReadOnlyList<double> weights, IReadOnlyList<double[]> means, IReadOnlyList<double[]> eigenvalues, double[,]? basis = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(eigenvalues);
        var k = weights.Count;
        if (k == 0) throw new ArgumentException("A mixture needs at least one component.", nameof(weights));
        if (means.Count != k || eigenvalues.Count != k) throw new ArgumentException($"{k} weights, {means.Count} means and {eigenvalues.Count} spectra.", nameof(means));
        for (var i = 0; i < k; i++)
        {
            if (means[i] is null) throw new ArgumentException($"Mean {i} is null.", nameof(means));
            if (eigenvalues[i] is null) throw new ArgumentException($"Spectrum {i} is null.", nameof(eigenvalues));
        }
        var d = means[0].Length;
        if (d == 0) throw new ArgumentException("The dimension must be positive.", nameof(means));
        var total = 0.0;
        foreach (var w in weights)
        {
            if (!(w > 0) || !double.IsFinite(w)) throw new ArgumentException($"A weight is {w}; all must be finite and positive.", nameof(weights));
            total += w;
        }
        if (Math.Abs(total - 1) > 1e-12) throw new ArgumentException($"The weights sum to {total}, not 1.", nameof(weights));
        Dimension = d;
        Components = k;
        _weights = weights.Select(w => w / total).ToArray();
        _cumulative = new double[k];
        var c = 0.0;
        for (var i = 0; i < k; i++) _cumulative[i] = c += _weights[i];
        _means = new double[k * d];
        _eigenvalues = new double[k * d];
        for (var i = 0; i < k; i++)
        {
            if (means[i].Length != d || eigenvalues[i].Length != d) throw new ArgumentException($"Component {i} is not {d}-dimensional.", nameof(means));
            foreach (var m in means[i]) if (!double.IsFinite(m)) throw new ArgumentException($"Mean {i} has a non-finite entry.", nameof(means));
            foreach (var l in eigenvalues[i]) if (!(l > 0) || !double.IsFinite(l)) throw new ArgumentException($"Component {i} has an eigenvalue {l}.", nameof(eigenvalues));
            means[i].CopyTo(_means, i * d);
            eigenvalues[i].CopyTo(_eigenvalues, i * d);
        }
        if (basis is null)
        {
            _rotatedMeans = _means;
            return;
        }
        if (basis.GetLength(0) != d || basis.GetLength(1) != d) throw new ArgumentException($"The basis is not {d} x {d}.", nameof(basis));
        (_basis, _basisT) = OrthogonalBasis.RowMajor(basis, nameof(basis));
        _rotatedMeans = new double[k * d];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < d; j++) _rotatedMeans[i * d + j] = TensorPrimitives.Dot(_basisT.AsSpan(j * d, d), _means.AsSpan(i * d, d));
    }

    /// <summary>
    /// K components with means drawn as spread · g / sqrt(D), g standard normal (so |μ_k| ≈ spread), a shared power-law
    /// spectrum λ_i = scale (i+1)^(−exponent) times a per-component factor in [0.5, 1.5], equal weights, and a
    /// Haar-random basis when <paramref name="rotate"/> (as <see cref="SpectralGaussian.PowerLaw"/>). All draws from <paramref name="seed"/>.
    /// </summary>
    public static SpectralMixture PowerLaw(int dimension, int components, double exponent, double scale, double spread, bool rotate, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(components);
        var noise = new NoiseSource(seed).Derive(2);
        var means = new double[components][];
        var spectra = new double[components][];
        for (var k = 0; k < components; k++)
        {
            means[k] = new double[dimension];
            noise.FillGaussian(0u, k, means[k]);
            for (var j = 0; j < dimension; j++) means[k][j] *= spread / Math.Sqrt(dimension);
            var factor = 0.5 + noise.Uniform(1u, k, 0);
            spectra[k] = new double[dimension];
            for (var j = 0; j < dimension; j++) spectra[k][j] = factor * scale * Math.Pow(j + 1, -exponent);
        }
        var weights = Enumerable.Repeat(1.0 / components, components).ToArray();
        weights[^1] = 1.0 - weights.Take(components - 1).Sum();
        return new SpectralMixture(weights, means, spectra, rotate ? SpectralGaussian.PowerLaw(dimension, 0, 1, 0, true, seed).Basis() : null);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>K.</summary>
    public int Components { get; }

    /// <summary>Row k of the covariances as a full matrix U diag(λ_k) Uᵀ (built on demand; for tests and small D).</summary>
    public double[,] Covariance(int component)
    {
        CheckComponent(component);
        var d = Dimension;
        var c = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                if (_basis is null)
                {
                    if (i == j) c[i, i] = _eigenvalues[component * d + i];
                    continue;
                }
                var s = 0.0;
                for (var q = 0; q < d; q++) s += _basis[i * d + q] * _eigenvalues[component * d + q] * _basis[j * d + q];
                c[i, j] = s;
            }
        return c;
    }

    /// <summary>A copy of μ_k.</summary>
    public double[] Mean(int component)
    {
        CheckComponent(component);
        return _means.AsSpan(component * Dimension, Dimension).ToArray();
    }

    private void CheckComponent(int component) => GaussianMixture.CheckComponent(component, Components);

    /// <summary>The weights.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>Row i: component c with probability w_c (uniform draw 0 of stream 1), then μ_c + U (√λ_c ∘ z), z the
    /// Gaussian draws of stream 0 of particle <c>firstParticle + i</c>.</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle)
    {
        Require(destination, nameof(destination));
        var d = Dimension;
        var z = new double[d];
        for (var i = 0; i < destination.Count; i++)
        {
            var u = noise.Uniform(1u, firstParticle + i, 0);
            var c = 0;
            while (c < Components - 1 && u >= _cumulative[c]) c++;
            noise.FillGaussian(0u, firstParticle + i, z);
            for (var j = 0; j < d; j++) z[j] *= Math.Sqrt(_eigenvalues[c * d + j]);
            var row = destination.Row(i);
            if (_basis is null) z.CopyTo(row);
            else for (var r = 0; r < d; r++) row[r] = TensorPrimitives.Dot(_basis.AsSpan(r * d, d), z);
            TensorPrimitives.Add(row, _means.AsSpan(c * d, d), row);
        }
    }

    /// <inheritdoc />
    public void LogDensity(Batch x, Span<double> destination) => NoisedLogDensity(1.0, 0.0, x, destination);

    /// <inheritdoc />
    public void Score(Batch x, Batch destination) => NoisedScore(1.0, 0.0, x, destination);

    /// <summary>log p_t(x) = log Σ_k w_k N(y; α ν_k, diag(α² λ_k + σ²)) with y = Uᵀ x, ν_k = Uᵀ μ_k.</summary>
    public void NoisedLogDensity(double alpha, double sigma, Batch x, Span<double> destination) => Evaluate(alpha, sigma, x, default, destination, Mode.LogDensity);

    /// <summary>∇ log p_t(x) = U Σ_k r_k(x) (−(y − α ν_k) / (α² λ_k + σ²)).</summary>
    public void NoisedScore(double alpha, double sigma, Batch x, Batch destination) => Evaluate(alpha, sigma, x, destination, default, Mode.Score);

    /// <summary>Δ log p_t = Σ_k r_k (Δ log N_k + |∇ log N_k|²) − |∇ log p_t|² (the Laplacian of a log-sum).</summary>
    public void NoisedScoreDivergence(double alpha, double sigma, Batch x, Span<double> destination) => Evaluate(alpha, sigma, x, default, destination, Mode.Divergence);

    /// <summary>E[x_0 | x_t] = U Σ_k r_k (ν_k + α λ_k / (α² λ_k + σ²) (y − α ν_k)) (Gaussian conditioning per component; 000
    /// "Tweedie's Formula"; Robbins 1956; Efron 2011).</summary>
    public void NoisedPosteriorMean(double alpha, double sigma, Batch x, Batch destination) => Evaluate(alpha, sigma, x, destination, default, Mode.PosteriorMean);

    /// <summary>The noised marginal (003 §4.4; Kingma et al. 2021).</summary>
    public SpectralMixture Noised(double alpha, double sigma)
    {
        var d = Dimension;
        var means = new double[Components][];
        var spectra = new double[Components][];
        for (var k = 0; k < Components; k++)
        {
            means[k] = new double[d];
            spectra[k] = new double[d];
            for (var j = 0; j < d; j++)
            {
                means[k][j] = alpha * _means[k * d + j];
                spectra[k][j] = alpha * alpha * _eigenvalues[k * d + j] + sigma * sigma;
            }
        }
        return new SpectralMixture(_weights, means, spectra, BasisMatrix());
    }

    INoisedDistribution INoisedDistribution.Noised(double alpha, double sigma) => Noised(alpha, sigma);

    private enum Mode { LogDensity, Score, Divergence, PosteriorMean }

    private void Evaluate(double alpha, double sigma, Batch x, Batch rows, Span<double> scalars, Mode mode)
    {
        Require(x, nameof(x));
        if (!(alpha > 0) || !(sigma >= 0) || !double.IsFinite(alpha) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"alpha = {alpha}, sigma = {sigma}.");
        // The public methods' argument is "destination" in both modes.
        if (mode is Mode.Score or Mode.PosteriorMean) x.RequireShape(rows, "destination");
        else if (scalars.Length != x.Count) throw new ArgumentException($"Destination has {scalars.Length} entries for {x.Count} particles.", "destination");
        int d = Dimension, k = Components;
        var length = 2 * k * d + 2 * k + 2 * d;
        var pool = ArrayPool<double>.Shared.Rent(length);
        try
        {
            var buffer = pool.AsSpan(0, length);
            var inverse = buffer.Slice(0, k * d);          // 1 / v_kj
            var gain = buffer.Slice(k * d, k * d);         // α λ_kj / v_kj
            var normaliser = buffer.Slice(2 * k * d, k);   // log w_k − ½ Σ log v_kj − D/2 log 2π
            var logits = buffer.Slice(2 * k * d + k, k);
            var y = buffer.Slice(2 * k * d + 2 * k, d);
            var acc = buffer.Slice(2 * k * d + 2 * k + d, d);
            for (var c = 0; c < k; c++)
            {
                var logDet = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var v = alpha * alpha * _eigenvalues[c * d + j] + sigma * sigma;
                    inverse[c * d + j] = 1 / v;
                    gain[c * d + j] = alpha * _eigenvalues[c * d + j] / v;
                    logDet += Math.Log(v);
                }
                normaliser[c] = Math.Log(_weights[c]) - 0.5 * logDet - 0.5 * d * LogTwoPi;
            }
            for (var i = 0; i < x.Count; i++)
            {
                // y = Uᵀ x
                if (_basisT is null) x.Row(i).CopyTo(y);
                else for (var j = 0; j < d; j++) y[j] = TensorPrimitives.Dot(_basisT.AsSpan(j * d, d), x.Row(i));
                var max = double.NegativeInfinity;
                for (var c = 0; c < k; c++)
                {
                    var q = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var e = y[j] - alpha * _rotatedMeans[c * d + j];
                        q += e * e * inverse[c * d + j];
                    }
                    logits[c] = normaliser[c] - 0.5 * q;
                    max = Math.Max(max, logits[c]);
                }
                var sum = 0.0;
                for (var c = 0; c < k; c++) sum += logits[c] = Math.Exp(logits[c] - max);
                if (mode == Mode.LogDensity)
                {
                    scalars[i] = max + Math.Log(sum);
                    continue;
                }
                acc.Clear();
                var second = 0.0; // Σ r_k (Δ log N_k + |∇ log N_k|²)
                for (var c = 0; c < k; c++)
                {
                    var weight = logits[c] / sum;
                    for (var j = 0; j < d; j++)
                    {
                        var e = y[j] - alpha * _rotatedMeans[c * d + j];
                        switch (mode)
                        {
                            case Mode.PosteriorMean:
                                acc[j] += weight * (_rotatedMeans[c * d + j] + gain[c * d + j] * e);
                                break;
                            default:
                                var g = -e * inverse[c * d + j];
                                acc[j] += weight * g;
                                if (mode == Mode.Divergence) second += weight * (g * g - inverse[c * d + j]);
                                break;
                        }
                    }
                }
                if (mode == Mode.Divergence)
                {
                    scalars[i] = second - TensorPrimitives.Dot(acc, acc);
                    continue;
                }
                var row = rows.Row(i);
                if (_basis is null) acc.CopyTo(row);
                else for (var j = 0; j < d; j++) row[j] = TensorPrimitives.Dot(_basis.AsSpan(j * d, d), acc);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(pool);
        }
    }

    private double[,]? BasisMatrix() => _basis is null ? null : OrthogonalBasis.Matrix(_basis, Dimension);

    private void Require(Batch x, string name)
    {
        if (x.Dimension != Dimension) throw new ArgumentException($"Batch '{name}' has dimension {x.Dimension}, the mixture has {Dimension}.", name);
    }

    /// <summary>Registers mixture_spectrum (<see cref="DataSetRegistry.CreateDefault"/>).</summary>
    internal static void Register(DataSetRegistry r) =>
        r.Register("mixture_spectrum", "K Gaussians sharing a power-law spectrum lambda_i = scale (i+1)^-exponent (x a per-component factor in [0.5, 1.5]) and eigenbasis, means of norm ~spread",
            CreateSpectralMixture,
            ParameterSpec.OptionalInteger("dimension", "dimension D (required)"),
            ParameterSpec.Integer("components", 8, "components K"),
            ParameterSpec.Real("exponent", 1.0, "power-law exponent of the spectrum"),
            ParameterSpec.Real("scale", 1.0, "largest eigenvalue"),
            ParameterSpec.Real("spread", 4.0, "norm of the means"),
            ParameterSpec.Integer("rotate", 0, "1: a random eigenbasis, 0: the identity"),
            ParameterSpec.Integer("seed", 0, "seed of the means, factors and eigenbasis"));

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
        SpectralGaussian.RequirePowerLaw(d, exponent, scale);
        return SpectralMixture.PowerLaw(d, k, exponent, scale, spread, rotate == 1, (ulong)seed);
    }
}

using System.Buffers;
using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using MathNet.Numerics.LinearAlgebra;

namespace Diffusion.Research.Data;

/// <summary>
/// A normal law N(μ, U diag(λ) Uᵀ) held by its spectrum: eigenvalues λ and, optionally, an orthogonal U (null: the
/// coordinate axes, a diagonal covariance, O(D) per evaluation). The covariance is factored once at construction, so
/// the noised marginal N(α μ, U diag(α² λ + σ²) Uᵀ) of the kernel p(x_t | x_0) = N(α x_0, σ² I) (003 §4.4; Kingma et al. 2021,
/// Lemma 4.4.1) has its score, divergence, density and posterior mean in O(D) per point (diagonal) or O(D²)
/// (rotated): no D³ work per call. <see cref="PowerLaw"/> gives the family with a known spectrum λ_i = s (i+1)^(−p);
/// <see cref="LowRankPlusDiagonal"/> factors diag(d) + W Wᵀ once. In the eigenbasis (<see cref="InEigenbasis"/>) a
/// linear SDE with scalar diffusion acts on each coordinate separately, which the exact output laws of
/// <see cref="Exact.AffineResponse.MeasureDiagonal"/> exploit.
/// </summary>
public sealed class SpectralGaussian : INoisedDistribution
{
    private const double LogTwoPi = 1.8378770664093454835606594728112;
    private readonly double[] _mean;        // D
    private readonly double[] _eigenvalues; // D
    private readonly double[]? _basis;      // D x D row-major, U[i, j] = component i of eigenvector j; null = identity
    private readonly double[]? _basisT;     // Uᵀ row-major

    /// <summary>N(<paramref name="mean"/>, U diag(<paramref name="eigenvalues"/>) Uᵀ) with U = <paramref name="basis"/>
    /// (orthogonal, checked to 1e-9; null for the identity). Eigenvalues must be finite and positive.</summary>
    public SpectralGaussian(double[] mean, double[] eigenvalues, double[,]? basis = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(eigenvalues);
        var d = mean.Length;
        if (d == 0) throw new ArgumentException("A Gaussian needs at least one dimension.", nameof(mean));
        if (eigenvalues.Length != d) throw new ArgumentException($"{eigenvalues.Length} eigenvalues for a {d}-dimensional mean.", nameof(eigenvalues));
        foreach (var l in eigenvalues)
            if (!(l > 0) || !double.IsFinite(l)) throw new ArgumentException($"An eigenvalue is {l}; all must be finite and positive.", nameof(eigenvalues));
        foreach (var m in mean)
            if (!double.IsFinite(m)) throw new ArgumentException($"The mean has a non-finite entry {m}.", nameof(mean));
        _mean = (double[])mean.Clone();
        _eigenvalues = (double[])eigenvalues.Clone();
        if (basis is not null)
        {
            if (basis.GetLength(0) != d || basis.GetLength(1) != d)
                throw new ArgumentException($"The basis is {basis.GetLength(0)} x {basis.GetLength(1)}, expected {d} x {d}.", nameof(basis));
            (_basis, _basisT) = OrthogonalBasis.RowMajor(basis, nameof(basis));
        }
    }

    /// <summary>Power-law spectrum λ_i = <paramref name="scale"/> (i + 1)^(−<paramref name="exponent"/>), i = 0..D−1
    /// (exponent 0: isotropic), mean <paramref name="shift"/> in every coordinate, axes rotated by a Haar-random
    /// orthogonal matrix drawn from <paramref name="rotationSeed"/> when <paramref name="rotate"/> (QR of a Gaussian matrix
    /// with the signs of R's diagonal moved into Q; Mezzadri 2007, "How to generate random matrices from the classical compact groups", §5).</summary>
    public static SpectralGaussian PowerLaw(int dimension, double exponent, double scale = 1.0, double shift = 0.0, bool rotate = false, ulong rotationSeed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (!double.IsFinite(exponent)) throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "Must be finite.");
        var lambda = new double[dimension];
        for (var i = 0; i < dimension; i++) lambda[i] = scale * Math.Pow(i + 1, -exponent);
        var mean = new double[dimension];
        Array.Fill(mean, shift);
        return new SpectralGaussian(mean, lambda, rotate ? RandomRotation(dimension, rotationSeed) : null);
    }

    /// <summary>N(μ, diag(<paramref name="diagonal"/>) + W Wᵀ) with W = <paramref name="factor"/> (D x r), factored once by a
    /// symmetric eigendecomposition (O(D³) at construction only).</summary>
    public static SpectralGaussian LowRankPlusDiagonal(double[] mean, double[] diagonal, double[,] factor)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(diagonal);
        ArgumentNullException.ThrowIfNull(factor);
        var d = mean.Length;
        if (diagonal.Length != d)
            throw new ArgumentException($"diagonal has {diagonal.Length} entries and the factor {factor.GetLength(0)} rows for D = {d}.", nameof(diagonal));
        if (factor.GetLength(0) != d)
            throw new ArgumentException($"diagonal has {diagonal.Length} entries and the factor {factor.GetLength(0)} rows for D = {d}.", nameof(factor));
        var w = Matrix<double>.Build.DenseOfArray(factor);
        var c = w * w.Transpose() + Matrix<double>.Build.DiagonalOfDiagonalArray(diagonal);
        return FromCovariance(mean, c.ToArray());
    }

    /// <summary>N(μ, Σ) for a symmetric positive definite Σ, factored once (Σ = U diag(λ) Uᵀ).</summary>
    public static SpectralGaussian FromCovariance(double[] mean, double[,] covariance)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        var c = Matrix<double>.Build.DenseOfArray(covariance);
        var sym = 0.5 * (c + c.Transpose());
        var evd = sym.Evd(Symmetricity.Symmetric);
        return new SpectralGaussian(mean, evd.EigenValues.Real().ToArray(), evd.EigenVectors.ToArray());
    }

    /// <inheritdoc />
    public int Dimension => _mean.Length;

    /// <summary>True when the axes are rotated (U is not the identity).</summary>
    public bool IsRotated => _basis is not null;

    /// <summary>A copy of μ.</summary>
    public double[] Mean => (double[])_mean.Clone();

    /// <summary>A copy of λ.</summary>
    public double[] Eigenvalues => (double[])_eigenvalues.Clone();

    /// <summary>The covariance U diag(λ) Uᵀ as a D x D matrix (built on demand).</summary>
    public double[,] CovarianceMatrix()
    {
        var d = Dimension;
        var c = new double[d, d];
        for (var i = 0; i < d; i++)
        {
            if (_basis is null)
            {
                c[i, i] = _eigenvalues[i];
                continue;
            }
            for (var j = 0; j < d; j++)
            {
                var s = 0.0;
                for (var k = 0; k < d; k++) s += _basis[i * d + k] * _eigenvalues[k] * _basis[j * d + k];
                c[i, j] = s;
            }
        }
        return c;
    }

    /// <summary>The same law written in its eigenbasis: N(Uᵀ μ, diag(λ)) (no rotation). Distances between laws and the
    /// law of a linear SDE with scalar diffusion and isotropic prior are the same in either basis.</summary>
    public SpectralGaussian InEigenbasis()
    {
        if (_basisT is null) return this;
        var d = Dimension;
        var m = new double[d];
        for (var j = 0; j < d; j++) m[j] = TensorPrimitives.Dot(_basisT.AsSpan(j * d, d), _mean);
        return new SpectralGaussian(m, _eigenvalues);
    }

    /// <summary>Row i gets μ + U (√λ ∘ z) with z the draws 0..D−1 of particle <c>firstParticle + i</c>, stream 0.</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle)
    {
        RequireDimension(destination, nameof(destination));
        var d = Dimension;
        var z = new double[d];
        for (var i = 0; i < destination.Count; i++)
        {
            noise.FillGaussian(0u, firstParticle + i, z);
            for (var j = 0; j < d; j++) z[j] *= Math.Sqrt(_eigenvalues[j]);
            var row = destination.Row(i);
            if (_basis is null) z.CopyTo(row);
            else for (var r = 0; r < d; r++) row[r] = TensorPrimitives.Dot(_basis.AsSpan(r * d, d), z);
            TensorPrimitives.Add(row, _mean, row);
        }
    }

    /// <inheritdoc />
    public void LogDensity(Batch x, Span<double> destination) => NoisedLogDensity(1.0, 0.0, x, destination);

    /// <inheritdoc />
    public void Score(Batch x, Batch destination) => NoisedScore(1.0, 0.0, x, destination);

    /// <summary>log N(x; α μ, U diag(α² λ + σ²) Uᵀ).</summary>
    public void NoisedLogDensity(double alpha, double sigma, Batch x, Span<double> destination)
    {
        GaussianMixture.ValidateKernel(alpha, sigma);
        RequireDimension(x, nameof(x));
        if (destination.Length != x.Count) throw new ArgumentException($"Destination has {destination.Length} entries for {x.Count} particles.", nameof(destination));
        var d = Dimension;
        var pool = ArrayPool<double>.Shared.Rent(2 * d);
        var y = pool.AsSpan(0, d);
        var scratch = pool.AsSpan(d, d);
        var logDet = 0.0;
        for (var j = 0; j < d; j++) logDet += Math.Log(alpha * alpha * _eigenvalues[j] + sigma * sigma);
        for (var i = 0; i < x.Count; i++)
        {
            Rotated(alpha, x.Row(i), y, scratch);
            var q = 0.0;
            for (var j = 0; j < d; j++) q += y[j] * y[j] / (alpha * alpha * _eigenvalues[j] + sigma * sigma);
            destination[i] = -0.5 * (q + logDet + d * LogTwoPi);
        }
        ArrayPool<double>.Shared.Return(pool);
    }

    /// <summary>∇ log p_t(x) = −U diag(1/(α² λ + σ²)) Uᵀ (x − α μ).</summary>
    public void NoisedScore(double alpha, double sigma, Batch x, Batch destination)
    {
        GaussianMixture.ValidateKernel(alpha, sigma);
        RequireDimension(x, nameof(x));
        x.RequireShape(destination, nameof(destination));
        var d = Dimension;
        var pool = ArrayPool<double>.Shared.Rent(2 * d);
        var y = pool.AsSpan(0, d);
        var scratch = pool.AsSpan(d, d);
        for (var i = 0; i < x.Count; i++)
        {
            Rotated(alpha, x.Row(i), y, scratch);
            for (var j = 0; j < d; j++) y[j] = -y[j] / (alpha * alpha * _eigenvalues[j] + sigma * sigma);
            Back(y, destination.Row(i));
        }
        ArrayPool<double>.Shared.Return(pool);
    }

    /// <summary>Δ log p_t = −Σ_j 1/(α² λ_j + σ²), the same at every x.</summary>
    public void NoisedScoreDivergence(double alpha, double sigma, Batch x, Span<double> destination)
    {
        GaussianMixture.ValidateKernel(alpha, sigma);
        RequireDimension(x, nameof(x));
        if (destination.Length != x.Count) throw new ArgumentException($"Destination has {destination.Length} entries for {x.Count} particles.", nameof(destination));
        var s = 0.0;
        for (var j = 0; j < Dimension; j++) s -= 1 / (alpha * alpha * _eigenvalues[j] + sigma * sigma);
        destination.Fill(s);
    }

    /// <summary>E[x_0 | x_t = x] = μ + U diag(α λ/(α² λ + σ²)) Uᵀ (x − α μ) (Gaussian conditioning; 000 "Tweedie's Formula";
    /// Robbins 1956; Efron 2011).</summary>
    public void NoisedPosteriorMean(double alpha, double sigma, Batch x, Batch destination)
    {
        GaussianMixture.ValidateKernel(alpha, sigma);
        RequireDimension(x, nameof(x));
        x.RequireShape(destination, nameof(destination));
        var d = Dimension;
        var pool = ArrayPool<double>.Shared.Rent(2 * d);
        var y = pool.AsSpan(0, d);
        var scratch = pool.AsSpan(d, d);
        for (var i = 0; i < x.Count; i++)
        {
            Rotated(alpha, x.Row(i), y, scratch);
            for (var j = 0; j < d; j++) y[j] *= alpha * _eigenvalues[j] / (alpha * alpha * _eigenvalues[j] + sigma * sigma);
            var row = destination.Row(i);
            Back(y, row);
            TensorPrimitives.Add(row, _mean, row);
        }
        ArrayPool<double>.Shared.Return(pool);
    }

    /// <summary>The noised marginal N(α μ, U diag(α² λ + σ²) Uᵀ) (003 §4.4; Kingma et al. 2021).</summary>
    public SpectralGaussian Noised(double alpha, double sigma)
    {
        GaussianMixture.ValidateKernel(alpha, sigma);
        var m = new double[Dimension];
        var l = new double[Dimension];
        for (var j = 0; j < Dimension; j++)
        {
            m[j] = alpha * _mean[j];
            l[j] = alpha * alpha * _eigenvalues[j] + sigma * sigma;
        }
        return new SpectralGaussian(m, l, Basis());
    }

    INoisedDistribution INoisedDistribution.Noised(double alpha, double sigma) => Noised(alpha, sigma);

    /// <summary>U as a D x D matrix, or null for the identity.</summary>
    public double[,]? Basis() => _basis is null ? null : OrthogonalBasis.Matrix(_basis, Dimension);

    // y = Uᵀ (x − α μ).
    private void Rotated(double alpha, ReadOnlySpan<double> x, Span<double> y, Span<double> centred)
    {
        var d = Dimension;
        if (_basisT is null)
        {
            for (var j = 0; j < d; j++) y[j] = x[j] - alpha * _mean[j];
            return;
        }
        for (var j = 0; j < d; j++) centred[j] = x[j] - alpha * _mean[j];
        for (var j = 0; j < d; j++) y[j] = TensorPrimitives.Dot(_basisT.AsSpan(j * d, d), centred);
    }

    // destination = U y.
    private void Back(ReadOnlySpan<double> y, Span<double> destination)
    {
        var d = Dimension;
        if (_basis is null)
        {
            y.CopyTo(destination);
            return;
        }
        for (var r = 0; r < d; r++) destination[r] = TensorPrimitives.Dot(_basis.AsSpan(r * d, d), y);
    }

    private static double[,] RandomRotation(int d, ulong seed)
    {
        var noise = new NoiseSource(seed);
        var a = Matrix<double>.Build.Dense(d, d);
        var column = new double[d];
        for (var j = 0; j < d; j++)
        {
            noise.FillGaussian(0u, j, column);
            for (var i = 0; i < d; i++) a[i, j] = column[i];
        }
        var qr = a.QR();
        var q = qr.Q;
        var r = qr.R;
        for (var j = 0; j < d; j++)
            if (r[j, j] < 0)
                for (var i = 0; i < d; i++) q[i, j] = -q[i, j];
        return q.ToArray();
    }

    private void RequireDimension(Batch x, string name)
    {
        if (x.Dimension != Dimension) throw new ArgumentException($"Batch '{name}' has dimension {x.Dimension}, the Gaussian has {Dimension}.", name);
    }

    /// <summary>Registers gaussian_spectrum (<see cref="DataSetRegistry.CreateDefault"/>).</summary>
    internal static void Register(DataSetRegistry r) =>
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

    /// <summary>The power law λ_i = scale (i+1)^−exponent (i &lt; d) of gaussian_spectrum and mixture_spectrum must stay finite and
    /// positive (an extreme exponent under- or overflows it); throws <see cref="ParameterException"/> at 'exponent'.</summary>
    internal static void RequirePowerLaw(int d, double exponent, double scale)
    {
        // λ_i is monotone in i, so its ends decide: λ_0 = scale, λ_{d-1} = scale d^−exponent.
        var last = scale * Math.Pow(d, -exponent);
        if (!(last > 0 && double.IsFinite(last)))
            throw new ParameterException("exponent", $"the spectrum scale (i+1)^-exponent must stay finite and positive for i < {d}; exponent = {exponent.ToString(System.Globalization.CultureInfo.InvariantCulture)} gives {last.ToString(System.Globalization.CultureInfo.InvariantCulture)} at i = {d - 1}.");
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
        RequirePowerLaw(d, exponent, scale);
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
}

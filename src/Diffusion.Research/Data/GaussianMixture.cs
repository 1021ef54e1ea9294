using System.Buffers;
using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using MathNet.Numerics.LinearAlgebra;

namespace Diffusion.Research.Data;

/// <summary>
/// A mixture of K full-covariance Gaussians in D dimensions, p(x) = sum_k w_k N(x; mu_k, Sigma_k), with exact
/// log-density, score, sampling and, for any affine kernel p(x_t | x_0) = N(alpha x_0, sigma^2 I), the exact
/// noised marginal, its score, the divergence of that score and the posterior mean E[x_0 | x_t].
/// </summary>
/// <remarks>
/// <para>Noising a mixture keeps it a mixture: x_t = alpha x_0 + sigma eps with x_0 ~ N(mu_k, Sigma_k) is
/// N(alpha mu_k, alpha^2 Sigma_k + sigma^2 I) (003 §4.4, Lemma 4.4.1 (Kingma et al. 2021) kernel x_t = alpha_t x_0 + sigma_t eps;
/// 000 "Tweedie's Formula"; Robbins 1956; Efron 2011). Each Sigma_k = U_k diag(L_k) U_k^T is diagonalised once at
/// construction, so
/// C_k = alpha^2 Sigma_k + sigma^2 I = U_k diag(alpha^2 L_k + sigma^2) U_k^T has a free inverse and log-determinant
/// for every (alpha, sigma). When every Sigma_k = c_k I a faster isotropic path skips the rotations and no D x D matrix is stored
/// (O(K D) memory), so isotropic mixtures and Gaussians, SDE priors included, are cheap in high dimension.</para>
/// <para>Weights: each must be finite and positive, and their sum must be 1 within 1e-12; they are then divided by
/// that sum so that the stored weights sum to 1 to rounding. Covariances must be finite, symmetric within
/// 1e-12 relative to their largest entry, and positive definite with smallest eigenvalue above
/// 1e-14 times the largest.</para>
/// <para>Every evaluation is thread-safe for disjoint destinations and allocation-free (scratch comes from
/// <see cref="ArrayPool{T}.Shared"/>); responsibilities use log-sum-exp. Rows are processed in tiles of
/// 128 stored column-wise so that every step, exponentials included, is a TensorPrimitives call; the isotropic score,
/// the hot path of exact-score sampling, runs eight rows at a time in registers (<see cref="IsotropicScoreLanes"/>) with
/// the same operations per row, hence the same bits. The result for a row does not depend on its position in the batch.</para>
/// </remarks>
public sealed partial class GaussianMixture : INoisedDistribution
{
    private const int Tile = 128;
    private const double LogTwoPi = 1.8378770664093454835606594728112; // log(2 pi)

    private readonly double[] _weights;       // K
    private readonly double[] _cumulative;    // K, cumulative weights for sampling
    private readonly double[] _means;         // K x D
    private readonly double[] _eigenvalues;   // K x D (isotropic: c_k repeated D times)
    private readonly double[] _scales;        // K, sqrt c_k (isotropic only, else empty)
    private readonly double[] _covariances;   // K x D x D, as given (symmetrised); empty when isotropic
    private readonly double[] _eigenvectors;  // K x D x D, U_k row-major: U_k[i, j] = component i of eigenvector j; empty when isotropic
    private readonly double[] _sqrtFactors;   // K x D x D, A_k = U_k diag(sqrt L_k), Sigma_k = A_k A_k^T; empty when isotropic

    /// <summary>Builds a mixture from weights, means and full covariance matrices (one per component). When every
    /// covariance is a multiple of the identity, only the K variances are kept (as with <see cref="Isotropic"/>).</summary>
    /// <exception cref="ArgumentException">When counts or dimensions disagree, a weight is not positive, the weights
    /// do not sum to 1, or a covariance is not symmetric positive definite.</exception>
    public GaussianMixture(IReadOnlyList<double> weights, IReadOnlyList<double[]> means, IReadOnlyList<double[,]> covariances)
        : this(weights, means, covariances, null)
    {
    }

    // Exactly one of covariances (general) and variances (isotropic, no D x D storage) is given.
    private GaussianMixture(IReadOnlyList<double> weights, IReadOnlyList<double[]> means, IReadOnlyList<double[,]>? covariances,
        IReadOnlyList<double>? variances)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        if (covariances is null && variances is null) throw new ArgumentNullException(nameof(covariances));
        var k = weights.Count;
        if (k == 0) throw new ArgumentException("A mixture needs at least one component.", nameof(weights));
        if (means.Count != k) throw new ArgumentException($"{means.Count} means given for {k} weights.", nameof(means));
        if (covariances is not null && covariances.Count != k)
            throw new ArgumentException($"{covariances.Count} covariances given for {k} weights.", nameof(covariances));
        if (variances is not null && variances.Count != k)
            throw new ArgumentException($"{variances.Count} variances given for {k} weights.", nameof(variances));
        if (means[0] is null) throw new ArgumentException("Mean 0 is null.", nameof(means));
        var d = means[0].Length;
        if (d == 0) throw new ArgumentException("Means must have at least one coordinate.", nameof(means));

        Components = k;
        Dimension = d;
        _weights = ValidateWeights(weights);
        _cumulative = new double[k];
        var running = 0.0;
        for (var c = 0; c < k; c++) _cumulative[c] = running += _weights[c];
        _cumulative[k - 1] = 1.0;

        _means = new double[k * d];
        for (var c = 0; c < k; c++)
        {
            var mean = means[c] ?? throw new ArgumentException($"Mean {c} is null.", nameof(means));
            if (mean.Length != d) throw new ArgumentException($"Mean {c} has {mean.Length} coordinates, mean 0 has {d}.", nameof(means));
            foreach (var v in mean)
                if (!double.IsFinite(v)) throw new ArgumentException($"Mean {c} has a non-finite coordinate.", nameof(means));
            mean.CopyTo(_means, c * d);
        }

        variances ??= IsotropicVariances(covariances!, d);
        _eigenvalues = new double[k * d];
        if (variances is not null)
        {
            // Sigma_k = c_k I: U_k = I and L_k = c_k, kept implicitly (O(K D) memory, no eigendecomposition).
            IsIsotropic = true;
            _scales = new double[k];
            _covariances = _eigenvectors = _sqrtFactors = [];
            for (var c = 0; c < k; c++)
            {
                var v = variances[c];
                if (!(double.IsFinite(v) && v > 0.0))
                    throw new ArgumentException($"Covariance {c} = {v} I is not positive definite.", covariances is null ? nameof(variances) : nameof(covariances));
                _eigenvalues.AsSpan(c * d, d).Fill(v);
                _scales[c] = Math.Sqrt(v);
            }
            return;
        }
        _scales = [];
        _covariances = new double[k * d * d];
        _eigenvectors = new double[k * d * d];
        _sqrtFactors = new double[k * d * d];
        for (var c = 0; c < k; c++) Decompose(c, covariances![c]);
    }

    /// <summary>Mixture of isotropic components N(mu_k, variances[k] I); stores no D x D matrix.</summary>
    public static GaussianMixture Isotropic(IReadOnlyList<double> weights, IReadOnlyList<double[]> means, IReadOnlyList<double> variances)
    {
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(variances);
        return new GaussianMixture(weights, means, null, variances);
    }

    /// <summary>Number of components K.</summary>
    public int Components { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>True when every covariance is a multiple of the identity (the fast path is used).</summary>
    public bool IsIsotropic { get; }

    /// <summary>The mixture weights (normalised to sum to 1).</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>A copy of the mean of component <paramref name="component"/>.</summary>
    public double[] Mean(int component)
    {
        CheckComponent(component);
        return _means.AsSpan(component * Dimension, Dimension).ToArray();
    }

    /// <summary>A copy of the covariance matrix of component <paramref name="component"/>.</summary>
    public double[,] Covariance(int component)
    {
        CheckComponent(component);
        var d = Dimension;
        var result = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
                result[i, j] = CovarianceEntry(component, i, j);
        return result;
    }

    /// <summary>The mean of the whole mixture, sum_k w_k mu_k.</summary>
    public double[] MixtureMean()
    {
        var d = Dimension;
        var result = new double[d];
        for (var c = 0; c < Components; c++)
            for (var i = 0; i < d; i++) result[i] += _weights[c] * _means[c * d + i];
        return result;
    }

    /// <summary>The covariance of the whole mixture, sum_k w_k (Sigma_k + mu_k mu_k^T) - m m^T.</summary>
    public double[,] MixtureCovariance()
    {
        var d = Dimension;
        var m = MixtureMean();
        var result = new double[d, d];
        for (var c = 0; c < Components; c++)
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                    result[i, j] += _weights[c] * (CovarianceEntry(c, i, j) + _means[c * d + i] * _means[c * d + j]);
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++) result[i, j] -= m[i] * m[j];
        return result;
    }

    /// <summary>The noised mixture as a new object: means alpha mu_k, covariances alpha^2 Sigma_k + sigma^2 I
    /// (003 §4.4 kernel N(alpha x_0, sigma^2 I); Kingma et al. 2021). Allocates; meant for tests and set-up, not hot
    /// loops.</summary>
    public GaussianMixture Noised(double alpha, double sigma)
    {
        ValidateKernel(alpha, sigma);
        var d = Dimension;
        var means = new double[Components][];
        if (IsIsotropic)
        {
            var variances = new double[Components];
            for (var c = 0; c < Components; c++)
            {
                means[c] = new double[d];
                for (var i = 0; i < d; i++) means[c][i] = alpha * _means[c * d + i];
                variances[c] = alpha * alpha * _eigenvalues[c * d] + sigma * sigma;
            }
            return new GaussianMixture(_weights, means, null, variances);
        }
        var covariances = new double[Components][,];
        for (var c = 0; c < Components; c++)
        {
            means[c] = new double[d];
            covariances[c] = new double[d, d];
            for (var i = 0; i < d; i++)
            {
                means[c][i] = alpha * _means[c * d + i];
                for (var j = 0; j < d; j++)
                    covariances[c][i, j] = alpha * alpha * _covariances[(c * d + i) * d + j] + (i == j ? sigma * sigma : 0.0);
            }
        }
        return new GaussianMixture(_weights, means, covariances);
    }

    INoisedDistribution INoisedDistribution.Noised(double alpha, double sigma) => Noised(alpha, sigma);

    /// <inheritdoc />
    public void LogDensity(Batch x, Span<double> destination) => NoisedLogDensity(1.0, 0.0, x, destination);

    /// <inheritdoc />
    public void Score(Batch x, Batch destination) => NoisedScore(1.0, 0.0, x, destination);

    /// <summary>log p_t(x_i) of the noised marginal p_t = sum_k w_k N(alpha mu_k, alpha^2 Sigma_k + sigma^2 I).</summary>
    public void NoisedLogDensity(double alpha, double sigma, Batch x, Span<double> destination)
    {
        EvaluateScalars(alpha, sigma, x, Mode.LogDensity, destination);
    }

    /// <summary>grad log p_t(x_i) of the noised marginal (the exact score of the forward process at (alpha, sigma)).</summary>
    public void NoisedScore(double alpha, double sigma, Batch x, Batch destination)
    {
        EvaluateRows(alpha, sigma, x, Mode.Score, destination);
    }

    /// <summary>The divergence (Laplacian of log p_t) of the noised score, analytic:
    /// sum_k r_k (|s_k|^2 - tr C_k^-1) - |s|^2 with r_k the responsibilities and s_k the component scores.</summary>
    public void NoisedScoreDivergence(double alpha, double sigma, Batch x, Span<double> destination)
    {
        EvaluateScalars(alpha, sigma, x, Mode.Divergence, destination);
    }

    /// <summary>The posterior mean E[x_0 | x_t = x_i] in closed form:
    /// sum_k r_k (mu_k + alpha Sigma_k C_k^-1 (x - alpha mu_k)). Equals (x + sigma^2 score) / alpha (Tweedie) when alpha != 0.</summary>
    public void NoisedPosteriorMean(double alpha, double sigma, Batch x, Batch destination)
    {
        EvaluateRows(alpha, sigma, x, Mode.PosteriorMean, destination);
    }

    /// <summary>Row i gets sample <c>firstParticle + i</c>: the component from uniform draw 0 of stream 0, the
    /// coordinates mu_k + U_k diag(sqrt L_k) z with z the Gaussian draws 0..D-1 of stream 1.</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle)
    {
        RequireDimension(destination, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegative(firstParticle);
        var d = Dimension;
        Span<double> z = d <= 64 ? stackalloc double[d] : new double[d];
        for (var i = 0; i < destination.Count; i++)
        {
            var particle = firstParticle + i;
            var c = ChooseComponent(noise.Uniform(0, particle, 0));
            noise.FillGaussian(1, particle, z);
            Transform(c, z, destination.Row(i));
        }
    }

    /// <summary>Row i gets mu_c + A_c z with z the Gaussian draws 0..D-1 of <paramref name="stream"/> for particle
    /// <c>firstParticle + i</c>: a sample of the single component <paramref name="component"/> (no component draw).</summary>
    internal void SampleComponent(int component, Batch destination, NoiseSource noise, uint stream, long firstParticle)
    {
        CheckComponent(component);
        RequireDimension(destination, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegative(firstParticle);
        var d = Dimension;
        Span<double> z = d <= 64 ? stackalloc double[d] : new double[d];
        for (var i = 0; i < destination.Count; i++)
        {
            noise.FillGaussian(stream, firstParticle + i, z);
            Transform(component, z, destination.Row(i));
        }
    }

    // row = mu_c + A_c z with Sigma_c = A_c A_c^T; isotropic: A_c = sqrt(c_c) I (the same values the dense product gives).
    private void Transform(int c, ReadOnlySpan<double> z, Span<double> row)
    {
        var d = Dimension;
        var mean = _means.AsSpan(c * d, d);
        if (IsIsotropic)
        {
            var scale = _scales[c];
            for (var r = 0; r < d; r++) row[r] = mean[r] + scale * z[r];
            return;
        }
        var a = _sqrtFactors.AsSpan(c * d * d, d * d);
        for (var r = 0; r < d; r++)
            row[r] = mean[r] + TensorPrimitives.Dot(a.Slice(r * d, d), z);
    }

    private double CovarianceEntry(int c, int i, int j)
    {
        var d = Dimension;
        if (IsIsotropic) return i == j ? _eigenvalues[c * d] : 0.0;
        return _covariances[(c * d + i) * d + j];
    }

    private int ChooseComponent(double u)
    {
        var c = 0;
        while (c < _cumulative.Length - 1 && u >= _cumulative[c]) c++;
        return c;
    }

    /// <summary>Registers mixture (<see cref="DataSetRegistry.CreateDefault"/>).</summary>
    internal static void Register(DataSetRegistry r) =>
        r.Register("mixture", "Gaussian mixture; give variances or covariances", CreateMixture,
            ParameterSpec.Vector("weights", "K weights"),
            ParameterSpec.Vector("means", "means, K x D row-major"),
            ParameterSpec.Vector("variances", "K isotropic variances"),
            ParameterSpec.Vector("covariances", "covariances, K x D x D row-major"));

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
            for (var c = 0; c < k; c++) covariances[c] = Gaussian.SquareParameter(all.AsSpan(c * d * d, d * d).ToArray(), d, "covariances");
            return new GaussianMixture(weights, means, covariances);
        }
        var variances = p.Vector("variances");
        if (variances.Length != k) throw new ParameterException("variances", $"'variances' has {variances.Length} entries for {k} weights.");
        return GaussianMixture.Isotropic(weights, means, variances);
    }
}

using System.Buffers;
using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Diffusion.Research.Data;

/// <summary>
/// A mixture of K full-covariance Gaussians in D dimensions, p(x) = sum_k w_k N(x; mu_k, Sigma_k), with exact
/// log-density, score, sampling and, for any affine kernel p(x_t | x_0) = N(alpha x_0, sigma^2 I), the exact
/// noised marginal, its score, the divergence of that score and the posterior mean E[x_0 | x_t].
/// </summary>
/// <remarks>
/// <para>Noising a mixture keeps it a mixture: x_t = alpha x_0 + sigma eps with x_0 ~ N(mu_k, Sigma_k) is
/// N(alpha mu_k, alpha^2 Sigma_k + sigma^2 I) (003 §4.4, Lemma 4.4.1 kernel x_t = alpha_t x_0 + sigma_t eps;
/// 000 "Tweedie's Formula"). Each Sigma_k = U_k diag(L_k) U_k^T is diagonalised once at construction, so
/// C_k = alpha^2 Sigma_k + sigma^2 I = U_k diag(alpha^2 L_k + sigma^2) U_k^T has a free inverse and log-determinant
/// for every (alpha, sigma). When every Sigma_k = c_k I a faster isotropic path skips the rotations and no D x D matrix is stored
/// (O(K D) memory), so isotropic mixtures and Gaussians, SDE priors included, are cheap in high dimension.</para>
/// <para>Weights: each must be finite and positive, and their sum must be 1 within 1e-12; they are then divided by
/// that sum so that the stored weights sum to 1 to rounding. Covariances must be finite, symmetric within
/// 1e-12 relative to their largest entry, and positive definite with smallest eigenvalue above
/// 1e-14 times the largest.</para>
/// <para>Every evaluation is thread-safe for disjoint destinations and allocation-free (scratch comes from
/// <see cref="ArrayPool{T}.Shared"/>); responsibilities use log-sum-exp. Rows are processed in tiles of
/// 128 stored column-wise so that every step, exponentials included, is a TensorPrimitives call; the result for a
/// row does not depend on its position in the batch.</para>
/// </remarks>
public sealed class GaussianMixture : INoisedDistribution
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
    /// (003 §4.4 kernel N(alpha x_0, sigma^2 I)). Allocates; meant for tests and set-up, not hot loops.</summary>
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

    private enum Mode { LogDensity, Score, Divergence, PosteriorMean }

    // The argument checks of the four public evaluations: one value per particle, or one row per particle.
    private void EvaluateScalars(double alpha, double sigma, Batch x, Mode mode, Span<double> destination)
    {
        ValidateKernel(alpha, sigma);
        RequireDimension(x, nameof(x));
        if (destination.Length != x.Count)
            throw new ArgumentException($"Destination has {destination.Length} entries for {x.Count} particles.", nameof(destination));
        Evaluate(alpha, sigma, x, mode, default, destination);
    }

    private void EvaluateRows(double alpha, double sigma, Batch x, Mode mode, Batch destination)
    {
        ValidateKernel(alpha, sigma);
        RequireDimension(x, nameof(x));
        x.RequireShape(destination, nameof(destination));
        Evaluate(alpha, sigma, x, mode, destination, default);
    }

    // The evaluation engine. Rows are processed in tiles of Tile particles stored column-wise (coordinate i of the
    // tile's particles is one contiguous span), so every step is a TensorPrimitives call over Tile values.
    // Scratch comes from the shared ArrayPool, rented once per call.
    private void Evaluate(double alpha, double sigma, Batch x, Mode mode, Batch destination, Span<double> scalars)
    {
        var k = Components;
        var d = Dimension;
        var kd = k * d;
        var dt = d * Tile;
        var rotated = IsIsotropic ? 0 : dt; // the isotropic path never rotates
        var length = 4 * kd + 2 * k + k * Tile + 5 * Tile + 3 * dt + rotated;
        var pool = ArrayPool<double>.Shared.Rent(length);
        try
        {
            var buffer = pool.AsSpan(0, length);
            var s = new Scratch
            {
                NoisedMeans = Take(ref buffer, kd),       // alpha mu_k
                InverseVariances = Take(ref buffer, kd),  // 1 / lambda_kj, lambda_kj = alpha^2 L_kj + sigma^2
                Gains = Take(ref buffer, kd),             // alpha L_kj / lambda_kj
                RotatedMeans = Take(ref buffer, kd),      // U_k^T alpha mu_k (general path)
                Normalisers = Take(ref buffer, k),        // log w_k - D/2 log 2 pi - 1/2 log det C_k
                Traces = Take(ref buffer, k),             // tr C_k^-1
                Logits = Take(ref buffer, k * Tile),      // log w_k N_k(x_b), then responsibilities r_k(x_b)
                Maxima = Take(ref buffer, Tile),
                Sums = Take(ref buffer, Tile),
                Work = Take(ref buffer, Tile),
                Second = Take(ref buffer, Tile),
                Columns = Take(ref buffer, dt),           // x, column-wise
                Rotated = Take(ref buffer, rotated),           // U_k^T (x - alpha mu_k), column-wise
                Component = Take(ref buffer, dt),
                Accumulator = Take(ref buffer, dt),
                Spare = Take(ref buffer, Tile),
            };
            PrepareKernel(alpha, sigma, s);

            var xs = x.Values;
            var outRows = mode is Mode.Score or Mode.PosteriorMean ? destination.Values : default;
            for (var start = 0; start < x.Count; start += Tile)
            {
                var rows = Math.Min(Tile, x.Count - start);
                // Deinterleave the tile; unused tail rows are 0 so that every value stays finite.
                s.Columns.Clear();
                for (var b = 0; b < rows; b++)
                    for (var i = 0; i < d; i++) s.Columns[i * Tile + b] = xs[(start + b) * d + i];

                ComputeLogits(s);
                // Stable responsibilities: subtract the per-particle maximum before exponentiating (log-sum-exp).
                s.Maxima.Fill(double.NegativeInfinity);
                for (var c = 0; c < k; c++) TensorPrimitives.Max(s.Maxima, s.Logits.Slice(c * Tile, Tile), s.Maxima);
                for (var c = 0; c < k; c++) TensorPrimitives.Subtract(s.Logits.Slice(c * Tile, Tile), s.Maxima, s.Logits.Slice(c * Tile, Tile));
                TensorPrimitives.Exp(s.Logits, s.Logits); // always the full K x Tile block: same code path for every row
                s.Sums.Clear();
                for (var c = 0; c < k; c++) TensorPrimitives.Add(s.Sums, s.Logits.Slice(c * Tile, Tile), s.Sums);

                if (mode == Mode.LogDensity)
                {
                    for (var b = 0; b < rows; b++) scalars[start + b] = s.Maxima[b] + Math.Log(s.Sums[b]);
                    continue;
                }
                TensorPrimitives.Reciprocal(s.Sums, s.Sums);
                for (var c = 0; c < k; c++) TensorPrimitives.Multiply(s.Logits.Slice(c * Tile, Tile), s.Sums, s.Logits.Slice(c * Tile, Tile));

                switch (mode)
                {
                    case Mode.Score:
                        AccumulateScore(s);
                        break;
                    case Mode.PosteriorMean:
                        AccumulatePosteriorMean(s);
                        break;
                    default:
                        AccumulateDivergence(s);
                        for (var b = 0; b < rows; b++) scalars[start + b] = s.Second[b];
                        continue;
                }
                for (var b = 0; b < rows; b++)
                    for (var i = 0; i < d; i++) outRows[(start + b) * d + i] = s.Accumulator[i * Tile + b];
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(pool);
        }
    }

    private static Span<double> Take(ref Span<double> buffer, int count)
    {
        var head = buffer.Slice(0, count);
        buffer = buffer.Slice(count);
        return head;
    }

    /// <summary>Views into the pooled scratch of one call.</summary>
    private ref struct Scratch
    {
        public Span<double> NoisedMeans, InverseVariances, Gains, RotatedMeans, Normalisers, Traces;
        public Span<double> Logits, Maxima, Sums, Work, Second, Columns, Rotated, Component, Accumulator, Spare;
    }

    // C_k = alpha^2 Sigma_k + sigma^2 I = U_k diag(lambda_k) U_k^T with lambda_kj = alpha^2 L_kj + sigma^2
    // (kernel N(alpha x_0, sigma^2 I) of 003 §4.4, Lemma 4.4.1, applied to each component).
    private void PrepareKernel(double alpha, double sigma, Scratch s)
    {
        var d = Dimension;
        var a2 = alpha * alpha;
        var s2 = sigma * sigma;
        for (var c = 0; c < Components; c++)
        {
            var logDet = 0.0;
            var trace = 0.0;
            for (var j = 0; j < d; j++)
            {
                var l = _eigenvalues[c * d + j];
                var lambda = a2 * l + s2;
                logDet += Math.Log(lambda);
                trace += 1.0 / lambda;
                s.InverseVariances[c * d + j] = 1.0 / lambda;
                s.Gains[c * d + j] = alpha * l / lambda;
                s.NoisedMeans[c * d + j] = alpha * _means[c * d + j];
            }
            for (var j = 0; j < d && !IsIsotropic; j++) // U^T alpha mu, used by the general path only
            {
                var r = 0.0;
                for (var i = 0; i < d; i++) r += _eigenvectors[(c * d + i) * d + j] * s.NoisedMeans[c * d + i];
                s.RotatedMeans[c * d + j] = r;
            }
            s.Normalisers[c] = Math.Log(_weights[c]) - 0.5 * (d * LogTwoPi + logDet);
            s.Traces[c] = trace;
        }
    }

    // Logits[c] = log w_c - D/2 log 2 pi - 1/2 log det C_c - 1/2 (x - m_c)^T C_c^-1 (x - m_c).
    private void ComputeLogits(Scratch s)
    {
        var d = Dimension;
        var q = s.Work;
        for (var c = 0; c < Components; c++)
        {
            q.Clear();
            if (IsIsotropic)
            {
                var z = s.Spare.Slice(0, Tile);
                for (var i = 0; i < d; i++)
                {
                    TensorPrimitives.Subtract(s.Columns.Slice(i * Tile, Tile), s.NoisedMeans[c * d + i], z);
                    TensorPrimitives.MultiplyAdd(z, z, q, q);
                }
                TensorPrimitives.Multiply(q, -0.5 * s.InverseVariances[c * d], q);
            }
            else
            {
                Rotate(c, s);
                var y2 = s.Spare.Slice(0, Tile);
                for (var j = 0; j < d; j++)
                {
                    var y = s.Rotated.Slice(j * Tile, Tile);
                    TensorPrimitives.Multiply(y, y, y2);
                    TensorPrimitives.MultiplyAdd(y2, -0.5 * s.InverseVariances[c * d + j], q, q);
                }
            }
            TensorPrimitives.Add(q, s.Normalisers[c], s.Logits.Slice(c * Tile, Tile));
        }
    }

    // Rotated[j] = (U_c^T (x - alpha mu_c))_j = sum_i U_c[i, j] x_i - (U_c^T alpha mu_c)_j.
    private void Rotate(int c, Scratch s)
    {
        var d = Dimension;
        for (var j = 0; j < d; j++)
        {
            var y = s.Rotated.Slice(j * Tile, Tile);
            y.Fill(-s.RotatedMeans[c * d + j]);
            for (var i = 0; i < d; i++)
                TensorPrimitives.MultiplyAdd(s.Columns.Slice(i * Tile, Tile), _eigenvectors[(c * d + i) * d + j], y, y);
        }
    }

    // Component = U_c diag(diagonal_c) U_c^T (x - alpha mu_c), column-wise. With diagonal = 1/lambda this is -s_c,
    // minus the score of component c; with diagonal = alpha L / lambda it is alpha Sigma_c C_c^-1 (x - alpha mu_c).
    private void ApplyComponent(int c, ReadOnlySpan<double> diagonal, Scratch s)
    {
        var d = Dimension;
        if (IsIsotropic)
        {
            for (var i = 0; i < d; i++)
            {
                var target = s.Component.Slice(i * Tile, Tile);
                TensorPrimitives.Subtract(s.Columns.Slice(i * Tile, Tile), s.NoisedMeans[c * d + i], target);
                TensorPrimitives.Multiply(target, diagonal[c * d], target);
            }
            return;
        }
        Rotate(c, s);
        for (var j = 0; j < d; j++)
            TensorPrimitives.Multiply(s.Rotated.Slice(j * Tile, Tile), diagonal[c * d + j], s.Rotated.Slice(j * Tile, Tile));
        for (var i = 0; i < d; i++)
        {
            var target = s.Component.Slice(i * Tile, Tile);
            target.Clear();
            for (var j = 0; j < d; j++)
                TensorPrimitives.MultiplyAdd(s.Rotated.Slice(j * Tile, Tile), _eigenvectors[(c * d + i) * d + j], target, target);
        }
    }

    // score = sum_k r_k C_k^-1 (alpha mu_k - x), the gradient of log sum_k w_k N(x; alpha mu_k, C_k).
    private void AccumulateScore(Scratch s)
    {
        var d = Dimension;
        s.Accumulator.Clear();
        if (IsIsotropic)
        {
            // sum_k r_k (m_k - x) / lambda_k = sum_k (r_k / lambda_k) m_k - x sum_k r_k / lambda_k.
            var precision = s.Second;
            precision.Clear();
            var weighted = s.Work;
            for (var c = 0; c < Components; c++)
            {
                TensorPrimitives.Multiply(s.Logits.Slice(c * Tile, Tile), s.InverseVariances[c * d], weighted);
                TensorPrimitives.Add(precision, weighted, precision);
                for (var i = 0; i < d; i++)
                {
                    var acc = s.Accumulator.Slice(i * Tile, Tile);
                    TensorPrimitives.MultiplyAdd(weighted, s.NoisedMeans[c * d + i], acc, acc);
                }
            }
            for (var i = 0; i < d; i++)
            {
                var acc = s.Accumulator.Slice(i * Tile, Tile);
                TensorPrimitives.Multiply(precision, s.Columns.Slice(i * Tile, Tile), s.Work);
                TensorPrimitives.Subtract(acc, s.Work, acc);
            }
            return;
        }
        for (var c = 0; c < Components; c++)
        {
            ApplyComponent(c, s.InverseVariances, s);
            var r = s.Logits.Slice(c * Tile, Tile);
            for (var i = 0; i < d; i++)
            {
                var acc = s.Accumulator.Slice(i * Tile, Tile);
                TensorPrimitives.MultiplyAdd(r, s.Component.Slice(i * Tile, Tile), acc, acc);
            }
        }
        TensorPrimitives.Negate(s.Accumulator, s.Accumulator);
    }

    // E[x_0 | x_t = x] = sum_k r_k (mu_k + alpha Sigma_k C_k^-1 (x - alpha mu_k)): Gaussian conditioning of the joint
    // (x_0, x_t) within component k (000 "Tweedie's Formula"; equals (x + sigma^2 score) / alpha when alpha != 0).
    private void AccumulatePosteriorMean(Scratch s)
    {
        var d = Dimension;
        s.Accumulator.Clear();
        for (var c = 0; c < Components; c++)
        {
            ApplyComponent(c, s.Gains, s);
            var r = s.Logits.Slice(c * Tile, Tile);
            for (var i = 0; i < d; i++)
            {
                var acc = s.Accumulator.Slice(i * Tile, Tile);
                var component = s.Component.Slice(i * Tile, Tile);
                TensorPrimitives.Add(component, _means[c * d + i], component);
                TensorPrimitives.MultiplyAdd(r, component, acc, acc);
            }
        }
    }

    // div s = Laplacian(p)/p - |s|^2 and Laplacian(N_k)/N_k = |s_k|^2 + div s_k with div s_k = -tr C_k^-1, so
    // div s = sum_k r_k (|s_k|^2 - tr C_k^-1) - |s|^2. Result in Second.
    private void AccumulateDivergence(Scratch s)
    {
        var d = Dimension;
        s.Accumulator.Clear();
        s.Second.Clear();
        for (var c = 0; c < Components; c++)
        {
            ApplyComponent(c, s.InverseVariances, s); // -s_k; the signs cancel in the squares below
            var r = s.Logits.Slice(c * Tile, Tile);
            var norm2 = s.Work;
            norm2.Fill(-s.Traces[c]);
            for (var i = 0; i < d; i++)
            {
                var component = s.Component.Slice(i * Tile, Tile);
                var acc = s.Accumulator.Slice(i * Tile, Tile);
                TensorPrimitives.MultiplyAdd(r, component, acc, acc);
                TensorPrimitives.MultiplyAdd(component, component, norm2, norm2);
            }
            TensorPrimitives.MultiplyAdd(r, norm2, s.Second, s.Second);
        }
        for (var i = 0; i < d; i++)
        {
            var acc = s.Accumulator.Slice(i * Tile, Tile);
            TensorPrimitives.Multiply(acc, acc, s.Work);
            TensorPrimitives.Subtract(s.Second, s.Work, s.Second);
        }
    }

    private static double[] ValidateWeights(IReadOnlyList<double> weights)
    {
        var result = new double[weights.Count];
        var sum = 0.0;
        for (var c = 0; c < result.Length; c++)
        {
            var w = weights[c];
            if (!double.IsFinite(w) || w <= 0.0)
                throw new ArgumentException($"Weight {c} is {w}; every weight must be finite and positive.", nameof(weights));
            result[c] = w;
            sum += w;
        }
        if (Math.Abs(sum - 1.0) > 1e-12)
            throw new ArgumentException($"Weights sum to {sum:R}, not 1 (tolerance 1e-12).", nameof(weights));
        for (var c = 0; c < result.Length; c++) result[c] /= sum;
        return result;
    }

    // Validates every covariance (shape, finite, symmetric); returns the variances c_k when every Sigma_k = c_k I, else null.
    private static double[]? IsotropicVariances(IReadOnlyList<double[,]> covariances, int d)
    {
        var variances = new double[covariances.Count];
        var isotropic = true;
        for (var c = 0; c < covariances.Count; c++)
        {
            var covariance = covariances[c] ?? throw new ArgumentException($"Covariance {c} is null.", nameof(covariances));
            if (covariance.GetLength(0) != d || covariance.GetLength(1) != d)
                throw new ArgumentException($"Covariance {c} is {covariance.GetLength(0)} x {covariance.GetLength(1)}, expected {d} x {d}.", nameof(covariances));
            var scale = 0.0;
            foreach (var v in covariance)
            {
                if (!double.IsFinite(v)) throw new ArgumentException($"Covariance {c} has a non-finite entry.", nameof(covariances));
                scale = Math.Max(scale, Math.Abs(v));
            }
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                {
                    if (Math.Abs(covariance[i, j] - covariance[j, i]) > 1e-12 * scale)
                        throw new ArgumentException($"Covariance {c} is not symmetric: entry ({i},{j}) differs from ({j},{i}).", nameof(covariances));
                    if (i == j ? covariance[i, i] != covariance[0, 0] : covariance[i, j] != 0.0) isotropic = false;
                }
            variances[c] = covariance[0, 0];
        }
        return isotropic ? variances : null;
    }

    // Stores the (validated) Sigma_c symmetrised, its eigendecomposition and square-root factor.
    private void Decompose(int c, double[,] covariance)
    {
        var d = Dimension;
        var isotropic = true;
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                _covariances[(c * d + i) * d + j] = 0.5 * (covariance[i, j] + covariance[j, i]);
                if (i == j ? covariance[i, i] != covariance[0, 0] : covariance[i, j] != 0.0) isotropic = false;
            }

        if (isotropic)
        {
            var v = covariance[0, 0];
            if (!(v > 0.0)) throw new ArgumentException($"Covariance {c} = {v} I is not positive definite.", "covariances");
            for (var i = 0; i < d; i++)
            {
                _eigenvalues[c * d + i] = v;
                _eigenvectors[(c * d + i) * d + i] = 1.0;
                _sqrtFactors[(c * d + i) * d + i] = Math.Sqrt(v);
            }
            return;
        }

        var matrix = Matrix<double>.Build.Dense(d, d, (i, j) => _covariances[(c * d + i) * d + j]);
        var evd = matrix.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues;
        var vectors = evd.EigenVectors;
        var max = 0.0;
        var min = double.PositiveInfinity;
        for (var j = 0; j < d; j++)
        {
            max = Math.Max(max, values[j].Real);
            min = Math.Min(min, values[j].Real);
        }
        if (!(min > 1e-14 * max))
            throw new ArgumentException($"Covariance {c} is not positive definite (eigenvalues in [{min:G6}, {max:G6}]).", "covariances");
        for (var j = 0; j < d; j++)
        {
            var l = values[j].Real;
            _eigenvalues[c * d + j] = l;
            for (var i = 0; i < d; i++)
            {
                _eigenvectors[(c * d + i) * d + j] = vectors[i, j];
                _sqrtFactors[(c * d + i) * d + j] = vectors[i, j] * Math.Sqrt(l);
            }
        }
    }

    private static void ValidateKernel(double alpha, double sigma)
    {
        if (!double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be finite.");
        if (!double.IsFinite(sigma) || sigma < 0.0) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be finite and non-negative.");
        if (alpha == 0.0 && sigma == 0.0)
            throw new ArgumentException("alpha and sigma are both 0: the noised distribution is a point mass at 0.", nameof(sigma));
    }

    private void RequireDimension(Batch batch, string name)
    {
        if (batch.Dimension != Dimension)
            throw new ArgumentException($"Batch '{name}' has dimension {batch.Dimension}, the mixture has {Dimension}.", name);
    }

    private void CheckComponent(int component)
    {
        if ((uint)component >= (uint)Components)
            throw new ArgumentOutOfRangeException(nameof(component), component, $"Component index outside [0, {Components}).");
    }
}

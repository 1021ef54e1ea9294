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
/// for every (alpha, sigma). When every Sigma_k = c_k I a faster isotropic path skips the rotations.</para>
/// <para>Weights: each must be finite and positive, and their sum must be 1 within 1e-12; they are then divided by
/// that sum so that the stored weights sum to 1 to rounding. Covariances must be finite, symmetric within
/// 1e-12 relative to their largest entry, and positive definite with smallest eigenvalue above
/// 1e-14 times the largest.</para>
/// <para>Every evaluation is thread-safe for disjoint destinations and allocation-free (scratch comes from
/// <see cref="ArrayPool{T}.Shared"/>); responsibilities use log-sum-exp. Rows are processed in tiles of
/// 64 so that the exponentials are vectorised; the result for a row does not depend on its position.</para>
/// </remarks>
public sealed class GaussianMixture : IDistribution
{
    private const int Tile = 64;
    private const double LogTwoPi = 1.8378770664093454835606594728112; // log(2 pi)

    private readonly double[] _weights;       // K
    private readonly double[] _cumulative;    // K, cumulative weights for sampling
    private readonly double[] _means;         // K x D
    private readonly double[] _covariances;   // K x D x D, as given (symmetrised)
    private readonly double[] _eigenvectors;  // K x D x D, U_k row-major: U_k[i, j] = component i of eigenvector j
    private readonly double[] _eigenvalues;   // K x D
    private readonly double[] _sqrtFactors;   // K x D x D, A_k = U_k diag(sqrt L_k), Sigma_k = A_k A_k^T

    /// <summary>Builds a mixture from weights, means and full covariance matrices (one per component).</summary>
    /// <exception cref="ArgumentException">When counts or dimensions disagree, a weight is not positive, the weights
    /// do not sum to 1, or a covariance is not symmetric positive definite.</exception>
    public GaussianMixture(IReadOnlyList<double> weights, IReadOnlyList<double[]> means, IReadOnlyList<double[,]> covariances)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(covariances);
        var k = weights.Count;
        if (k == 0) throw new ArgumentException("A mixture needs at least one component.", nameof(weights));
        if (means.Count != k) throw new ArgumentException($"{means.Count} means given for {k} weights.", nameof(means));
        if (covariances.Count != k) throw new ArgumentException($"{covariances.Count} covariances given for {k} weights.", nameof(covariances));
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
        _covariances = new double[k * d * d];
        _eigenvectors = new double[k * d * d];
        _eigenvalues = new double[k * d];
        _sqrtFactors = new double[k * d * d];
        var isotropic = true;
        for (var c = 0; c < k; c++)
        {
            var mean = means[c] ?? throw new ArgumentException($"Mean {c} is null.", nameof(means));
            if (mean.Length != d) throw new ArgumentException($"Mean {c} has {mean.Length} coordinates, mean 0 has {d}.", nameof(means));
            foreach (var v in mean)
                if (!double.IsFinite(v)) throw new ArgumentException($"Mean {c} has a non-finite coordinate.", nameof(means));
            mean.CopyTo(_means, c * d);
            isotropic &= Decompose(c, covariances[c]);
        }
        IsIsotropic = isotropic;
    }

    /// <summary>Mixture of isotropic components N(mu_k, variances[k] I).</summary>
    public static GaussianMixture Isotropic(IReadOnlyList<double> weights, IReadOnlyList<double[]> means, IReadOnlyList<double> variances)
    {
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(variances);
        if (variances.Count != means.Count)
            throw new ArgumentException($"{variances.Count} variances given for {means.Count} means.", nameof(variances));
        var covariances = new double[variances.Count][,];
        for (var c = 0; c < covariances.Length; c++)
        {
            var d = means[c]?.Length ?? throw new ArgumentException($"Mean {c} is null.", nameof(means));
            covariances[c] = new double[d, d];
            for (var i = 0; i < d; i++) covariances[c][i, i] = variances[c];
        }
        return new GaussianMixture(weights, means, covariances);
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
                result[i, j] = _covariances[(component * d + i) * d + j];
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
                    result[i, j] += _weights[c] * (_covariances[(c * d + i) * d + j] + _means[c * d + i] * _means[c * d + j]);
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

    /// <inheritdoc />
    public void LogDensity(Batch x, Span<double> destination) => NoisedLogDensity(1.0, 0.0, x, destination);

    /// <inheritdoc />
    public void Score(Batch x, Batch destination) => NoisedScore(1.0, 0.0, x, destination);

    /// <summary>log p_t(x_i) of the noised marginal p_t = sum_k w_k N(alpha mu_k, alpha^2 Sigma_k + sigma^2 I).</summary>
    public void NoisedLogDensity(double alpha, double sigma, Batch x, Span<double> destination)
    {
        ValidateKernel(alpha, sigma);
        RequireDimension(x, nameof(x));
        if (destination.Length != x.Count)
            throw new ArgumentException($"Destination has {destination.Length} entries for {x.Count} particles.", nameof(destination));
        Evaluate(alpha, sigma, x, Mode.LogDensity, default, destination);
    }

    /// <summary>grad log p_t(x_i) of the noised marginal (the exact score of the forward process at (alpha, sigma)).</summary>
    public void NoisedScore(double alpha, double sigma, Batch x, Batch destination)
    {
        ValidateKernel(alpha, sigma);
        RequireDimension(x, nameof(x));
        x.RequireShape(destination, nameof(destination));
        Evaluate(alpha, sigma, x, Mode.Score, destination, default);
    }

    /// <summary>The divergence (Laplacian of log p_t) of the noised score, analytic:
    /// sum_k r_k (|s_k|^2 - tr C_k^-1) - |s|^2 with r_k the responsibilities and s_k the component scores.</summary>
    public void NoisedScoreDivergence(double alpha, double sigma, Batch x, Span<double> destination)
    {
        ValidateKernel(alpha, sigma);
        RequireDimension(x, nameof(x));
        if (destination.Length != x.Count)
            throw new ArgumentException($"Destination has {destination.Length} entries for {x.Count} particles.", nameof(destination));
        Evaluate(alpha, sigma, x, Mode.Divergence, default, destination);
    }

    /// <summary>The posterior mean E[x_0 | x_t = x_i] in closed form:
    /// sum_k r_k (mu_k + alpha Sigma_k C_k^-1 (x - alpha mu_k)). Equals (x + sigma^2 score) / alpha (Tweedie) when alpha != 0.</summary>
    public void NoisedPosteriorMean(double alpha, double sigma, Batch x, Batch destination)
    {
        ValidateKernel(alpha, sigma);
        RequireDimension(x, nameof(x));
        x.RequireShape(destination, nameof(destination));
        Evaluate(alpha, sigma, x, Mode.PosteriorMean, destination, default);
    }

    /// <summary>Row i gets sample <c>firstParticle + i</c>: the component from uniform draw 0 of stream 0, the
    /// coordinates mu_k + U_k diag(sqrt L_k) z with z the Gaussian draws 0..D-1 of stream 1.</summary>
    public void Sample(Batch destination, NoiseSource noise, long firstParticle)
    {
        RequireDimension(destination, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegative(firstParticle);
        var d = Dimension;
        Span<double> z = d <= 64 ? stackalloc double[d] : new double[d];
        var values = destination.Values;
        for (var i = 0; i < destination.Count; i++)
        {
            var particle = firstParticle + i;
            var c = ChooseComponent(noise.Uniform(0, particle, 0));
            noise.FillGaussian(1, particle, z);
            var row = values.Slice(i * d, d);
            var mean = _means.AsSpan(c * d, d);
            var a = _sqrtFactors.AsSpan(c * d * d, d * d);
            for (var r = 0; r < d; r++)
                row[r] = mean[r] + TensorPrimitives.Dot(a.Slice(r * d, d), z);
        }
    }

    private int ChooseComponent(double u)
    {
        var c = 0;
        while (c < _cumulative.Length - 1 && u >= _cumulative[c]) c++;
        return c;
    }

    private enum Mode { LogDensity, Score, Divergence, PosteriorMean }

    // Per-call layout of the pooled scratch (K components, D dimensions).
    private void Evaluate(double alpha, double sigma, Batch x, Mode mode, Batch destination, Span<double> scalars)
    {
        var k = Components;
        var d = Dimension;
        var kd = k * d;
        var length = 4 * kd + 2 * k + k * Tile + 2 * Tile + 4 * d;
        var pool = ArrayPool<double>.Shared.Rent(length);
        try
        {
            var buffer = pool.AsSpan(0, length);
            var noisedMeans = buffer.Slice(0, kd);          // alpha mu_k
            var inverseVariances = buffer.Slice(kd, kd);    // 1 / (alpha^2 L_kj + sigma^2)
            var gains = buffer.Slice(2 * kd, kd);           // alpha L_kj / (alpha^2 L_kj + sigma^2)
            var shiftedMeans = buffer.Slice(3 * kd, kd);    // isotropic score: alpha mu_k / lambda_k
            var normalisers = buffer.Slice(4 * kd, k);      // log w_k - D/2 log 2 pi - 1/2 log det C_k
            var traces = buffer.Slice(4 * kd + k, k);       // tr C_k^-1
            var logits = buffer.Slice(4 * kd + 2 * k, k * Tile);
            var maxima = buffer.Slice(4 * kd + 2 * k + k * Tile, Tile);
            var sums = buffer.Slice(4 * kd + 2 * k + k * Tile + Tile, Tile);
            var rowScratch = buffer.Slice(4 * kd + 2 * k + k * Tile + 2 * Tile, 4 * d);

            PrepareKernel(alpha, sigma, noisedMeans, inverseVariances, gains, shiftedMeans, normalisers, traces);

            var xs = x.Values;
            var outRows = mode is Mode.Score or Mode.PosteriorMean ? destination.Values : default;
            for (var start = 0; start < x.Count; start += Tile)
            {
                var rows = Math.Min(Tile, x.Count - start);
                ComputeLogits(xs, start, rows, noisedMeans, inverseVariances, normalisers, logits);
                // log-sum-exp over components, per row (stable responsibilities).
                maxima.Fill(double.NegativeInfinity);
                for (var c = 0; c < k; c++)
                    TensorPrimitives.Max(maxima, logits.Slice(c * Tile, Tile), maxima);
                for (var c = 0; c < k; c++)
                    TensorPrimitives.Subtract(logits.Slice(c * Tile, Tile), maxima, logits.Slice(c * Tile, Tile));
                TensorPrimitives.Exp(logits, logits);
                sums.Clear();
                for (var c = 0; c < k; c++)
                    TensorPrimitives.Add(sums, logits.Slice(c * Tile, Tile), sums);

                if (mode == Mode.LogDensity)
                {
                    for (var b = 0; b < rows; b++) scalars[start + b] = maxima[b] + Math.Log(sums[b]);
                    continue;
                }
                TensorPrimitives.Reciprocal(sums, sums);
                for (var c = 0; c < k; c++)
                    TensorPrimitives.Multiply(logits.Slice(c * Tile, Tile), sums, logits.Slice(c * Tile, Tile));
                // logits now hold the responsibilities r_k(x_b).
                for (var b = 0; b < rows; b++)
                {
                    var row = xs.Slice((start + b) * d, d);
                    switch (mode)
                    {
                        case Mode.Score:
                            ScoreRow(row, b, logits, noisedMeans, inverseVariances, shiftedMeans, outRows.Slice((start + b) * d, d), rowScratch);
                            break;
                        case Mode.Divergence:
                            scalars[start + b] = DivergenceRow(row, b, logits, noisedMeans, inverseVariances, traces, rowScratch);
                            break;
                        default:
                            PosteriorMeanRow(row, b, logits, noisedMeans, gains, outRows.Slice((start + b) * d, d), rowScratch);
                            break;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(pool);
        }
    }

    // C_k = alpha^2 Sigma_k + sigma^2 I has eigenvalues lambda_kj = alpha^2 L_kj + sigma^2 (003 §4.4, Lemma 4.4.1 kernel).
    private void PrepareKernel(double alpha, double sigma, Span<double> noisedMeans, Span<double> inverseVariances,
        Span<double> gains, Span<double> shiftedMeans, Span<double> normalisers, Span<double> traces)
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
                inverseVariances[c * d + j] = 1.0 / lambda;
                gains[c * d + j] = alpha * l / lambda;
                noisedMeans[c * d + j] = alpha * _means[c * d + j];
                shiftedMeans[c * d + j] = noisedMeans[c * d + j] / lambda;
            }
            normalisers[c] = Math.Log(_weights[c]) - 0.5 * (d * LogTwoPi + logDet);
            traces[c] = trace;
        }
    }

    // logits[c * Tile + b] = log w_c + log N(x_b; alpha mu_c, C_c). Unused tile rows are set to 0.
    private void ComputeLogits(ReadOnlySpan<double> xs, int start, int rows, ReadOnlySpan<double> noisedMeans,
        ReadOnlySpan<double> inverseVariances, ReadOnlySpan<double> normalisers, Span<double> logits)
    {
        var d = Dimension;
        for (var c = 0; c < Components; c++)
        {
            var target = logits.Slice(c * Tile, Tile);
            var m = noisedMeans.Slice(c * d, d);
            var inv = inverseVariances.Slice(c * d, d);
            var norm = normalisers[c];
            if (IsIsotropic)
            {
                var h = 0.5 * inv[0];
                if (d == 2)
                {
                    double m0 = m[0], m1 = m[1];
                    for (var b = 0; b < rows; b++)
                    {
                        var o = (start + b) * 2;
                        var z0 = xs[o] - m0;
                        var z1 = xs[o + 1] - m1;
                        target[b] = norm - h * (z0 * z0 + z1 * z1);
                    }
                }
                else
                {
                    for (var b = 0; b < rows; b++)
                    {
                        var row = xs.Slice((start + b) * d, d);
                        var q = 0.0;
                        for (var i = 0; i < d; i++)
                        {
                            var z = row[i] - m[i];
                            q += z * z;
                        }
                        target[b] = norm - h * q;
                    }
                }
            }
            else
            {
                var u = _eigenvectors.AsSpan(c * d * d, d * d);
                for (var b = 0; b < rows; b++)
                {
                    var row = xs.Slice((start + b) * d, d);
                    var q = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var y = 0.0; // y_j = (U^T (x - m))_j
                        for (var i = 0; i < d; i++) y += u[i * d + j] * (row[i] - m[i]);
                        q += y * y * inv[j];
                    }
                    target[b] = norm - 0.5 * q;
                }
            }
            target.Slice(rows).Clear();
        }
    }

    // score = sum_k r_k C_k^-1 (alpha mu_k - x)  (gradient of log sum_k w_k N(x; alpha mu_k, C_k)).
    private void ScoreRow(ReadOnlySpan<double> x, int b, ReadOnlySpan<double> responsibilities, ReadOnlySpan<double> noisedMeans,
        ReadOnlySpan<double> inverseVariances, ReadOnlySpan<double> shiftedMeans, Span<double> result, Span<double> scratch)
    {
        var d = Dimension;
        if (IsIsotropic)
        {
            // sum_k r_k (m_k - x) / lambda_k = sum_k r_k m_k / lambda_k - x sum_k r_k / lambda_k.
            var precision = 0.0;
            result.Clear();
            for (var c = 0; c < Components; c++)
            {
                var r = responsibilities[c * Tile + b];
                precision += r * inverseVariances[c * d];
                var sm = shiftedMeans.Slice(c * d, d);
                for (var i = 0; i < d; i++) result[i] += r * sm[i];
            }
            for (var i = 0; i < d; i++) result[i] -= precision * x[i];
            return;
        }
        result.Clear();
        var component = scratch.Slice(0, d);
        for (var c = 0; c < Components; c++)
        {
            var r = responsibilities[c * Tile + b];
            ComponentScore(c, x, noisedMeans, inverseVariances, component, scratch.Slice(d, d));
            for (var i = 0; i < d; i++) result[i] += r * component[i];
        }
    }

    // div s = sum_k r_k (|s_k|^2 - tr C_k^-1) - |s|^2, since Laplacian(p)/p = sum_k r_k (|s_k|^2 + div s_k)
    // and div grad log p = Laplacian(p)/p - |grad log p|^2.
    private double DivergenceRow(ReadOnlySpan<double> x, int b, ReadOnlySpan<double> responsibilities, ReadOnlySpan<double> noisedMeans,
        ReadOnlySpan<double> inverseVariances, ReadOnlySpan<double> traces, Span<double> scratch)
    {
        var d = Dimension;
        var total = scratch.Slice(0, d);
        var component = scratch.Slice(d, d);
        total.Clear();
        var second = 0.0;
        for (var c = 0; c < Components; c++)
        {
            var r = responsibilities[c * Tile + b];
            ComponentScore(c, x, noisedMeans, inverseVariances, component, scratch.Slice(2 * d, d));
            var norm2 = 0.0;
            for (var i = 0; i < d; i++)
            {
                total[i] += r * component[i];
                norm2 += component[i] * component[i];
            }
            second += r * (norm2 - traces[c]);
        }
        var totalNorm2 = 0.0;
        for (var i = 0; i < d; i++) totalNorm2 += total[i] * total[i];
        return second - totalNorm2;
    }

    // E[x_0 | x_t = x, k] = mu_k + alpha Sigma_k C_k^-1 (x - alpha mu_k) (Gaussian conditioning of the joint
    // (x_0, x_t) under component k; 000 "Tweedie's Formula"), then weighted by the responsibilities.
    private void PosteriorMeanRow(ReadOnlySpan<double> x, int b, ReadOnlySpan<double> responsibilities, ReadOnlySpan<double> noisedMeans,
        ReadOnlySpan<double> gains, Span<double> result, Span<double> scratch)
    {
        var d = Dimension;
        result.Clear();
        var y = scratch.Slice(0, d);
        for (var c = 0; c < Components; c++)
        {
            var r = responsibilities[c * Tile + b];
            var m = noisedMeans.Slice(c * d, d);
            var g = gains.Slice(c * d, d);
            var mu = _means.AsSpan(c * d, d);
            if (IsIsotropic)
            {
                var gain = g[0];
                for (var i = 0; i < d; i++) result[i] += r * (mu[i] + gain * (x[i] - m[i]));
                continue;
            }
            var u = _eigenvectors.AsSpan(c * d * d, d * d);
            for (var j = 0; j < d; j++)
            {
                var s = 0.0;
                for (var i = 0; i < d; i++) s += u[i * d + j] * (x[i] - m[i]);
                y[j] = s * g[j];
            }
            for (var i = 0; i < d; i++)
            {
                var s = 0.0;
                for (var j = 0; j < d; j++) s += u[i * d + j] * y[j];
                result[i] += r * (mu[i] + s);
            }
        }
    }

    // s_k(x) = -C_k^-1 (x - alpha mu_k) = -U_k diag(1/lambda_k) U_k^T (x - alpha mu_k).
    private void ComponentScore(int c, ReadOnlySpan<double> x, ReadOnlySpan<double> noisedMeans, ReadOnlySpan<double> inverseVariances,
        Span<double> result, Span<double> y)
    {
        var d = Dimension;
        var m = noisedMeans.Slice(c * d, d);
        var inv = inverseVariances.Slice(c * d, d);
        if (IsIsotropic)
        {
            for (var i = 0; i < d; i++) result[i] = (m[i] - x[i]) * inv[0];
            return;
        }
        var u = _eigenvectors.AsSpan(c * d * d, d * d);
        for (var j = 0; j < d; j++)
        {
            var s = 0.0;
            for (var i = 0; i < d; i++) s += u[i * d + j] * (x[i] - m[i]);
            y[j] = s * inv[j];
        }
        for (var i = 0; i < d; i++)
        {
            var s = 0.0;
            for (var j = 0; j < d; j++) s += u[i * d + j] * y[j];
            result[i] = -s;
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

    // Stores Sigma_c, its eigendecomposition and square-root factor; returns whether Sigma_c = s I.
    private bool Decompose(int c, double[,]? covariance)
    {
        var d = Dimension;
        if (covariance is null) throw new ArgumentException($"Covariance {c} is null.", "covariances");
        if (covariance.GetLength(0) != d || covariance.GetLength(1) != d)
            throw new ArgumentException($"Covariance {c} is {covariance.GetLength(0)} x {covariance.GetLength(1)}, expected {d} x {d}.", "covariances");
        var scale = 0.0;
        foreach (var v in covariance)
        {
            if (!double.IsFinite(v)) throw new ArgumentException($"Covariance {c} has a non-finite entry.", "covariances");
            scale = Math.Max(scale, Math.Abs(v));
        }
        var isotropic = true;
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                if (Math.Abs(covariance[i, j] - covariance[j, i]) > 1e-12 * scale)
                    throw new ArgumentException($"Covariance {c} is not symmetric: entry ({i},{j}) differs from ({j},{i}).", "covariances");
                var sym = 0.5 * (covariance[i, j] + covariance[j, i]);
                _covariances[(c * d + i) * d + j] = sym;
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
            return true;
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
        return false;
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

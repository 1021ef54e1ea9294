using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Diffusion.Research.Data;

/// <summary>Evaluation: log-density, score, its divergence and the posterior mean of the noised mixture, tiled over particles.</summary>
public sealed partial class GaussianMixture
{
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
        if (mode == Mode.Score && IsIsotropic) EvaluateScoreLanes(alpha, sigma, x, destination);
        else Evaluate(alpha, sigma, x, mode, destination, default);
    }

    // The isotropic score, eight particles at a time in registers (IsotropicScoreLanes): the same operations per particle
    // as the tile engine below, so the same bits, without its passes through memory.
    private void EvaluateScoreLanes(double alpha, double sigma, Batch x, Batch destination)
    {
        const int lanes = IsotropicScoreLanes.Lanes;
        var d = Dimension;
        var constantsLength = IsotropicScoreLanes.ConstantsLength(Components, d);
        var scratchLength = IsotropicScoreLanes.ScratchLength(Components);
        var length = constantsLength + scratchLength + 2 * lanes * d;
        var pool = ArrayPool<double>.Shared.Rent(length);
        try
        {
            var buffer = pool.AsSpan(0, length);
            var constants = Take(ref buffer, constantsLength);
            var scratch = Take(ref buffer, scratchLength);
            var columns = MemoryMarshal.Cast<double, Vector512<double>>(Take(ref buffer, lanes * d));
            var score = MemoryMarshal.Cast<double, Vector512<double>>(Take(ref buffer, lanes * d));
            PrepareLanes(alpha, sigma, constants);
            var xs = x.Values;
            var outRows = destination.Values;
            for (var start = 0; start < x.Count; start += lanes)
            {
                var rows = Math.Min(lanes, x.Count - start);
                RowLanes.Gather(xs, start, rows, d, columns);
                IsotropicScoreLanes.Evaluate(constants, Components, columns, score, scratch);
                RowLanes.Scatter(score, outRows, start, rows, d);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(pool);
        }
    }

    /// <summary>
    /// The per-time constants of <see cref="IsotropicScoreLanes"/> for the kernel (alpha, sigma), computed exactly as the
    /// tile engine computes them (<see cref="PrepareKernel"/>). Isotropic mixtures only.
    /// </summary>
    internal void PrepareLanes(double alpha, double sigma, Span<double> constants)
    {
        if (!IsIsotropic) throw new InvalidOperationException("The lane evaluation serves isotropic mixtures only.");
        ValidateKernel(alpha, sigma);
        var k = Components;
        var kd = k * Dimension;
        var length = 3 * kd + 2 * k;
        var pool = ArrayPool<double>.Shared.Rent(length);
        try
        {
            var buffer = pool.AsSpan(0, length);
            var s = new Scratch
            {
                NoisedMeans = Take(ref buffer, kd),
                InverseVariances = Take(ref buffer, kd),
                Gains = Take(ref buffer, kd),
                Normalisers = Take(ref buffer, k),
                Traces = Take(ref buffer, k),
            };
            PrepareKernel(alpha, sigma, s);
            for (var c = 0; c < k; c++)
            {
                constants[c] = s.Normalisers[c];
                constants[k + c] = -0.5 * s.InverseVariances[c * Dimension]; // the factor ComputeLogits applies
                constants[2 * k + c] = s.InverseVariances[c * Dimension];
            }
            s.NoisedMeans.CopyTo(constants.Slice(3 * k, kd));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(pool);
        }
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
    // (kernel N(alpha x_0, sigma^2 I) of 003 §4.4, Lemma 4.4.1; Kingma et al. 2021, applied to each component).
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
    // (x_0, x_t) within component k (000 "Tweedie's Formula"; Robbins 1956; Efron 2011; equals (x + sigma^2 score) / alpha when
    // alpha != 0).
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
}

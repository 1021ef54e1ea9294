using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Diffusion.Research.Nn.Autodiff;

/// <summary>
/// Dense matrix products on row-major spans: C = A B, C = Aᵀ B and C = A Bᵀ. Rows of the output are
/// split into fixed blocks that run in parallel; every output entry is summed in the same order
/// whatever the thread count, so results are bit-identical for 1 or many threads.
/// </summary>
internal static class MatrixKernels
{
    private const int RowBlock = 32;
    private const long ParallelThreshold = 1 << 16; // multiply-adds below which threads cost more than they save
    private const int NarrowColumns = 8; // below this, scalar loops beat span kernels

    /// <summary>C (m x n) = A (m x k) · B (k x n).</summary>
    public static void MatMul(double[] a, double[] b, double[] c, int m, int k, int n, int threads)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            PackedGemm.Multiply(a, false, b, false, c, m, n, k, threads);
            return;
        }
        if (threads <= 1 || (long)m * k * n < ParallelThreshold || m <= RowBlock)
        {
            MatMulRows(a, b, c, 0, m, k, n);
            return;
        }
        var blocks = (m + RowBlock - 1) / RowBlock;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            block => MatMulRows(a, b, c, block * RowBlock, Math.Min(m, (block + 1) * RowBlock), k, n));
    }

    /// <summary>
    /// Rows [start, end) of C = A B on spans (the sequential kernel). Every entry is accumulated as
    /// c ← c + a·b (product rounded, then sum rounded; never fused) over p = 0..k−1 in order, whichever code
    /// path (4-row register tile, single row, scalar tail) computes it, so the bits do not depend on how the
    /// rows are blocked.
    /// </summary>
    public static void MatMulRows(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int start, int end, int k, int n)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            PackedGemm.MultiplyRows(a, b, c, start, end, k, n);
            return;
        }
        var i = start;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            for (; i + 4 <= end; i += 4) MatMulTile4(a, b, c, i, k, n);
        }
        for (; i < end; i++)
        {
            var row = c.Slice(i * n, n);
            row.Clear();
            var ai = a.Slice(i * k, k);
            for (var p = 0; p < k; p++)
            {
                var aip = ai[p];
                var bp = b.Slice(p * n, n);
                var j = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    var av = Vector256.Create(aip);
                    for (; j + 4 <= n; j += 4)
                    {
                        var cv = Vector256.Create(row.Slice(j, 4));
                        (cv + av * Vector256.Create(bp.Slice(j, 4))).CopyTo(row.Slice(j, 4));
                    }
                }
                for (; j < n; j++) row[j] += aip * bp[j];
            }
        }
    }

    // Rows i..i+3 of C: 4 x 8 tiles of accumulators kept in registers across the whole k loop.
    private static void MatMulTile4(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int i, int k, int n)
    {
        var a0 = a.Slice(i * k, k);
        var a1 = a.Slice((i + 1) * k, k);
        var a2 = a.Slice((i + 2) * k, k);
        var a3 = a.Slice((i + 3) * k, k);
        var j = 0;
        for (; j + 8 <= n; j += 8)
        {
            Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector256<double> c20 = default, c21 = default, c30 = default, c31 = default;
            for (var p = 0; p < k; p++)
            {
                var bp = b.Slice(p * n + j, 8);
                var b0 = Vector256.Create(bp[..4]);
                var b1 = Vector256.Create(bp[4..]);
                var x0 = Vector256.Create(a0[p]);
                var x1 = Vector256.Create(a1[p]);
                var x2 = Vector256.Create(a2[p]);
                var x3 = Vector256.Create(a3[p]);
                c00 += x0 * b0; c01 += x0 * b1;
                c10 += x1 * b0; c11 += x1 * b1;
                c20 += x2 * b0; c21 += x2 * b1;
                c30 += x3 * b0; c31 += x3 * b1;
            }
            c00.CopyTo(c.Slice(i * n + j, 4)); c01.CopyTo(c.Slice(i * n + j + 4, 4));
            c10.CopyTo(c.Slice((i + 1) * n + j, 4)); c11.CopyTo(c.Slice((i + 1) * n + j + 4, 4));
            c20.CopyTo(c.Slice((i + 2) * n + j, 4)); c21.CopyTo(c.Slice((i + 2) * n + j + 4, 4));
            c30.CopyTo(c.Slice((i + 3) * n + j, 4)); c31.CopyTo(c.Slice((i + 3) * n + j + 4, 4));
        }
        for (var r = 0; r < 4; r++) // column tail, same arithmetic
        {
            var ar = a.Slice((i + r) * k, k);
            for (var jj = j; jj < n; jj++)
            {
                var sum = 0.0;
                for (var p = 0; p < k; p++) sum += ar[p] * b[p * n + jj];
                c[(i + r) * n + jj] = sum;
            }
        }
    }

    /// <summary>
    /// C (k x n) = Aᵀ · B with A (m x k), B (m x n): Aᵀ is formed in a pooled buffer and multiplied by the tiled
    /// kernel, so each entry is summed over the m rows in row order.
    /// </summary>
    public static void MatMulTransposeA(double[] a, double[] b, double[] c, int m, int k, int n, int threads)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            PackedGemm.Multiply(a, true, b, false, c, k, n, m, threads);
            return;
        }
        var at = ArrayPool<double>.Shared.Rent(k * m);
        try
        {
            Transpose(a, at, m, k);
            MatMul(at, b, c, k, m, n, threads);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(at);
        }
    }

    /// <summary>C (m x n) = A · Bᵀ with A (m x k), B (n x k): Bᵀ is formed in a pooled buffer and multiplied by the tiled kernel.</summary>
    public static void MatMulTransposeB(double[] a, double[] b, double[] c, int m, int k, int n, int threads)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            PackedGemm.Multiply(a, false, b, true, c, m, n, k, threads);
            return;
        }
        var bt = ArrayPool<double>.Shared.Rent(k * n);
        try
        {
            Transpose(b, bt, n, k);
            MatMul(a, bt, c, m, k, n, threads);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(bt);
        }
    }

    /// <summary>destination (columns x rows) = sourceᵀ for a rows x columns source.</summary>
    private static void Transpose(double[] source, double[] destination, int rows, int columns)
    {
        for (var r = 0; r < rows; r++)
        {
            var row = source.AsSpan(r * columns, columns);
            for (var q = 0; q < columns; q++) destination[q * rows + r] = row[q];
        }
    }

    /// <summary>Rows [start, end) of C = A Bᵀ on spans (the sequential kernel).</summary>
    public static void MatMulTransposeBRows(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int start, int end, int k, int n)
    {
        for (var i = start; i < end; i++)
        {
            var ai = a.Slice(i * k, k);
            for (var j = 0; j < n; j++)
            {
                var bj = b.Slice(j * k, k);
                double s;
                if (k < NarrowColumns)
                {
                    s = 0;
                    for (var p = 0; p < k; p++) s += ai[p] * bj[p];
                }
                else
                {
                    s = TensorPrimitives.Dot(ai, bj);
                }
                c[i * n + j] = s;
            }
        }
    }
}

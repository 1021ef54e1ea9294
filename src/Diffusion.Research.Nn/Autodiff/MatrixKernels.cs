using System.Numerics.Tensors;

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
        if (threads <= 1 || (long)m * k * n < ParallelThreshold || m <= RowBlock)
        {
            MatMulRows(a, b, c, 0, m, k, n);
            return;
        }
        var blocks = (m + RowBlock - 1) / RowBlock;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            block => MatMulRows(a, b, c, block * RowBlock, Math.Min(m, (block + 1) * RowBlock), k, n));
    }

    /// <summary>Rows [start, end) of C = A B on spans (the sequential kernel).</summary>
    public static void MatMulRows(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int start, int end, int k, int n)
    {
        for (var i = start; i < end; i++)
        {
            var row = c.Slice(i * n, n);
            row.Clear();
            var ai = a.Slice(i * k, k);
            if (n < NarrowColumns)
            {
                for (var p = 0; p < k; p++)
                {
                    var aip = ai[p];
                    var bp = b.Slice(p * n, n);
                    for (var j = 0; j < n; j++) row[j] += aip * bp[j];
                }
            }
            else
            {
                for (var p = 0; p < k; p++)
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), ai[p], row, row);
            }
        }
    }

    /// <summary>C (k x n) = Aᵀ · B with A (m x k), B (m x n): the sum over the m rows runs in row order.</summary>
    public static void MatMulTransposeA(double[] a, double[] b, double[] c, int m, int k, int n, int threads)
    {
        if (threads <= 1 || (long)m * k * n < ParallelThreshold || k <= RowBlock)
        {
            MatMulTransposeARows(a, b, c, 0, k, m, k, n);
            return;
        }
        var blocks = (k + RowBlock - 1) / RowBlock;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            block => MatMulTransposeARows(a, b, c, block * RowBlock, Math.Min(k, (block + 1) * RowBlock), m, k, n));
    }

    private static void MatMulTransposeARows(double[] a, double[] b, double[] c, int start, int end, int m, int k, int n)
    {
        c.AsSpan(start * n, (end - start) * n).Clear();
        for (var i = 0; i < m; i++)
        {
            var bi = b.AsSpan(i * n, n);
            for (var p = start; p < end; p++)
            {
                var aip = a[i * k + p];
                var row = c.AsSpan(p * n, n);
                if (n < NarrowColumns)
                    for (var j = 0; j < n; j++) row[j] += aip * bi[j];
                else
                    TensorPrimitives.MultiplyAdd(bi, aip, row, row);
            }
        }
    }

    /// <summary>C (m x n) = A · Bᵀ with A (m x k), B (n x k).</summary>
    public static void MatMulTransposeB(double[] a, double[] b, double[] c, int m, int k, int n, int threads)
    {
        if (threads <= 1 || (long)m * k * n < ParallelThreshold || m <= RowBlock)
        {
            MatMulTransposeBRows(a, b, c, 0, m, k, n);
            return;
        }
        var blocks = (m + RowBlock - 1) / RowBlock;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            block => MatMulTransposeBRows(a, b, c, block * RowBlock, Math.Min(m, (block + 1) * RowBlock), k, n));
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

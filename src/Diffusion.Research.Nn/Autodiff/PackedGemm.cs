using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Diffusion.Research.Nn.Autodiff;

/// <summary>
/// Register-blocked, packed float64 matrix product C (m x n) = op(A) · op(B) for the three shapes of training
/// (A B, A Bᵀ, Aᵀ B), all row-major. The structure is the usual one of high-performance GEMM (Goto and van de Geijn,
/// "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008): op(B) is packed once into column panels
/// of <see cref="PanelWidth"/> (k x 16, zero-padded); op(A) is taken in strips of <see cref="StripRows"/> rows: read in
/// place from a row-major A (8 row streams), or from Aᵀ packed whole up front p-major (k x 8 per strip, zero-padded),
/// or, for an edge strip of a row-major A, packed the same way; an 8 x 16 micro-kernel keeps its 16 Vector512
/// accumulators in registers across the whole inner dimension (the A entry's broadcast is shared by two products).
/// A strip stays in L1 while it meets every B panel (from L2).
/// <para>Bits: every entry is c ← c + a·b with the product rounded and then the sum rounded (a multiply and an add,
/// never a fused multiply-add), from c = 0 over p = 0..k−1 in order, exactly as the scalar definition; padding rows
/// and columns are never stored. So the result does not depend on blocking, on how rows are split between threads, or
/// on this kernel versus a plain triple loop (on Zen 4/5 the separate multiply and add issue on different pipes, so
/// keeping the two roundings costs no throughput against FMA; see the fma-peak benchmark).</para>
/// </summary>
internal static unsafe class PackedGemm
{
    /// <summary>Rows of a packed A strip (the micro-kernel's height).</summary>
    public const int StripRows = 8;

    /// <summary>Columns of a packed B panel (the micro-kernel's width: two Vector512).</summary>
    public const int PanelWidth = 16;

    /// <summary>Output rows per parallel work item (a multiple of <see cref="StripRows"/>).</summary>
    public const int RowBlock = 32;

    private const long ParallelThreshold = 1 << 16; // multiply-adds below which threads cost more than they save

    /// <summary>Doubles needed to pack op(B) (inner x n) into panels.</summary>
    public static int PackedBLength(int inner, int n) => (n + PanelWidth - 1) / PanelWidth * PanelWidth * inner;

    /// <summary>
    /// C (m x n) = op(A) · op(B) over <paramref name="inner"/>. op(A) is A (m x inner) or, with
    /// <paramref name="transposeA"/>, Aᵀ for A (inner x m); op(B) is B (inner x n) or, with <paramref name="transposeB"/>,
    /// Bᵀ for B (n x inner). Blocks of <see cref="RowBlock"/> output rows run on up to <paramref name="threads"/> workers.
    /// </summary>
    public static void Multiply(double[] a, bool transposeA, double[] b, bool transposeB, double[] c, int m, int n, int inner, int threads)
    {
        if (m == 0 || n == 0) return;
        if (inner == 0)
        {
            c.AsSpan(0, m * n).Clear();
            return;
        }
        var packed = ArrayPool<double>.Shared.Rent(PackedBLength(inner, n));
        // Aᵀ is packed whole up front, reading A row by row (its strips' rows are m doubles apart, 4 KB for m = 512,
        // which a per-strip packing would gather one cache line per page).
        var packedA = transposeA ? ArrayPool<double>.Shared.Rent((m + StripRows - 1) / StripRows * StripRows * inner) : null;
        try
        {
            var blocks = (m + RowBlock - 1) / RowBlock;
            var parallel = threads > 1 && blocks > 1 && (long)m * n * inner >= ParallelThreshold;
            // The packing is copies only (no arithmetic), so splitting it over the workers changes no bit; serial, it
            // was most of a two-thread Aᵀ B product (two 512 KB copies before any multiply).
            var pack = parallel ? _pack ??= new PackJob() : null;
            pack?.Set(a, transposeA ? packedA : null, b, transposeB, packed, m, n, inner);
            if (pack is null || !BlockWorkers.TryRun(pack, pack.Blocks, threads))
            {
                fixed (double* pb = b, pp = packed)
                    PackB(pb, transposeB, pp, inner, n);
                if (packedA is not null)
                {
                    fixed (double* pa = a, pq = packedA)
                        PackTransposedA(pa, pq, m, inner);
                }
            }
            pack?.Set(null!, null, null!, false, null!, 0, 0, 0);
            var source = packedA ?? a;
            if (!parallel)
            {
                Rows(source, transposeA, packed, c, 0, m, n, inner);
            }
            else
            {
                var job = _job ??= new RowBlockJob();
                job.Set(source, transposeA, packed, c, m, n, inner);
                if (!BlockWorkers.TryRun(job, blocks, threads)) Rows(source, transposeA, packed, c, 0, m, n, inner);
                job.Set(null!, false, null!, null!, 0, 0, 0);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(packed);
            if (packedA is not null) ArrayPool<double>.Shared.Return(packedA);
        }
    }

    [ThreadStatic]
    private static RowBlockJob? _job;

    [ThreadStatic]
    private static PackJob? _pack;

    // The packing of one product for the persistent workers: blocks 0 .. PanelBlocks − 1 pack B's panels in groups of
    // PanelsPerBlock; the rest pack RowsPerBlock rows of A into Aᵀ's strips (when A is transposed).
    private sealed class PackJob : IBlockJob
    {
        private const int PanelsPerBlock = 2;
        private const int RowsPerBlock = 64;
        private double[] _a = [], _b = [], _packed = [];
        private double[]? _packedA;
        private bool _transposeB;
        private int _m, _n, _inner, _panelBlocks;

        public int Blocks { get; private set; }

        public void Set(double[] a, double[]? packedA, double[] b, bool transposeB, double[] packed, int m, int n, int inner)
        {
            (_a, _packedA, _b, _transposeB, _packed, _m, _n, _inner) = (a, packedA, b, transposeB, packed, m, n, inner);
            _panelBlocks = ((n + PanelWidth - 1) / PanelWidth + PanelsPerBlock - 1) / PanelsPerBlock;
            Blocks = _panelBlocks + (packedA is null ? 0 : (inner + RowsPerBlock - 1) / RowsPerBlock);
        }

        public void Run(int block)
        {
            if (block < _panelBlocks)
            {
                fixed (double* pb = _b, pp = _packed)
                    PackB(pb, _transposeB, pp, _inner, _n, block * PanelsPerBlock, (block + 1) * PanelsPerBlock);
                return;
            }
            var first = (block - _panelBlocks) * RowsPerBlock;
            fixed (double* pa = _a, pq = _packedA)
                PackTransposedA(pa, pq, _m, _inner, first, Math.Min(_inner, first + RowsPerBlock));
        }
    }

    // Blocks of RowBlock output rows of one product, for the persistent workers (one reusable instance per calling thread).
    private sealed class RowBlockJob : IBlockJob
    {
        private double[] _a = [], _packed = [], _c = [];
        private bool _prepacked;
        private int _m, _n, _inner;

        public void Set(double[] a, bool prepacked, double[] packed, double[] c, int m, int n, int inner)
        {
            (_a, _prepacked, _packed, _c, _m, _n, _inner) = (a, prepacked, packed, c, m, n, inner);
        }

        public void Run(int block) => Rows(_a, _prepacked, _packed, _c, block * RowBlock, Math.Min(_m, (block + 1) * RowBlock), _n, _inner);
    }

    /// <summary>Rows [start, end) of C = A B on spans, A (rows x inner) and B (inner x n), on the calling thread.</summary>
    public static void MultiplyRows(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int start, int end, int inner, int n)
    {
        if (end <= start || n == 0) return;
        if (inner == 0)
        {
            c.Slice(start * n, (end - start) * n).Clear();
            return;
        }
        var packed = ArrayPool<double>.Shared.Rent(PackedBLength(inner, n));
        var strip = ArrayPool<double>.Shared.Rent(StripRows * inner);
        try
        {
            fixed (double* pa = a, pb = b, pc = c, pp = packed, ps = strip)
            {
                PackB(pb, false, pp, inner, n);
                RowsCore(pa, false, pp, pc, ps, start, end, n, inner);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(strip);
            ArrayPool<double>.Shared.Return(packed);
        }
    }

    private static void Rows(double[] a, bool prepacked, double[] packed, double[] c, int start, int end, int n, int inner)
    {
        var strip = ArrayPool<double>.Shared.Rent(StripRows * inner);
        try
        {
            fixed (double* pa = a, pp = packed, pc = c, ps = strip)
                RowsCore(pa, prepacked, pp, pc, ps, start, end, n, inner);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(strip);
        }
    }

    // Output rows [start, end): each strip of 8 rows of op(A) meets every B panel. A strip comes from the whole packed
    // Aᵀ (prepacked), or is read in place from a row-major A (8 sequential row streams), or for an edge strip of a
    // row-major A is packed with zero rows below it.
    private static void RowsCore(double* a, bool prepacked, double* packedB, double* c, double* strip, int start, int end, int n, int inner)
    {
        for (var i = start; i < end; i += StripRows)
        {
            var rows = Math.Min(StripRows, end - i);
            double* source;
            long rowStride, innerStride;
            if (prepacked)
            {
                source = a + (long)i * inner; // strip i / 8 starts at (i / 8)·8·inner, and i is a multiple of 8
                rowStride = 1;
                innerStride = StripRows;
            }
            else if (rows == StripRows)
            {
                source = a + (long)i * inner;
                rowStride = inner;
                innerStride = 1;
            }
            else
            {
                PackRows(a, strip, i, rows, inner);
                source = strip;
                rowStride = 1;
                innerStride = StripRows;
            }
            for (var j = 0; j < n; j += PanelWidth)
            {
                var columns = Math.Min(PanelWidth, n - j);
                Kernel(source, rowStride, innerStride, packedB + (long)j * inner, inner, c + (long)i * n + j, n, rows, columns);
            }
        }
    }

    // strip[p·8 + r] = A[i + r, p] for a row-major A (· x inner), rows beyond `rows` zero.
    private static void PackRows(double* a, double* strip, int i, int rows, int inner)
    {
        new Span<double>(strip, StripRows * inner).Clear();
        for (var r = 0; r < rows; r++)
        {
            var src = a + (long)(i + r) * inner;
            for (var p = 0; p < inner; p++) strip[p * StripRows + r] = src[p];
        }
    }

    // The strips of op(A) = Aᵀ for A (inner x m): packed[s·8·inner + p·8 + r] = A[p, 8s + r], rows beyond m zero.
    private static void PackTransposedA(double* a, double* packed, int m, int inner) => PackTransposedA(a, packed, m, inner, 0, inner);

    // Rows firstRow .. endRow − 1 of A (inner x m) into the strips (disjoint outputs: the packing jobs split on them).
    private static void PackTransposedA(double* a, double* packed, int m, int inner, int firstRow, int endRow)
    {
        var strips = (m + StripRows - 1) / StripRows;
        var full = m / StripRows;
        for (var p = firstRow; p < endRow; p++)
        {
            var row = a + (long)p * m;
            for (var s = 0; s < full; s++)
                Vector512.Store(Vector512.Load(row + s * StripRows), packed + (long)s * StripRows * inner + p * StripRows);
            if (full < strips)
            {
                var dst = packed + (long)full * StripRows * inner + p * StripRows;
                for (var r = 0; r < StripRows; r++) dst[r] = full * StripRows + r < m ? row[full * StripRows + r] : 0.0;
            }
        }
    }

    // Panel q holds op(B)[p, 16q + s] at packed[q·16·inner + p·16 + s], columns beyond n zero.
    private static void PackB(double* b, bool transposeB, double* packed, int inner, int n) =>
        PackB(b, transposeB, packed, inner, n, 0, (n + PanelWidth - 1) / PanelWidth);

    // Panels firstPanel .. endPanel − 1 of PackB (disjoint outputs: the packing jobs split on them).
    private static void PackB(double* b, bool transposeB, double* packed, int inner, int n, int firstPanel, int endPanel)
    {
        for (var j = firstPanel * PanelWidth; j < Math.Min(n, endPanel * PanelWidth); j += PanelWidth)
        {
            var columns = Math.Min(PanelWidth, n - j);
            var panel = packed + (long)j * inner;
            if (columns < PanelWidth) new Span<double>(panel, PanelWidth * inner).Clear();
            if (transposeB)
            {
                // op(B)[p, j + s] = B[j + s, p] for B (n x inner).
                for (var s = 0; s < columns; s++)
                {
                    var src = b + (long)(j + s) * inner;
                    for (var p = 0; p < inner; p++) panel[p * PanelWidth + s] = src[p];
                }
            }
            else if (columns == PanelWidth)
            {
                for (var p = 0; p < inner; p++)
                {
                    var src = b + (long)p * n + j;
                    Vector512.Store(Vector512.Load(src), panel + p * PanelWidth);
                    Vector512.Store(Vector512.Load(src + 8), panel + p * PanelWidth + 8);
                }
            }
            else
            {
                for (var p = 0; p < inner; p++)
                {
                    var src = b + (long)p * n + j;
                    for (var s = 0; s < columns; s++) panel[p * PanelWidth + s] = src[s];
                }
            }
        }
    }

    // The 8 x 16 tile at c: full tiles straight into C, edge tiles through a scratch tile of which only the valid
    // rows and columns are copied.
    private static void Kernel(double* a, long rowStride, long innerStride, double* panel, int inner, double* c, int ldc, int rows, int columns)
    {
        if (rows == StripRows && columns == PanelWidth)
        {
            MicroKernel(a, rowStride, innerStride, panel, inner, c, ldc);
            return;
        }
        var tile = stackalloc double[StripRows * PanelWidth];
        MicroKernel(a, rowStride, innerStride, panel, inner, tile, PanelWidth);
        for (var r = 0; r < rows; r++)
        for (var s = 0; s < columns; s++)
            c[(long)r * ldc + s] = tile[r * PanelWidth + s];
    }

    // The 8 x 16 micro-kernel: C[0..8, 0..16) = Σ_p strip[p, ·] ⊗ panel[p, ·], each entry c ← c + a·b
    // (rounded product, rounded sum) from 0 over p in order.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MicroKernel(double* a, long rowStride, long innerStride, double* bp, int inner, double* c, long ldc)
    {
        // Entry (r, p) of the A strip is a[r·rowStride + p·innerStride]: a packed strip (1, 8), rows of a row-major A
        // read in place (inner, 1), or a transposed A read in place (1, m).
        double* a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride;
        double* a4 = a + 4 * rowStride, a5 = a + 5 * rowStride, a6 = a + 6 * rowStride, a7 = a + 7 * rowStride;
        Vector512<double> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<double> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<double> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<double> c60 = default, c61 = default, c70 = default, c71 = default;
        var end = inner * innerStride;
        for (long p = 0; p != end; p += innerStride)
        {
            var b0 = Vector512.Load(bp);
            var b1 = Vector512.Load(bp + 8);
            var x = Vector512.Create(a0[p]);
            c00 += x * b0; c01 += x * b1;
            x = Vector512.Create(a1[p]);
            c10 += x * b0; c11 += x * b1;
            x = Vector512.Create(a2[p]);
            c20 += x * b0; c21 += x * b1;
            x = Vector512.Create(a3[p]);
            c30 += x * b0; c31 += x * b1;
            x = Vector512.Create(a4[p]);
            c40 += x * b0; c41 += x * b1;
            x = Vector512.Create(a5[p]);
            c50 += x * b0; c51 += x * b1;
            x = Vector512.Create(a6[p]);
            c60 += x * b0; c61 += x * b1;
            x = Vector512.Create(a7[p]);
            c70 += x * b0; c71 += x * b1;
            bp += PanelWidth;
        }
        Vector512.Store(c00, c); Vector512.Store(c01, c + 8); c += ldc;
        Vector512.Store(c10, c); Vector512.Store(c11, c + 8); c += ldc;
        Vector512.Store(c20, c); Vector512.Store(c21, c + 8); c += ldc;
        Vector512.Store(c30, c); Vector512.Store(c31, c + 8); c += ldc;
        Vector512.Store(c40, c); Vector512.Store(c41, c + 8); c += ldc;
        Vector512.Store(c50, c); Vector512.Store(c51, c + 8); c += ldc;
        Vector512.Store(c60, c); Vector512.Store(c61, c + 8); c += ldc;
        Vector512.Store(c70, c); Vector512.Store(c71, c + 8);
    }
}

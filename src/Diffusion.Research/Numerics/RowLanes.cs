using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Diffusion.Research.Numerics;

/// <summary>
/// Moves up to eight rows of a row-major batch (particle after particle) into column lanes (one
/// <see cref="Vector512{T}"/> per coordinate, lane b = row b) and back, for the register-level fast paths of issue 9.
/// Unused lanes are 0 on the way in so that every value stays finite; they are dropped on the way out.
/// </summary>
internal static class RowLanes
{
    /// <summary>Lanes per vector.</summary>
    public const int Lanes = 8;

    // Two-source permutations (index >= 8 picks from the second vector) between interleaved pairs and columns.
    private static readonly Vector512<long> Even = Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14);
    private static readonly Vector512<long> Odd = Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15);
    private static readonly Vector512<long> Low = Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11);
    private static readonly Vector512<long> High = Vector512.Create(4L, 12, 5, 13, 6, 14, 7, 15);

    /// <summary>columns[i] lane b = values[(start + b) D + i] for b &lt; count, 0 beyond.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gather(ReadOnlySpan<double> values, int start, int count, int dimension, Span<Vector512<double>> columns)
    {
        if (dimension == 2 && count == Lanes && Avx512F.IsSupported)
        {
            // Two vectors of interleaved (x, y) pairs: even entries to x, odd entries to y.
            var a = Vector512.Create(values.Slice(2 * start, Lanes));
            var b = Vector512.Create(values.Slice(2 * start + Lanes, Lanes));
            columns[0] = Avx512F.PermuteVar8x64x2(a, Even, b);
            columns[1] = Avx512F.PermuteVar8x64x2(a, Odd, b);
            return;
        }
        Span<double> lane = stackalloc double[Lanes];
        for (var i = 0; i < dimension; i++)
        {
            lane.Clear();
            for (var b = 0; b < count; b++) lane[b] = values[(start + b) * dimension + i];
            columns[i] = Vector512.Create<double>(lane);
        }
    }

    /// <summary>values[(start + b) D + i] = columns[i] lane b for b &lt; count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scatter(ReadOnlySpan<Vector512<double>> columns, Span<double> values, int start, int count, int dimension)
    {
        if (dimension == 2 && count == Lanes && Avx512F.IsSupported)
        {
            Avx512F.PermuteVar8x64x2(columns[0], Low, columns[1]).CopyTo(values.Slice(2 * start, Lanes));
            Avx512F.PermuteVar8x64x2(columns[0], High, columns[1]).CopyTo(values.Slice(2 * start + Lanes, Lanes));
            return;
        }
        Span<double> lane = stackalloc double[Lanes];
        for (var i = 0; i < dimension; i++)
        {
            columns[i].CopyTo(lane);
            for (var b = 0; b < count; b++) values[(start + b) * dimension + i] = lane[b];
        }
    }
}

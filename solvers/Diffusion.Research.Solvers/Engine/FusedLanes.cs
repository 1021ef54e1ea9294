using System.Runtime.Intrinsics;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The chunk state of the fused paths: column lanes (eight particles per <see cref="Vector512{T}"/>, one vector per
/// coordinate, group after group), loaded from and stored to the chunk's rows, and the per-step finiteness check that
/// mirrors <see cref="Batch.IsFinite"/> of the step-by-step loop (padding lanes past the last row never count).
/// </summary>
internal static class FusedLanes
{
    /// <summary>Particles per lane group.</summary>
    public const int Lanes = RowLanes.Lanes;

    /// <summary>Lane groups of a chunk of <paramref name="rows"/> rows.</summary>
    public static int Groups(int rows) => (rows + Lanes - 1) / Lanes;

    /// <summary>Loads the chunk's rows into the column lanes.</summary>
    public static void Load(ReadOnlySpan<double> values, int rows, int d, Span<Vector512<double>> state)
    {
        for (var g = 0; g * Lanes < rows; g++)
            RowLanes.Gather(values, g * Lanes, Math.Min(Lanes, rows - g * Lanes), d, state.Slice(g * d, d));
    }

    /// <summary>Writes the column lanes back to the chunk's rows.</summary>
    public static void Store(ReadOnlySpan<Vector512<double>> state, Span<double> values, int rows, int d)
    {
        for (var g = 0; g * Lanes < rows; g++)
            RowLanes.Scatter(state.Slice(g * d, d), values, g * Lanes, Math.Min(Lanes, rows - g * Lanes), d);
    }

    /// <summary>All bits set in the lanes of the last group that hold no particle (none when the chunk fills it).</summary>
    public static Vector512<double> Padding(int rows) =>
        Vector512.GreaterThanOrEqual(Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7), Vector512.Create((long)(rows - (Groups(rows) - 1) * Lanes))).AsDouble();

    /// <summary>All bits set in every lane whose coordinates are all finite.</summary>
    public static Vector512<double> FiniteLanes(ReadOnlySpan<Vector512<double>> x)
    {
        var ok = Vector512<double>.AllBitsSet;
        for (var i = 0; i < x.Length; i++) ok &= Vector512.Equals(x[i] - x[i], Vector512<double>.Zero); // x − x is 0 iff x is finite
        return ok;
    }

    /// <summary>True when every lane of <paramref name="mask"/> is set.</summary>
    public static bool All(Vector512<double> mask) => mask.AsUInt64() == Vector512<ulong>.AllBitsSet;

    /// <summary>The finite lanes of group <paramref name="group"/> of <paramref name="groups"/>, padding lanes counted as
    /// finite in the last group.</summary>
    public static Vector512<double> Check(ReadOnlySpan<Vector512<double>> x, int group, int groups, Vector512<double> padding) =>
        group == groups - 1 ? FiniteLanes(x) | padding : FiniteLanes(x);
}

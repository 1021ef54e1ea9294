using System.Numerics.Tensors;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Scores;

/// <summary>
/// A time-independent affine score field s(x) = A x + b with exact divergence tr A: the score of a Gaussian
/// when A = −Σ⁻¹ and b = Σ⁻¹ μ, and otherwise a simple, exactly differentiable test field for the score-matching
/// identities (ISM = ESM − C, DSM = ESM + C'; 001 eqs 9–15; Hyvärinen 2005, Thm 1; Vincent 2011).
/// </summary>
public sealed class AffineScoreField : IScoreModel, IScoreDivergence
{
    private readonly double[] _matrix; // row-major D x D
    private readonly double[] _offset;
    private readonly double _trace;

    /// <summary>s(x) = <paramref name="matrix"/>·x + <paramref name="offset"/>; the matrix must be square and match the offset.</summary>
    public AffineScoreField(double[,] matrix, double[] offset)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(offset);
        var d = offset.Length;
        if (d == 0) throw new ArgumentException("The offset must have at least one entry.", nameof(offset));
        if (matrix.GetLength(0) != d || matrix.GetLength(1) != d)
            throw new ArgumentException($"The matrix is {matrix.GetLength(0)} x {matrix.GetLength(1)}, expected {d} x {d}.", nameof(matrix));
        Dimension = d;
        _matrix = new double[d * d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                var a = matrix[i, j];
                if (!double.IsFinite(a)) throw new ArgumentException($"matrix[{i}, {j}] = {a}.", nameof(matrix));
                _matrix[i * d + j] = a;
            }
        foreach (var b in offset)
            if (!double.IsFinite(b)) throw new ArgumentException($"The offset has a non-finite entry {b}.", nameof(offset));
        _offset = (double[])offset.Clone();
        for (var i = 0; i < d; i++) _trace += _matrix[i * d + i];
    }

    /// <summary>D.</summary>
    public int Dimension { get; }

    /// <summary>tr A, the divergence everywhere.</summary>
    public double Trace => _trace;

    /// <summary>A[i, j].</summary>
    public double Matrix(int i, int j) => _matrix[i * Dimension + j];

    /// <summary>b[i].</summary>
    public double Offset(int i) => _offset[i];

    /// <inheritdoc />
    public void Score(double t, Batch x, Batch destination)
    {
        Require(x, nameof(x));
        x.RequireShape(destination, nameof(destination));
        var d = Dimension;
        ReadOnlySpan<double> m = _matrix;
        for (var i = 0; i < x.Count; i++)
        {
            ReadOnlySpan<double> xi = x.Row(i);
            var yi = destination.Row(i);
            for (var r = 0; r < d; r++) yi[r] = TensorPrimitives.Dot(m.Slice(r * d, d), xi) + _offset[r];
        }
    }

    /// <inheritdoc />
    public void Divergence(double t, Batch x, Span<double> destination)
    {
        Require(x, nameof(x));
        if (destination.Length != x.Count)
            throw new ArgumentException($"Destination has {destination.Length} entries, expected {x.Count}.", nameof(destination));
        destination.Fill(_trace);
    }

    private void Require(Batch x, string name)
    {
        if (x.Dimension != Dimension)
            throw new ArgumentException($"Batch '{name}' has dimension {x.Dimension}, the field has {Dimension}.", name);
    }
}

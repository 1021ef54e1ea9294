using System.Numerics.Tensors;

namespace Diffusion.Research.Data;

/// <summary>
/// An orthogonal eigenbasis U (D x D, column j = eigenvector j) checked and laid out row-major for the spectral data sets:
/// U and Uᵀ, with UᵀU = I required within 1e-9 per entry.
/// </summary>
internal static class OrthogonalBasis
{
    /// <summary>U and Uᵀ row-major; throws ArgumentException on <paramref name="parameterName"/> if UᵀU ≠ I. The caller checks the shape.</summary>
    public static (double[] U, double[] Transpose) RowMajor(double[,] basis, string parameterName)
    {
        var d = basis.GetLength(0);
        var u = new double[d * d];
        var transpose = new double[d * d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                u[i * d + j] = basis[i, j];
                transpose[j * d + i] = basis[i, j];
            }
        for (var i = 0; i < d; i++)
            for (var j = 0; j <= i; j++)
            {
                var dot = TensorPrimitives.Dot(transpose.AsSpan(i * d, d), transpose.AsSpan(j * d, d));
                if (Math.Abs(dot - (i == j ? 1.0 : 0.0)) > 1e-9) throw new ArgumentException($"The basis is not orthogonal (columns {i}, {j}).", parameterName);
            }
        return (u, transpose);
    }

    /// <summary>U as a D x D matrix from its row-major layout <paramref name="u"/>.</summary>
    public static double[,] Matrix(double[] u, int d)
    {
        var matrix = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++) matrix[i, j] = u[i * d + j];
        return matrix;
    }
}

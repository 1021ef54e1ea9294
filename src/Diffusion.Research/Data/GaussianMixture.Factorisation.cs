using System.Buffers;
using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Diffusion.Research.Data;

/// <summary>Construction checks and the factorisation of each covariance (eigendecomposition, square-root factor).</summary>
public sealed partial class GaussianMixture
{
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

    /// <summary>The kernel scales of a noised evaluation: α finite, σ finite and ≥ 0, not both 0 (shared with <see cref="SpectralGaussian"/>).</summary>
    internal static void ValidateKernel(double alpha, double sigma)
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

    private void CheckComponent(int component) => CheckComponent(component, Components);

    /// <summary>A component index in [0, <paramref name="components"/>) (shared with <see cref="SpectralMixture"/>).</summary>
    internal static void CheckComponent(int component, int components)
    {
        if ((uint)component >= (uint)components)
            throw new ArgumentOutOfRangeException(nameof(component), component, $"Component index outside [0, {components}).");
    }
}

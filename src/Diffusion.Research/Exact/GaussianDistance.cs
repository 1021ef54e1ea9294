using MathNet.Numerics.LinearAlgebra;

namespace Diffusion.Research.Exact;

/// <summary>
/// Closed-form distances between two normal laws p = N(m_p, S_p) and q = N(m_q, S_q):
/// KL(p‖q) = ½ [tr(S_q⁻¹ S_p) + (m_q − m_p)ᵀ S_q⁻¹ (m_q − m_p) − D + ln det S_q − ln det S_p]
/// (Kullback 1959; e.g. Pardo 2006 "Statistical Inference Based on Divergence Measures", eq 1.18), and the
/// 2-Wasserstein distance W2² = ‖m_p − m_q‖² + tr(S_p + S_q − 2 (S_q^½ S_p S_q^½)^½) (Dowson &amp; Landau 1982;
/// Olkin &amp; Pukelsheim 1982; Givens &amp; Shortt 1984; the Bures metric on the covariances). Full laws go through
/// symmetric eigendecompositions (O(D³) once per call); two diagonal laws use the per-coordinate forms
/// (O(D)), where the Bures term is Σ (√a_i − √b_i)².
/// </summary>
public static class GaussianDistance
{
    /// <summary>KL(p‖q); infinite when S_q is singular, or S_p is singular and S_q is not.</summary>
    public static double KullbackLeibler(GaussianLaw p, GaussianLaw q)
    {
        Require(p, q);
        var d = p.Dimension;
        if (p.IsDiagonal && q.IsDiagonal)
        {
            // Per coordinate: ½ [a/b + (m_q − m_p)²/b − 1 + ln b − ln a].
            var sum = 0.0;
            for (var i = 0; i < d; i++)
            {
                double a = p.Covariance(i, i), b = q.Covariance(i, i), dm = q.Mean(i) - p.Mean(i);
                if (b <= 0 || a <= 0) return double.PositiveInfinity;
                var r = a / b;
                sum += r + dm * dm / b - 1 - Math.Log(r);
            }
            return 0.5 * sum;
        }
        var sp = Matrix(p);
        var sq = Matrix(q);
        var eq = sq.Evd(Symmetricity.Symmetric);
        var ep = sp.Evd(Symmetricity.Symmetric);
        var lq = eq.EigenValues.Real();
        var lp = ep.EigenValues.Real();
        if (lq.Minimum() <= 0 || lp.Minimum() <= 0) return double.PositiveInfinity;
        // S_q⁻¹ = U diag(1/l) Uᵀ from the eigendecomposition.
        var inv = eq.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(lq.Map(x => 1 / x)) * eq.EigenVectors.Transpose();
        var dmv = Vector(q) - Vector(p);
        var trace = (inv * sp).Trace();
        var quad = dmv * (inv * dmv);
        var logDetQ = lq.Sum(Math.Log);
        var logDetP = lp.Sum(Math.Log);
        return 0.5 * (trace + quad - d + logDetQ - logDetP);
    }

    /// <summary>W2(p, q) (not squared).</summary>
    public static double Wasserstein2(GaussianLaw p, GaussianLaw q)
    {
        Require(p, q);
        var d = p.Dimension;
        var meanPart = 0.0;
        for (var i = 0; i < d; i++)
        {
            var dm = p.Mean(i) - q.Mean(i);
            meanPart += dm * dm;
        }
        double bures;
        if (p.IsDiagonal && q.IsDiagonal)
        {
            bures = 0.0;
            for (var i = 0; i < d; i++)
            {
                var r = Math.Sqrt(p.Covariance(i, i)) - Math.Sqrt(q.Covariance(i, i));
                bures += r * r;
            }
        }
        else
        {
            var sp = Matrix(p);
            var sq = Matrix(q);
            var rootQ = SquareRoot(sq);
            var middle = rootQ * sp * rootQ;
            middle = 0.5 * (middle + middle.Transpose());
            var cross = SquareRoot(middle).Trace();
            bures = Math.Max(0.0, sp.Trace() + sq.Trace() - 2 * cross);
        }
        return Math.Sqrt(meanPart + bures);
    }

    /// <summary>‖m_p − m_q‖₂.</summary>
    public static double MeanError(GaussianLaw p, GaussianLaw q)
    {
        Require(p, q);
        var s = 0.0;
        for (var i = 0; i < p.Dimension; i++)
        {
            var dm = p.Mean(i) - q.Mean(i);
            s += dm * dm;
        }
        return Math.Sqrt(s);
    }

    /// <summary>‖S_p − S_q‖_F, the Frobenius norm of the covariance difference.</summary>
    public static double CovarianceError(GaussianLaw p, GaussianLaw q)
    {
        Require(p, q);
        var d = p.Dimension;
        var s = 0.0;
        if (p.IsDiagonal && q.IsDiagonal)
        {
            for (var i = 0; i < d; i++)
            {
                var r = p.Covariance(i, i) - q.Covariance(i, i);
                s += r * r;
            }
            return Math.Sqrt(s);
        }
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                var r = p.Covariance(i, j) - q.Covariance(i, j);
                s += r * r;
            }
        return Math.Sqrt(s);
    }

    // The principal square root of a symmetric positive semi-definite matrix, with negative rounding eigenvalues clipped to 0.
    private static Matrix<double> SquareRoot(Matrix<double> a)
    {
        var e = a.Evd(Symmetricity.Symmetric);
        var roots = e.EigenValues.Real().Map(x => Math.Sqrt(Math.Max(0.0, x)));
        return e.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(roots) * e.EigenVectors.Transpose();
    }

    private static Matrix<double> Matrix(GaussianLaw law) => Matrix<double>.Build.DenseOfArray(law.CovarianceMatrix());

    private static Vector<double> Vector(GaussianLaw law) => Vector<double>.Build.DenseOfArray(law.MeanVector());

    private static void Require(GaussianLaw p, GaussianLaw q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        if (p.Dimension != q.Dimension) throw new ArgumentException($"The laws have dimensions {p.Dimension} and {q.Dimension}.", nameof(q));
    }
}

using Diffusion.Research.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Diffusion.Research.Conditional;

/// <summary>
/// The exact posterior p(x | y) ∝ p(x) N(y; A x, s² I) of a Gaussian-mixture prior p(x) = Σ_k w_k N(μ_k, Σ_k) under a
/// <see cref="LinearMeasurement"/>: again a Gaussian mixture. For each component (Bishop 2006, PRML §2.3.3, eqs. 2.113–2.117,
/// the linear-Gaussian model; in gain form): S_k = A Σ_k Aᵀ + s² I, K_k = Σ_k Aᵀ S_k⁻¹, posterior mean μ_k + K_k (y − A μ_k),
/// posterior covariance Σ_k − K_k A Σ_k; the new weights are w_k N(y; A μ_k, S_k) / Σ_j w_j N(y; A μ_j, S_j), the evidence of
/// each component (Bayes' rule over the component index).
/// </summary>
public static class MixturePosterior
{
    /// <summary>The posterior mixture. Components whose weight underflows to 0 (below e^−745 relative to the largest) are dropped.</summary>
    public static GaussianMixture Of(GaussianMixture prior, LinearMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(measurement);
        var d = prior.Dimension;
        var m = measurement.Rows;
        if (measurement.Dimension != d)
            throw new ArgumentException($"The measurement acts on dimension {measurement.Dimension}, the prior is {d}-dimensional.", nameof(measurement));
        var a = Matrix<double>.Build.Dense(m, d, (r, j) => measurement[r, j]);
        var y = Vector<double>.Build.Dense(measurement.Observation.ToArray());
        var s2 = measurement.Noise * measurement.Noise;
        var logWeights = new double[prior.Components];
        var means = new double[prior.Components][];
        var covariances = new double[prior.Components][,];
        for (var k = 0; k < prior.Components; k++)
        {
            var mu = Vector<double>.Build.Dense(prior.Mean(k));
            var sigma = Matrix<double>.Build.DenseOfArray(prior.Covariance(k));
            var s = a * sigma * a.Transpose() + s2 * Matrix<double>.Build.DenseIdentity(m);
            s = 0.5 * (s + s.Transpose());
            var cholesky = s.Cholesky();
            var residual = y - a * mu;
            var solved = cholesky.Solve(residual);
            // log N(y; A μ_k, S_k) = −½ (m log 2π + log det S_k + rᵀ S_k⁻¹ r).
            logWeights[k] = Math.Log(prior.Weights[k]) - 0.5 * (m * Math.Log(2 * Math.PI) + cholesky.DeterminantLn + residual * solved);
            var gain = sigma * a.Transpose() * s.Inverse(); // K_k = Σ_k Aᵀ S_k⁻¹
            means[k] = (mu + gain * residual).ToArray();
            var covariance = sigma - gain * a * sigma;
            covariances[k] = new double[d, d];
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++) covariances[k][i, j] = 0.5 * (covariance[i, j] + covariance[j, i]);
        }
        var max = logWeights.Max();
        var keep = Enumerable.Range(0, prior.Components).Where(k => logWeights[k] - max > -745).ToArray();
        var weights = keep.Select(k => Math.Exp(logWeights[k] - max)).ToArray();
        var sum = weights.Sum();
        for (var i = 0; i < weights.Length; i++) weights[i] /= sum;
        return new GaussianMixture(weights, keep.Select(k => means[k]).ToArray(), keep.Select(k => covariances[k]).ToArray());
    }
}

using Diffusion.Research.Conditional;
using Diffusion.Research.Data;

namespace Diffusion.Research.Tests.Conditional;

/// <summary>
/// MixturePosterior against the scalar closed form of a one-row measurement y = a·x + s ε (Bishop 2006, PRML eqs.
/// 2.113–2.117 with S_k = a Σ_k aᵀ + s² a number): weights ∝ w_k N(y; a·μ_k, S_k), means μ_k + Σ_k aᵀ (y − a·μ_k)/S_k,
/// covariances Σ_k − Σ_k aᵀ a Σ_k / S_k. Generic values: unequal weights, full covariances, a and y not aligned with
/// any axis, so a wrong sign or factor in the evidence, the gain or the update shows.
/// </summary>
public class MixturePosteriorTests
{
    [Fact]
    public void A_one_row_measurement_gives_the_scalar_closed_form()
    {
        double[] w = [0.3, 0.7];
        double[][] mu = [[-1.2, 0.4], [0.8, -0.5]];
        double[][,] sigma = [new[,] { { 0.5, 0.15 }, { 0.15, 0.9 } }, new[,] { { 1.7, -0.3 }, { -0.3, 0.6 } }];
        double[] a = [0.6, -0.4];
        const double s = 0.35, y = -0.1;
        var posterior = MixturePosterior.Of(new GaussianMixture(w, mu, sigma), new LinearMeasurement(a, 1, 2, s, [y]));

        var evidence = new double[2];
        for (var k = 0; k < 2; k++)
        {
            var sa = new[] { sigma[k][0, 0] * a[0] + sigma[k][0, 1] * a[1], sigma[k][1, 0] * a[0] + sigma[k][1, 1] * a[1] }; // Σ_k aᵀ
            var S = a[0] * sa[0] + a[1] * sa[1] + s * s;
            var r = y - (a[0] * mu[k][0] + a[1] * mu[k][1]);
            evidence[k] = w[k] * Math.Exp(-0.5 * r * r / S) / Math.Sqrt(2 * Math.PI * S);
            var mean = posterior.Mean(k);
            var cov = posterior.Covariance(k);
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(mu[k][i] + sa[i] * r / S, mean[i], 12);
                for (var j = 0; j < 2; j++) Assert.Equal(sigma[k][i, j] - sa[i] * sa[j] / S, cov[i, j], 12);
            }
        }
        for (var k = 0; k < 2; k++) Assert.Equal(evidence[k] / evidence.Sum(), posterior.Weights[k], 12);
        Assert.InRange(posterior.Weights[0], 0.05, 0.95); // both components matter: the weights test is not vacuous
    }
}

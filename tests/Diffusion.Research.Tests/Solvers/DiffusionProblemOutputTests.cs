using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// The model outputs of <see cref="DiffusionProblem"/> against closed forms for Gaussian data x_0 ~ N(μ, s0² I) under an
/// affine kernel, where p_t = N(α μ, (α² s0² + σ²) I): ε̂ = −σ s = σ (x − α μ)/(α² s0² + σ²), and the denoiser is the
/// posterior mean E[x_0 | x_t] = μ + α s0² (x − α μ)/(α² s0² + σ²) (Gaussian conditioning, independent of Tweedie).
/// </summary>
public class DiffusionProblemOutputTests
{
    private static readonly double[] Mu = [0.7, -1.3];
    private const double S0 = 0.45;

    private static DiffusionProblem Problem(string kind)
    {
        var sde = SamplerQualityTests.Sde(kind);
        var data = GaussianMixture.Isotropic([1.0], [Mu], [S0 * S0]);
        return SamplingProblem.Reverse(sde, new ExactNoisedScore(data, sde.Kernel!), 0).Diffusion;
    }

    private static readonly Batch X = new([0.31, -2.2, -1.7, 0.45, 2.9, 0.05], 3, 2);

    [Theory]
    [InlineData("vp", 0.37)]
    [InlineData("ve", 0.61)]
    public void NoisePredictionAndDenoiserMatchGaussianConditioning(string kind, double t)
    {
        var p = Problem(kind);
        double a = p.Kernel.Alpha(t), s = p.Kernel.Sigma(t), v = a * a * S0 * S0 + s * s;
        var eps = new Batch(3, 2);
        var d = new Batch(3, 2);
        p.PredictNoise(t, X, eps);
        p.Denoise(t, X, new Batch(3, 2), d);
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 2; j++)
        {
            var r = X[i, j] - a * Mu[j];
            Assert.Equal(s * r / v, eps[i, j], 1e-12);
            Assert.Equal(Mu[j] + a * S0 * S0 * r / v, d[i, j], 1e-12);
        }
    }

    [Theory]
    [InlineData("vp", 0.52)]
    [InlineData("ve", 0.23)]
    public void NoisePredictionAtALevelIsTheNoisePredictionAtThatLevelsTime(string kind, double tau)
    {
        var p = Problem(kind);
        double a = p.Kernel.Alpha(tau), s = p.Kernel.Sigma(tau);
        var level = s / a;
        var atLevel = new Batch(3, 2);
        p.PredictNoiseAtLevel(level, 1.0, X, new Batch(3, 2), atLevel);
        // x̂ = X at level σ̂ is the state x = α_τ X at time τ: ε̂(x̂; σ̂) = ε̂(α_τ X, τ).
        var scaled = X.Clone();
        scaled.Scale(a);
        var direct = new Batch(3, 2);
        p.PredictNoise(tau, scaled, direct);
        for (var k = 0; k < 6; k++) Assert.Equal(direct.Values[k], atLevel.Values[k], 1e-9 * (1 + Math.Abs(direct.Values[k])));
    }
}

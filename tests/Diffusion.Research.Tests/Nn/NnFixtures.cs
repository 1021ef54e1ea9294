using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Nn;

/// <summary>
/// Test-local fixtures (independent of other branches): the Ornstein–Uhlenbeck (DDPM-type) SDE
/// dx = −x/2 dt + dW with α_t = e^(−t/2), σ_t² = 1 − e^(−t) (002 "Denoising/Noise-Prediction
/// Interpretation"; Ho et al. 2020, eq (4)), and isotropic Gaussian data N(m, s² I), whose noised marginal is
/// p_t = N(α m, (α² s² + σ²) I) with score −(x − α m)/(α² s² + σ²).
/// </summary>
internal sealed class OuSde : ISde, IKernel
{
    public double T => 1.0;
    public IKernel Kernel => this;
    public double Alpha(double t) => Math.Exp(-0.5 * t);
    public double Sigma(double t) => Math.Sqrt(1.0 - Math.Exp(-t)); // σ² = 1 − e^(−t)
    public void Drift(double t, Batch x, Batch destination)
    {
        var s = x.Values;
        var d = destination.Values;
        for (var i = 0; i < s.Length; i++) d[i] = -0.5 * s[i];
    }
    public double Diffusion(double t) => 1.0;
    public IDistribution Prior(int dimension) => new IsotropicGaussian(new double[dimension], 1.0);
}

internal sealed class IsotropicGaussian(double[] mean, double std) : IDistribution
{
    public double[] Mean { get; } = mean;
    public double Std { get; } = std;
    public int Dimension => Mean.Length;

    public void Sample(Batch destination, NoiseSource noise, long firstParticle)
    {
        noise.FillGaussian(7, firstParticle, destination);
        for (var i = 0; i < destination.Count; i++)
        {
            var row = destination.Row(i);
            for (var j = 0; j < row.Length; j++) row[j] = Mean[j] + Std * row[j];
        }
    }

    public void LogDensity(Batch x, Span<double> destination)
    {
        var v = Std * Std;
        for (var i = 0; i < x.Count; i++)
        {
            var row = x.Row(i);
            var q = 0.0;
            for (var j = 0; j < row.Length; j++) q += (row[j] - Mean[j]) * (row[j] - Mean[j]);
            destination[i] = -0.5 * q / v - 0.5 * row.Length * Math.Log(2 * Math.PI * v);
        }
    }

    public void Score(Batch x, Batch destination)
    {
        for (var i = 0; i < x.Count; i++)
        {
            var row = x.Row(i);
            var d = destination.Row(i);
            for (var j = 0; j < row.Length; j++) d[j] = -(row[j] - Mean[j]) / (Std * Std);
        }
    }

    /// <summary>The exact score of p_t under <paramref name="kernel"/>.</summary>
    public IScoreModel NoisedScore(IKernel kernel) => new NoisedGaussianScore(this, kernel);

    private sealed class NoisedGaussianScore(IsotropicGaussian g, IKernel k) : IScoreModel
    {
        public void Score(double t, Batch x, Batch destination)
        {
            var a = k.Alpha(t);
            var s = k.Sigma(t);
            var v = a * a * g.Std * g.Std + s * s;
            for (var i = 0; i < x.Count; i++)
            {
                var row = x.Row(i);
                var d = destination.Row(i);
                for (var j = 0; j < row.Length; j++) d[j] = -(row[j] - a * g.Mean[j]) / v;
            }
        }
    }
}

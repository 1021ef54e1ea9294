using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Tests.Sde;

namespace Diffusion.Research.Tests.Scores;

public class NoisedMixtureScoreTests
{
    private static GaussianMixture Mixture() => new(
        new[] { 0.3, 0.7 },
        new[] { new[] { 1.0, -0.5 }, new[] { -1.0, 0.8 } },
        new[] { new[,] { { 0.3, 0.1 }, { 0.1, 0.2 } }, new[,] { { 0.5, -0.2 }, { -0.2, 0.4 } } });

    // Score = central-difference gradient of log p_t (step 1e-5: error ~ h² ≈ 1e-10 plus round-off ~1e-11); divergence = FD of the score.
    [Theory]
    [InlineData("vp")]
    [InlineData("ve")]
    [InlineData("subvp")]
    [InlineData("flow-matching")]
    [InlineData("vp-cosine")]
    public void ScoreAndDivergenceMatchFiniteDifferences(string name)
    {
        var sde = BuiltInSdes.Get(name);
        var exact = new ExactNoisedScore(Mixture(), sde.Kernel!);
        var x = new Batch(20, 2);
        new NoiseSource(4).FillGaussian(0, 0, x);
        const double h = 1e-5;
        foreach (var frac in new[] { 0.01, 0.2, 0.6, 0.95 })
        {
            var t = frac * sde.T;
            var score = new Batch(20, 2);
            exact.Score(t, x, score);
            var div = new double[20];
            exact.Divergence(t, x, div);
            var up = new double[20];
            var dn = new double[20];
            var fdDiv = new double[20];
            var sUp = new Batch(20, 2);
            var sDn = new Batch(20, 2);
            for (var d = 0; d < 2; d++)
            {
                var plus = x.Clone(); var minus = x.Clone();
                for (var i = 0; i < 20; i++) { plus[i, d] += h; minus[i, d] -= h; }
                exact.LogDensity(t, plus, up);
                exact.LogDensity(t, minus, dn);
                exact.Score(t, plus, sUp);
                exact.Score(t, minus, sDn);
                for (var i = 0; i < 20; i++)
                {
                    var fd = (up[i] - dn[i]) / (2 * h);
                    Assert.True(Math.Abs(fd - score[i, d]) < 1e-6 * Math.Max(1, Math.Abs(fd)), $"{name} t={t}: score {score[i, d]} vs FD {fd}");
                    fdDiv[i] += (sUp[i, d] - sDn[i, d]) / (2 * h);
                }
            }
            for (var i = 0; i < 20; i++)
                Assert.True(Math.Abs(fdDiv[i] - div[i]) < 1e-5 * Math.Max(1, Math.Abs(div[i])), $"{name} t={t}: div {div[i]} vs FD {fdDiv[i]}");
            // Tweedie (001 eq 24; Robbins 1956; Efron 2011): E[x0 | x_t] = (x + σ² s)/α
            var mean = new Batch(20, 2);
            exact.PosteriorMean(t, x, mean);
            double a = sde.Kernel!.Alpha(t), s2 = Math.Pow(sde.Kernel.Sigma(t), 2);
            for (var i = 0; i < 40; i++)
                Assert.Equal((x.Values[i] + s2 * score.Values[i]) / a, mean.Values[i], 1e-9 * Math.Max(1, Math.Abs(mean.Values[i])));
        }
    }

    [Fact]
    public void MarginalIsTheNoisedMixture()
    {
        var sde = VpSde.Linear();
        var exact = new ExactNoisedScore(Mixture(), sde);
        var x = new Batch(5, 2);
        new NoiseSource(1).FillGaussian(0, 0, x);
        var a = new double[5];
        var b = new double[5];
        exact.LogDensity(0.4, x, a);
        exact.Marginal(0.4).LogDensity(x, b);
        for (var i = 0; i < 5; i++) Assert.Equal(b[i], a[i], 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => exact.Score(1.5, x, new Batch(5, 2)));
        Assert.Throws<ArgumentNullException>(() => new ExactNoisedScore(null!, sde));
    }
}

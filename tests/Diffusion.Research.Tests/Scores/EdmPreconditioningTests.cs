using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Scores;

/// <summary>EDM preconditioning (Karras et al. 2022 Table 1) as a prediction kind.</summary>
public class EdmPreconditioningTests
{
    [Fact]
    public void CoefficientsAreTable1()
    {
        var p = new EdmPreconditioning(0.7);
        const double s = 2.3;
        Assert.Equal(0.49 / (s * s + 0.49), p.CSkip(s), 1e-15);
        Assert.Equal(s * 0.7 / Math.Sqrt(s * s + 0.49), p.COut(s), 1e-15);
        Assert.Equal(1 / Math.Sqrt(s * s + 0.49), p.CIn(s), 1e-15);
        Assert.Equal(0.25 * Math.Log(s), p.CNoise(s), 1e-15);
        Assert.Equal(s * s * p.CSkip(s), p.COut(s) * p.COut(s), 1e-14); // c_out² = σ̂² c_skip
    }

    [Theory]
    [InlineData("vp")]
    [InlineData("ve")]
    public void TheIdealNetworkIsZeroForCenteredGaussianDataOfVarianceSigmaDataSquared(string sdeName)
    {
        // D(x̂; σ̂) = σ_d²/(σ_d² + σ̂²) x̂ = c_skip x̂ for N(0, σ_d² I): F = 0 (Karras et al. 2022 App. B.6).
        const double sigmaData = 0.8;
        ISde sde = sdeName == "vp" ? VpSde.Linear() : new VeSde();
        var kernel = sde.Kernel!;
        var score = new ExactNoisedScore(GaussianMixture.Isotropic([1.0], [[0.0, 0.0]], [sigmaData * sigmaData]), kernel);
        var x = new Batch([0.9, -1.4, 2.2, 0.3], 2, 2);
        var s = new Batch(2, 2);
        const double t = 0.37;
        score.Score(t, x, s);
        var f = new Batch(2, 2);
        new EdmPreconditioning(sigmaData).FromPrediction(Prediction.Score, kernel.Alpha(t), kernel.Sigma(t)).Apply(x, s, f);
        foreach (var v in f.Values) Assert.Equal(0.0, v, 1e-12);
    }

    [Fact]
    public void ToAndFromEveryKindRoundTrip()
    {
        var p = new EdmPreconditioning(0.5);
        double alpha = 0.83, sigma = 0.61;
        foreach (var kind in Enum.GetValues<Prediction>())
        {
            var to = p.ToPrediction(kind, alpha, sigma);
            var from = p.FromPrediction(kind, alpha, sigma);
            // F -> kind -> F is the identity: from(x, to(x, F)) = F
            Assert.Equal(0.0, from.StateWeight + from.PredictionWeight * to.StateWeight, 1e-12);
            Assert.Equal(1.0, from.PredictionWeight * to.PredictionWeight, 1e-12);
        }
        // x_0 = (c_skip/α) x + c_out F
        var data = p.ToPrediction(Prediction.Data, alpha, sigma);
        Assert.Equal(p.CSkip(sigma / alpha) / alpha, data.StateWeight, 1e-15);
        Assert.Equal(p.COut(sigma / alpha), data.PredictionWeight, 1e-15);
    }
}

using Diffusion.Research.Conditional;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Tests.Conditional;

/// <summary>
/// The tilted law q_γ ∝ p(x | c)^γ p(x)^(1−γ) by quadrature: at γ = 1 it is p(x | c) and at γ = 0 p(x), whose normaliser
/// (1) and moments are known exactly, so the quadrature error can be measured and compared with the stated estimate.
/// </summary>
public class TiltedLawTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.0)]
    public void NormaliserAndMomentsAreExactWithinTheStatedError(double gamma)
    {
        var data = LabelledMixture.TwoClasses();
        var law = new TiltedLaw(data, 0, gamma, 256);
        var exact = gamma == 1.0 ? data.ClassConditional(0) : data.Mixture;
        // The stated error (two-grid estimate plus tail bound, at least the rounding level 1e-12) covers the actual one.
        var stated = Math.Max(law.NormaliserError, 1e-12) + law.TailMassBound;
        Assert.True(Math.Abs(Math.Exp(law.LogNormaliser) - 1.0) <= stated, $"|Z − 1| = {Math.Abs(Math.Exp(law.LogNormaliser) - 1.0)} > stated {stated}");
        var mean = exact.MixtureMean();
        var cov = exact.MixtureCovariance();
        // The grid law's moments: midpoint-rule moments of a smooth law, error O(h²) at worst (spectrally small for Gaussians);
        // the h²/12 in-cell variance is part of the grid law's covariance, so allow h² on the covariance.
        for (var i = 0; i < 2; i++)
        {
            Assert.True(Math.Abs(mean[i] - law.Mean[i]) < 1e-9, $"mean[{i}]: {mean[i]} vs {law.Mean[i]}");
            for (var j = 0; j < 2; j++)
                Assert.True(Math.Abs(cov[i, j] - law.Covariance[i * 2 + j]) <= law.CellSide * law.CellSide, $"cov[{i},{j}]: {cov[i, j]} vs {law.Covariance[i * 2 + j]}");
        }
    }

    [Fact]
    public void SamplesHaveTheQuadratureMeanAtGammaThree()
    {
        // γ = 3: mean of 40000 draws within 4 standard errors of the quadrature mean (standard error from the quadrature covariance).
        var law = new TiltedLaw(LabelledMixture.TwoClasses(), 1, 3.0, 256);
        const int n = 40000;
        var x = new Batch(n, 2);
        law.Sample(x, new NoiseSource(11), 0);
        for (var a = 0; a < 2; a++)
        {
            var mean = 0.0;
            for (var i = 0; i < n; i++) mean += x[i, a];
            mean /= n;
            var se = Math.Sqrt(law.Covariance[a * 2 + a] / n);
            Assert.True(Math.Abs(mean - law.Mean[a]) < 4 * se, $"axis {a}: sample mean {mean} vs {law.Mean[a]} (se {se})");
        }
        // Sharper than the conditional: the tilt with γ > 1 concentrates the law (smaller total variance than p(x | c)).
        var conditional = LabelledMixture.TwoClasses().ClassConditional(1).MixtureCovariance();
        Assert.True(law.Covariance[0] + law.Covariance[3] < conditional[0, 0] + conditional[1, 1]);
    }

    /// <summary>The grid is square with the side set by the widest axis: on data spread along one axis only, the box must
    /// cover that axis (8 Gershgorin standard deviations past the extreme means), and at γ = 1 the law is p(x | c), whose
    /// mean is the class's weighted component mean.</summary>
    [Fact]
    public void TheGridCoversTheWidestAxis()
    {
        var mixture = new GaussianMixture([0.25, 0.35, 0.4], [[-6.0, 0.3], [5.0, -0.2], [0.5, 0.1]],
            [new[,] { { 0.3, 0.05 }, { 0.05, 0.2 } }, new[,] { { 0.4, 0.0 }, { 0.0, 0.1 } }, new[,] { { 0.2, -0.05 }, { -0.05, 0.25 } }]);
        var data = new LabelledMixture(mixture, [0, 0, 1]);
        var law = new TiltedLaw(data, 0, 1.0, 256);
        var half = TiltedLaw.BoxStandardDeviations * Math.Sqrt(0.4); // the largest Gershgorin row sum: 0.4 + 0
        Assert.Equal((5.0 + half - (-6.0 - half)) / 256, law.CellSide, 12);
        Assert.Equal(law.CellSide * Math.Sqrt(2), law.CellDiagonal, 12);
        // p(x | 0): components 0 and 1 with weights 0.25 : 0.35.
        Assert.Equal((0.25 * -6.0 + 0.35 * 5.0) / 0.6, law.Mean[0], 3);
        Assert.Equal((0.25 * 0.3 + 0.35 * -0.2) / 0.6, law.Mean[1], 3);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => new TiltedLaw(null!, 0, 1.0)).ParamName);
        Assert.Throws<ArgumentException>("destination", () => new TiltedLaw(LabelledMixture.TwoClasses(), 0, 1.0, 16).Sample(new Batch(4, 3), new NoiseSource(1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TiltedLaw(LabelledMixture.TwoClasses(), 0, 1.0, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TiltedLaw(LabelledMixture.TwoClasses(), 0, -1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TiltedLaw(LabelledMixture.TwoClasses(), 0, double.NaN));
    }

    /// <summary>A grid of more than 2^24 cells is refused before anything is allocated (4098^2 = 16 793 604 > 16 777 216).</summary>
    [Fact]
    public void A_grid_beyond_the_cell_limit_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>("cells", () => new TiltedLaw(LabelledMixture.TwoClasses(), 0, 1.0, 4098));
        Assert.StartsWith("cells^D = 4098^2 exceeds the 16777216 quadrature cells a law may take.", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("cells", () => new TiltedLaw(LabelledMixture.TwoClasses(), 0, 1.0, 1 << 16));
    }
}

using Diffusion.Research.Conditional;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Tests.Conditional;

public class LabelledMixtureTests
{
    [Fact]
    public void EightGaussiansHasOneClassPerModeWithPriorOneEighth()
    {
        var m = LabelledMixture.EightGaussians();
        Assert.Equal(8, m.Classes);
        for (var c = 0; c < 8; c++)
        {
            Assert.Equal(0.125, m.ClassProbability(c), 15);
            Assert.Equal(1, m.ClassConditional(c).Components);
            Assert.Equal(m.Mixture.Mean(c), m.ClassConditional(c).Mean(0));
        }
    }

    [Fact]
    public void ClassConditionalsRebuildTheMixture()
    {
        // p(x) = Σ_c π_c p(x | c) at generic points and kernel (α, σ) = (0.7, 0.4).
        var m = LabelledMixture.TwoClasses();
        var x = Batch.FromRows([[0.3, -0.2], [-1.1, 0.9], [2.0, 1.5]]);
        var marginal = new double[3];
        m.Mixture.NoisedLogDensity(0.7, 0.4, x, marginal);
        var sum = new double[3];
        for (var c = 0; c < m.Classes; c++)
        {
            var conditional = new double[3];
            m.ClassConditional(c).NoisedLogDensity(0.7, 0.4, x, conditional);
            for (var i = 0; i < 3; i++) sum[i] += m.ClassProbability(c) * Math.Exp(conditional[i]);
        }
        for (var i = 0; i < 3; i++) Assert.Equal(Math.Exp(marginal[i]), sum[i], 12);
    }

    [Fact]
    public void BadLabelsAreRejected()
    {
        var mixture = ToyData.EightGaussians();
        Assert.Throws<ArgumentException>(() => new LabelledMixture(mixture, [0, 1, 2]));
        Assert.Throws<ArgumentException>(() => new LabelledMixture(mixture, [0, 1, 2, 3, 4, 5, 6, -1]));
        Assert.Throws<ArgumentException>(() => new LabelledMixture(mixture, [0, 0, 0, 0, 2, 2, 2, 2])); // class 1 empty
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelledMixture.TwoClasses().ClassConditional(2));
    }
}

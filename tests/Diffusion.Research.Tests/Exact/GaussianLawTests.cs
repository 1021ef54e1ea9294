using Diffusion.Research.Exact;

namespace Diffusion.Research.Tests.Exact;

/// <summary>GaussianLaw.Diagonal keeps what it is given and refuses each kind of bad variance on its own.</summary>
public class GaussianLawTests
{
    [Fact]
    public void A_diagonal_law_keeps_its_mean_and_variances()
    {
        var law = GaussianLaw.Diagonal([0.25, -1.5], [0.0, 2.5]);
        Assert.Equal([0.25, -1.5], law.MeanVector());
        Assert.Equal([0.0, 2.5], law.Variances());
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_negative_or_non_finite_variance_is_refused(double v)
    {
        var e = Assert.Throws<ArgumentException>("variances", () => GaussianLaw.Diagonal([0.0, 1.0], [1.0, v]));
        Assert.StartsWith($"A variance is {v}.", e.Message, StringComparison.Ordinal);
    }
}

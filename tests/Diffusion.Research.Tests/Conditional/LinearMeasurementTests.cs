using Diffusion.Research.Conditional;

namespace Diffusion.Research.Tests.Conditional;

/// <summary>The measurement y = A x + s ε (DPS, Chung et al. 2023, eq (1)): shapes at their smallest legal values and
/// non-finite input refused by name.</summary>
public class LinearMeasurementTests
{
    [Fact]
    public void A_scalar_measurement_of_scalar_data_is_accepted()
    {
        var m = new LinearMeasurement([1.7], 1, 1, 0.3, [0.4]);
        Assert.Equal((1, 1), (m.Rows, m.Dimension));
        Assert.Equal(1.7, m[0, 0]);
    }

    [Fact]
    public void A_non_finite_entry_of_A_or_y_is_refused_by_name()
    {
        var a = Assert.Throws<ArgumentException>("matrix", () => new LinearMeasurement([0.7, double.NaN], 1, 2, 0.1, [0.9]));
        Assert.StartsWith("A has a non-finite entry.", a.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("matrix", () => new LinearMeasurement([double.PositiveInfinity, 1.0], 1, 2, 0.1, [0.9]));
        var y = Assert.Throws<ArgumentException>("observation", () => new LinearMeasurement([0.7, 1.0], 1, 2, 0.1, [double.NaN]));
        Assert.StartsWith("y has a non-finite entry.", y.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("dimension", () => new LinearMeasurement([], 1, 0, 0.1, [0.9]));
    }
}

using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of Numerics/: the refused value just across the boundary (type, parameter name,
/// message) and the accepted value at it.</summary>
public class NumericsBatchContractTests
{
    [Fact]
    public void ShapeConstructorRefusesNegativeCountAndNonPositiveDimension()
    {
        var count = Assert.Throws<ArgumentOutOfRangeException>(() => new Batch(-1, 3));
        Assert.Equal("count", count.ParamName);
        var dimension = Assert.Throws<ArgumentOutOfRangeException>(() => new Batch(3, 0));
        Assert.Equal("dimension", dimension.ParamName);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new Batch(3, -2));
        Assert.Equal("dimension", negative.ParamName);

        var empty = new Batch(0, 3);
        Assert.Equal(0, empty.Count);
        var line = new Batch(4, 1);
        Assert.Equal(1, line.Dimension);
        Assert.Equal(4, line.Length);
    }

    [Fact]
    public void ArrayConstructorRefusesNullAndShortArrays()
    {
        var nul = Assert.Throws<ArgumentNullException>(() => new Batch(null!, 2, 3));
        Assert.Equal("data", nul.ParamName);
        var shortArray = Assert.Throws<ArgumentException>(() => new Batch(new double[5], 2, 3));
        Assert.Equal("data", shortArray.ParamName);
        Assert.StartsWith("Array of length 5 is too short for 2 x 3.", shortArray.Message, StringComparison.Ordinal);
        var count = Assert.Throws<ArgumentOutOfRangeException>(() => new Batch(new double[5], -1, 3));
        Assert.Equal("count", count.ParamName);
        var dimension = Assert.Throws<ArgumentOutOfRangeException>(() => new Batch(new double[5], 2, 0));
        Assert.Equal("dimension", dimension.ParamName);

        var exact = new Batch(new double[6], 2, 3);
        Assert.Equal(6, exact.Length);
        var longer = new Batch(new double[7], 2, 3);
        Assert.Equal(6, longer.Values.Length);
    }

    [Fact]
    public void RowRefusesIndicesOutsideTheBatch()
    {
        var b = new Batch(3, 2);
        var below = Assert.Throws<ArgumentOutOfRangeException>(() => b.Row(-1));
        Assert.Equal("i", below.ParamName);
        Assert.StartsWith("Row index outside [0, 3).", below.Message, StringComparison.Ordinal);
        Assert.Equal(-1, below.ActualValue);
        var above = Assert.Throws<ArgumentOutOfRangeException>(() => b.Row(3));
        Assert.Equal("i", above.ParamName);
        Assert.StartsWith("Row index outside [0, 3).", above.Message, StringComparison.Ordinal);
        var indexer = Assert.Throws<ArgumentOutOfRangeException>(() => b[3, 0]);
        Assert.Equal("i", indexer.ParamName);
        var set = Assert.Throws<ArgumentOutOfRangeException>(() => b.Set(3, 0, 0.37));
        Assert.Equal("i", set.ParamName);

        b.Set(2, 1, 0.37);
        Assert.Equal(0.37, b.Row(2)[1]);
        b[0, 0] = 2.5;
        Assert.Equal(2.5, b.Row(0)[0]);
    }

    [Fact]
    public void SliceRefusesRowsOutsideTheBatch()
    {
        var b = new Batch(3, 2);
        var start = Assert.Throws<ArgumentOutOfRangeException>(() => b.Slice(-1, 2));
        Assert.Equal("start", start.ParamName);
        Assert.StartsWith("Rows [-1, 1) are outside [0, 3).", start.Message, StringComparison.Ordinal);
        var count = Assert.Throws<ArgumentOutOfRangeException>(() => b.Slice(1, -1));
        Assert.Equal("start", count.ParamName);
        Assert.StartsWith("Rows [1, 0) are outside [0, 3).", count.Message, StringComparison.Ordinal);
        var end = Assert.Throws<ArgumentOutOfRangeException>(() => b.Slice(2, 2));
        Assert.Equal("start", end.ParamName);
        Assert.StartsWith("Rows [2, 4) are outside [0, 3).", end.Message, StringComparison.Ordinal);

        Assert.Equal(1, b.Slice(2, 1).Count);
        Assert.Equal(3, b.Slice(0, 3).Count);
        Assert.Equal(0, b.Slice(3, 0).Count);
    }

    [Fact]
    public void RequireShapeNamesTheArgumentAndComparesBothSides()
    {
        var b = new Batch(3, 2);
        Assert.True(b.HasShapeOf(new Batch(3, 2)));
        Assert.False(b.HasShapeOf(new Batch(2, 2)));
        Assert.False(b.HasShapeOf(new Batch(3, 1)));

        var rows = Assert.Throws<ArgumentException>(() => b.RequireShape(new Batch(2, 2), "other"));
        Assert.Equal("other", rows.ParamName);
        Assert.StartsWith("Batch 'other' is 2 x 2, expected 3 x 2.", rows.Message, StringComparison.Ordinal);
        var columns = Assert.Throws<ArgumentException>(() => b.CopyTo(new Batch(3, 1)));
        Assert.Equal("destination", columns.ParamName);
        Assert.StartsWith("Batch 'destination' is 3 x 1, expected 3 x 2.", columns.Message, StringComparison.Ordinal);
        var y = Assert.Throws<ArgumentException>(() => b.AddScaled(0.37, new Batch(4, 2)));
        Assert.Equal("y", y.ParamName);
        Assert.StartsWith("Batch 'y' is 4 x 2, expected 3 x 2.", y.Message, StringComparison.Ordinal);

        b.RequireShape(new Batch(3, 2), "other");
        var source = Batch.FromRows([[0.37, 2.5], [1.5, -0.25], [3.0, 4.0]]);
        source.CopyTo(b);
        b.AddScaled(2.0, source);
        Assert.Equal(3 * 0.37, b[0, 0], 12);
    }

    [Fact]
    public void FromRowsRefusesNullEmptyAndRaggedRows()
    {
        var nul = Assert.Throws<ArgumentNullException>(() => Batch.FromRows(null!));
        Assert.Equal("rows", nul.ParamName);
        var empty = Assert.Throws<ArgumentException>(() => Batch.FromRows([]));
        Assert.Equal("rows", empty.ParamName);
        Assert.StartsWith("At least one row is needed to know the dimension.", empty.Message, StringComparison.Ordinal);
        var ragged = Assert.Throws<ArgumentException>(() => Batch.FromRows([[0.37, 2.5, 1.0], [0.37, 2.5]]));
        Assert.Equal("rows", ragged.ParamName);
        Assert.StartsWith("Row 1 has 2 entries, row 0 has 3.", ragged.Message, StringComparison.Ordinal);

        var one = Batch.FromRows([[0.37, 2.5]]);
        Assert.Equal(1, one.Count);
        Assert.Equal(2.5, one[0, 1]);
    }
}

public class NumericsNoiseSourceContractTests
{
    private static readonly NoiseSource Noise = new(37);

    [Fact]
    public void FillGaussianSpanRefusesANegativeParticle()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Noise.FillGaussian(2, -1, new double[3].AsSpan()));
        Assert.Equal("particle", e.ParamName);
        var values = new double[3];
        Noise.FillGaussian(2, 0, values.AsSpan());
        Assert.NotEqual(0.0, values[0]);
    }

    [Fact]
    public void FillGaussianBatchRefusesANegativeFirstParticle()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Noise.FillGaussian(2, -1, new Batch(2, 3)));
        Assert.Equal("firstParticle", e.ParamName);
        var b = new Batch(2, 3);
        Noise.FillGaussian(2, 0, b);
        Assert.NotEqual(0.0, b[1, 2]);
    }

    [Fact]
    public void GaussianRefusesANegativeParticleOrDraw()
    {
        var particle = Assert.Throws<ArgumentOutOfRangeException>(() => Noise.Gaussian(2, -1, 0));
        Assert.Equal("particle", particle.ParamName);
        var draw = Assert.Throws<ArgumentOutOfRangeException>(() => Noise.Gaussian(2, 0, -1));
        Assert.Equal("draw", draw.ParamName);
        Assert.True(double.IsFinite(Noise.Gaussian(2, 0, 0)));
        Assert.NotEqual(0.0, Noise.Gaussian(2, 0, 0));
    }
}

public class NumericsBrownianPathContractTests
{
    private static readonly NoiseSource Noise = new(37);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void StartTimeMustBeFinite(double t0)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianPath(Noise, 1, t0, 2.5, 2));
        Assert.Equal("t0", e.ParamName);
        Assert.StartsWith("t0 must be finite.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(0.37)]
    [InlineData(0.25)]
    public void EndTimeMustBeFiniteAndAfterTheStart(double t1)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianPath(Noise, 1, 0.37, t1, 2));
        Assert.Equal("t1", e.ParamName);
        Assert.StartsWith($"t1 must be finite and greater than t0 = {0.37}.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DimensionAndDepthHaveTheirRanges()
    {
        var dimension = Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianPath(Noise, 1, 0.37, 2.5, 0));
        Assert.Equal("dimension", dimension.ParamName);
        var low = Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianPath(Noise, 1, 0.37, 2.5, 2, 0));
        Assert.Equal("depth", low.ParamName);
        Assert.StartsWith("depth must be in [1, 30].", low.Message, StringComparison.Ordinal);
        var high = Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianPath(Noise, 1, 0.37, 2.5, 2, 31));
        Assert.Equal("depth", high.ParamName);
        Assert.StartsWith("depth must be in [1, 30].", high.Message, StringComparison.Ordinal);

        var shallow = new BrownianPath(Noise, 1, 0.37, Math.BitIncrement(0.37), 1, 1);
        Assert.Equal(1, shallow.Depth);
        Assert.Equal(1, shallow.Dimension);
        var deep = new BrownianPath(Noise, 1, 0.37, 2.5, 2, 30);
        Assert.Equal(30, deep.Depth);
        var w = new Batch(2, 2);
        deep.Value(1.5, 0, w);
        Assert.True(w.IsFinite());
    }

    [Fact]
    public void QueryTimesMustLieOnTheIntervalUpToTheSlack()
    {
        var path = new BrownianPath(Noise, 1, 0.37, 2.5, 2, 8);
        var slack = 1e-12 * (2.5 - 0.37);
        var message = $"Time outside the path's interval [{0.37}, {2.5}].";
        var w = new Batch(2, 2);

        var before = Assert.Throws<ArgumentOutOfRangeException>(() => path.Value(0.37 - 1e-9, 0, w));
        Assert.Equal("t", before.ParamName);
        Assert.StartsWith(message, before.Message, StringComparison.Ordinal);
        var after = Assert.Throws<ArgumentOutOfRangeException>(() => path.Value(2.5 + 1e-9, 0, w));
        Assert.Equal("t", after.ParamName);
        Assert.StartsWith(message, after.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => path.Value(double.NaN, 0, w));
        Assert.Equal("t", nan.ParamName);
        var s = Assert.Throws<ArgumentOutOfRangeException>(() => path.Increment(0.37 - 1e-9, 1.5, 0, w));
        Assert.Equal("s", s.ParamName);
        Assert.StartsWith(message, s.Message, StringComparison.Ordinal);
        var t = Assert.Throws<ArgumentOutOfRangeException>(() => path.Increment(1.5, 2.5 + 1e-9, 0, w));
        Assert.Equal("t", t.ParamName);
        Assert.StartsWith(message, t.Message, StringComparison.Ordinal);

        path.Value(0.37 - slack, 0, w);
        Assert.Equal(0.0, w[1, 1]);
        path.Value(2.5 + slack, 0, w);
        Assert.NotEqual(0.0, w[1, 1]);
        path.Increment(0.37 - slack, 2.5 + slack, 0, w);
        Assert.True(w.IsFinite());
    }

    [Fact]
    public void DestinationMustMatchAndParticlesBeNonNegative()
    {
        var path = new BrownianPath(Noise, 1, 0.37, 2.5, 2, 8);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => path.Value(1.5, -1, new Batch(2, 2)));
        Assert.Equal("firstParticle", negative.ParamName);
        var negativeIncrement = Assert.Throws<ArgumentOutOfRangeException>(() => path.Increment(0.5, 1.5, -1, new Batch(2, 2)));
        Assert.Equal("firstParticle", negativeIncrement.ParamName);
        var wrong = Assert.Throws<ArgumentException>(() => path.Value(1.5, 0, new Batch(2, 3)));
        Assert.Equal("destination", wrong.ParamName);
        Assert.StartsWith("Destination has dimension 3, the path has 2.", wrong.Message, StringComparison.Ordinal);
        var wrongIncrement = Assert.Throws<ArgumentException>(() => path.Increment(0.5, 1.5, 0, new Batch(2, 1)));
        Assert.Equal("destination", wrongIncrement.ParamName);
        Assert.StartsWith("Destination has dimension 1, the path has 2.", wrongIncrement.Message, StringComparison.Ordinal);

        var w = new Batch(2, 2);
        path.Increment(0.5, 1.5, 0, w);
        Assert.NotEqual(0.0, w[0, 0]);
    }
}

/// <summary>The argument bugs the contract tests found, fixed: overflow of count x dimension and of a slice's end, a null
/// row, NaN times and negative particle indices of the uniform draws.</summary>
public class NumericsOverflowContractTests
{
    [Fact]
    public void Batch_sizes_that_overflow_are_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>("count", () => new Batch(65536, 65537));
        Assert.StartsWith($"65536 x 65537 values exceed the largest array ({Array.MaxLength}).", e.Message, StringComparison.Ordinal);
        var b = new Batch(3, 2);
        var s = Assert.Throws<ArgumentOutOfRangeException>("start", () => b.Slice(1, int.MaxValue));
        Assert.StartsWith($"Rows [1, {1L + int.MaxValue}) are outside [0, 3).", s.Message, StringComparison.Ordinal);
        Assert.Equal(2, b.Slice(1, 2).Count);
        Assert.StartsWith("Row 1 is null.", Assert.Throws<ArgumentException>("rows", () => Batch.FromRows([[0.37], null!])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaN_times_are_named_not_an_arithmetic_error()
    {
        Assert.StartsWith("Time 1 is NaN.", Assert.Throws<ArgumentException>("times", () => new TimeGrid([0.37, double.NaN])).Message, StringComparison.Ordinal);
        Assert.StartsWith("Time 0 is NaN.", Assert.Throws<ArgumentException>("times", () => new TimeGrid([double.NaN, 0.37, 0.2])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uniform_draws_refuse_negative_indices_as_the_Gaussian_ones()
    {
        var noise = new NoiseSource(3);
        Assert.Throws<ArgumentOutOfRangeException>("particle", () => noise.Uniform(0, -1, 0));
        Assert.Throws<ArgumentOutOfRangeException>("draw", () => noise.Uniform(0, 0, -1));
        Assert.Throws<ArgumentOutOfRangeException>("particle", () => noise.FillUniform(0, -1, new double[2]));
        Assert.InRange(noise.Uniform(0, 0, 0), 0.0, 1.0);
    }
}

using Diffusion.Research.Numerics;

namespace Diffusion.Research.Tests.Numerics;

/// <summary>Batch.Slice refuses every row range outside [0, Count), whichever end is out.</summary>
public class BatchSliceTests
{
    [Theory]
    [InlineData(-1, 1)]
    [InlineData(-1, 0)]
    [InlineData(2, -1)]
    [InlineData(0, -1)]
    [InlineData(3, 3)]
    [InlineData(5, 1)]
    public void A_range_outside_the_batch_is_refused(int start, int count)
    {
        var x = new Batch(5, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(start, count));
    }

    [Fact]
    public void A_slice_shares_the_rows_it_names()
    {
        var x = new Batch(5, 2);
        for (var i = 0; i < x.Length; i++) x.Values[i] = i;
        var s = x.Slice(2, 3);
        Assert.Equal(new[] { 4.0, 5, 6, 7, 8, 9 }, s.ToArray());
        s[0, 1] = -1;
        Assert.Equal(-1, x[2, 1]);
        Assert.Equal(0, x.Slice(5, 0).Count);
    }
}

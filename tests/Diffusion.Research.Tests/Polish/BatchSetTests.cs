using Diffusion.Research.Numerics;

namespace Diffusion.Research.Tests.Polish;

public class BatchSetTests
{
    [Fact]
    public void SetWritesThroughTheViewLikeTheIndexer()
    {
        var b = new Batch(4, 3);
        var view = b.Slice(1, 2);
        view.Set(1, 2, 2.5); // row 2 of b
        Assert.Equal(2.5, b[2, 2]);
        b.Set(0, 0, -1.0);
        Assert.Equal(-1.0, b.Values[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Set(4, 0, 1.0));
        Assert.Throws<IndexOutOfRangeException>(() => b.Set(0, 3, 1.0));
    }
}

using Diffusion.Research.Numerics;

namespace Diffusion.Research.Tests.Numerics;

public class NoiseSourceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(17)]
    public void BatchSpanAndSingleDrawsAgreeBitForBit(int dimension)
    {
        var noise = new NoiseSource(42).Derive(7);
        const int n = 1037; // not a multiple of the 8 vector lanes
        var batch = new Batch(n, dimension);
        noise.FillGaussian(3, 1000, batch);
        var shifted = new Batch(n - 5, dimension);
        noise.FillGaussian(3, 1005, shifted);
        var row = new double[dimension];
        for (var i = 0; i < n; i++)
        {
            noise.FillGaussian(3, 1000 + i, row);
            Assert.Equal(row, batch.Row(i).ToArray());
            if (i >= 5) Assert.Equal(row, shifted.Row(i - 5).ToArray());
            for (var d = 0; d < dimension; d++)
                Assert.Equal(row[d], noise.Gaussian(3, 1000 + i, d));
        }
    }

    [Fact]
    public void VectorPathIsPhiloxFollowedByBoxMuller()
    {
        // Reference: the scalar Philox4x32-10 (checked against Random123 in PhiloxTests) and Box–Muller
        // in scalar Math; the vector transcendental functions may differ in the last bits only.
        var noise = new NoiseSource(0x1234_5678_9ABC_DEF0UL);
        Span<uint> o = stackalloc uint[4];
        for (long particle = 0; particle < 3000; particle++)
        {
            for (var block = 0; block < 3; block++)
            {
                Philox4x32.Generate(noise.Seed, (uint)block, (uint)particle, (uint)(particle >> 32), 9u, o);
                var u1 = 1.0 - ((((ulong)o[0] << 32) | o[1]) >> 11) * (1.0 / (1UL << 53));
                var u2 = ((((ulong)o[2] << 32) | o[3]) >> 11) * (1.0 / (1UL << 53));
                var r = Math.Sqrt(-2.0 * Math.Log(u1));
                Assert.Equal(r * Math.Cos(2 * Math.PI * u2), noise.Gaussian(9, particle, 2 * block), 1e-13);
                Assert.Equal(r * Math.Sin(2 * Math.PI * u2), noise.Gaussian(9, particle, 2 * block + 1), 1e-13);
            }
        }
    }

    [Fact]
    public void GaussianDrawsHaveUnitMomentsAndStreamsDiffer()
    {
        // n = 200,000 draws: the standard error of the mean is 1/sqrt(n) = 0.0022 and of the
        // variance sqrt(2/n) = 0.0032; 5 standard errors bound a false alarm below 1e-6.
        const int n = 100_000;
        var a = new Batch(n, 2);
        var b = new Batch(n, 2);
        var noise = new NoiseSource(5);
        noise.FillGaussian(0, 0, a);
        noise.FillGaussian(1, 0, b);
        double mean = 0, square = 0, cross = 0;
        var av = a.Values;
        var bv = b.Values;
        for (var i = 0; i < av.Length; i++) { mean += av[i]; square += av[i] * av[i]; cross += av[i] * bv[i]; }
        var m = av.Length;
        Assert.InRange(mean / m, -5 / Math.Sqrt(m), 5 / Math.Sqrt(m));
        Assert.InRange(square / m - 1, -5 * Math.Sqrt(2.0 / m), 5 * Math.Sqrt(2.0 / m));
        Assert.InRange(cross / m, -5 / Math.Sqrt(m), 5 / Math.Sqrt(m));
    }
}

public class BatchTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void IsFiniteFindsANonFiniteValueAnywhere(double bad)
    {
        for (var at = 0; at < 21; at++)
        {
            var b = new Batch(7, 3);
            Assert.True(b.IsFinite());
            b.Values[at] = bad;
            Assert.False(b.IsFinite());
            Assert.False(b.Slice(at / 3, 1).IsFinite());
        }
    }
}

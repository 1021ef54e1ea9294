using Diffusion.Research.Numerics;
using ILGPU;
using ILGPU.Runtime;

namespace Diffusion.Research.Gpu.Tests;

/// <summary>The device Philox against NoiseSource, on ILGPU's CPU accelerator (the same kernel code CUDA runs).</summary>
public sealed class DeviceNoiseTests(EmulatedDevice fixture) : IClassFixture<EmulatedDevice>
{
    private const ulong Seed = 0x1234_5678_9ABC_DEF1;
    private const uint Stream = 37;

    // Particles across the 32-bit boundary (the counter splits the particle index into two words) and blocks up to 9.
    private static (long[] Particles, int[] Blocks) Counters()
    {
        var particles = new List<long>();
        var blocks = new List<int>();
        foreach (var p in new long[] { 0, 1, 2, 999, 4_294_967_295L, 4_294_967_296L, 123_456_789_012L })
            for (var b = 0; b < 10; b++) { particles.Add(p); blocks.Add(b); }
        return (particles.ToArray(), blocks.ToArray());
    }

    private double[] Run(Action<Index1D, ArrayView<long>, ArrayView<int>, ArrayView<double>, ulong, uint> body, long[] particles, int[] blocks)
    {
        var accelerator = fixture.Device.Accelerator;
        var kernel = accelerator.LoadAutoGroupedStreamKernel(body);
        using var p = accelerator.Allocate1D(particles);
        using var b = accelerator.Allocate1D(blocks);
        using var o = accelerator.Allocate1D<double>(2 * particles.Length);
        kernel(particles.Length, p.View, b.View, o.View, Seed, Stream);
        accelerator.Synchronize();
        return o.GetAsArray1D();
    }

    [Fact]
    public void UniformDrawsAreBitIdenticalToTheCpu()
    {
        var (particles, blocks) = Counters();
        var device = Run(NoiseKernels.Uniforms, particles, blocks);
        var noise = new NoiseSource(Seed);
        for (var i = 0; i < particles.Length; i++)
            for (var k = 0; k < 2; k++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(noise.Uniform(Stream, particles[i], 2 * blocks[i] + k)), BitConverter.DoubleToInt64Bits(device[2 * i + k]));
    }

    [Fact]
    public void GaussianDrawsAgreeWithTheCpuToAFewUlp()
    {
        var (particles, blocks) = Counters();
        var device = Run(NoiseKernels.Gaussians, particles, blocks);
        var noise = new NoiseSource(Seed);
        var maxUlps = 0.0;
        for (var i = 0; i < particles.Length; i++)
            for (var k = 0; k < 2; k++)
            {
                var cpu = noise.Gaussian(Stream, particles[i], 2 * blocks[i] + k);
                // Both are r·cos or r·sin with r = √(−2 ln u1): measure the error in units of the last place of r, the
                // scale of the pair (a z near 0 carries an absolute error of order ulp(r), not ulp(z)).
                var r = Math.Sqrt(cpu * cpu + Math.Pow(noise.Gaussian(Stream, particles[i], 2 * blocks[i] + 1 - k), 2));
                maxUlps = Math.Max(maxUlps, Math.Abs(device[2 * i + k] - cpu) / (Math.BitIncrement(r) - r));
            }
        // Log, sin and cos are independent implementations of about 1 ulp each (device: no fused multiply-add).
        Assert.True(maxUlps <= 4, $"largest Gaussian difference {maxUlps} ulp of r");
    }

    [Fact]
    public void ExpAndLogAreWithinTwoUlpOfSystemMath()
    {
        var noise = new NoiseSource(5);
        var worstExp = 0.0;
        var worstLog = 0.0;
        for (var i = 0; i < 20_000; i++)
        {
            var u = noise.Uniform(0, i, 0);
            var x = -740 + 1448 * u; // covers subnormal results and up to near overflow
            var e = Math.Exp(x);
            if (e > 0 && double.IsFinite(e) && e >= 2.2250738585072014e-308)
                worstExp = Math.Max(worstExp, Math.Abs(DeviceMath.Exp(x, MathConstants.Taylor) - e) / (Math.BitIncrement(e) - e));
            var y = Math.Exp(-700 + 1400 * noise.Uniform(1, i, 0));
            var l = Math.Log(y);
            worstLog = Math.Max(worstLog, Math.Abs(DeviceMath.Log(y, MathConstants.Taylor) - l) / (Math.BitIncrement(Math.Abs(l)) - Math.Abs(l)));
        }
        Assert.True(worstExp <= 2, $"exp: {worstExp} ulp");
        Assert.True(worstLog <= 2, $"log: {worstLog} ulp");
        Assert.Equal(0.0, DeviceMath.Log(1.0, MathConstants.Taylor));
        Assert.Equal(1.0, DeviceMath.Exp(0.0, MathConstants.Taylor));
        Assert.Equal(double.NegativeInfinity, DeviceMath.Log(0.0, MathConstants.Taylor));
        Assert.True(double.IsNaN(DeviceMath.Log(-1.0, MathConstants.Taylor)));
        Assert.Equal(0.0, DeviceMath.Exp(-800, MathConstants.Taylor));
        Assert.Equal(double.PositiveInfinity, DeviceMath.Exp(800, MathConstants.Taylor));
        // The ends of the range test: the smallest subnormal result and the largest finite one.
        Assert.Equal(Math.Exp(-745.1), DeviceMath.Exp(-745.1, MathConstants.Taylor));
        Assert.Equal(0.0, DeviceMath.Exp(-745.3, MathConstants.Taylor));
        Assert.Equal(Math.Exp(709.78), DeviceMath.Exp(709.78, MathConstants.Taylor), Math.Exp(709.78) * 4e-16);
        Assert.Equal(double.PositiveInfinity, DeviceMath.Exp(709.79, MathConstants.Taylor));
    }

    /// <summary>Box–Muller's log (<see cref="DeviceMath.LogNormal"/>, without the special-argument tests) is
    /// <see cref="DeviceMath.Log"/> bit for bit on positive normal arguments: the whole range 2^-53 … 1 that 1 − U takes, (1, 2],
    /// and the ends of the normal range; and <see cref="DeviceMath.Log"/> of a subnormal argument (scaled by 2^54
    /// first) is within an ulp of System.Math.</summary>
    [Fact]
    public void Log_of_a_normal_argument_is_log_bit_for_bit()
    {
        var c = MathConstants.Taylor;
        var noise = new NoiseSource(13);
        var arguments = new List<double>
        {
            Math.Pow(2, -53), 1.0 - Math.Pow(2, -53), 1.0, Math.BitDecrement(Math.Sqrt(2)), Math.Sqrt(2), Math.BitIncrement(Math.Sqrt(2)),
            2.0, 2.2250738585072014e-308, double.MaxValue, 0.3, 1.7,
        };
        for (var i = 0; i < 50_000; i++) arguments.Add(1.0 - noise.Uniform(0, i, 0));                   // Box–Muller's 1 − U
        for (var i = 0; i < 20_000; i++) arguments.Add(1.0 + noise.Uniform(1, i, 0));                   // (1, 2]
        for (var i = 0; i < 20_000; i++) arguments.Add(Math.Pow(2, -1022 + 2045 * noise.Uniform(2, i, 0))); // every binade
        foreach (var x in arguments)
            Assert.True(BitConverter.DoubleToInt64Bits(DeviceMath.Log(x, c)) == BitConverter.DoubleToInt64Bits(DeviceMath.LogNormal(x, c)),
                $"log({x:R}): {DeviceMath.Log(x, c):R} against {DeviceMath.LogNormal(x, c):R}");
        foreach (var x in new[] { double.Epsilon, 3e-320, 1e-310, Math.BitDecrement(2.2250738585072014e-308) })
        {
            var l = Math.Log(x);
            Assert.True(Math.Abs(DeviceMath.Log(x, c) - l) <= Math.BitIncrement(Math.Abs(l)) - Math.Abs(l), $"log({x:R}) = {DeviceMath.Log(x, c):R}, System.Math {l:R}");
        }
    }

    /// <summary>The softmax's exp (<see cref="DeviceMath.ExpNonPositive"/>, which drops the two tests only a positive argument
    /// needs) is <see cref="DeviceMath.Exp"/> bit for bit on its whole domain x ≤ 0: the normal and the subnormal results,
    /// the ends of the range, −∞, NaN and both zeros.</summary>
    [Fact]
    public void Exp_of_a_non_positive_argument_is_exp_bit_for_bit()
    {
        var c = MathConstants.Taylor;
        var noise = new NoiseSource(11);
        var arguments = new List<double>
        {
            0.0, -0.0, -double.Epsilon, -1e-300, -1e-17, -0.5 * Math.Log(2), -Math.Log(2), -1.0, -708.39, -708.4, -709.1,
            -744.4, -745.1, c.ExpLower, Math.BitIncrement(c.ExpLower), Math.BitDecrement(c.ExpLower), -745.3, -800.0,
            double.MinValue, double.NegativeInfinity, double.NaN,
        };
        for (var i = 0; i < 100_000; i++) arguments.Add(-760 * noise.Uniform(0, i, 0));           // normal and subnormal results
        for (var i = 0; i < 20_000; i++) arguments.Add(-745.2 + 37.0 * noise.Uniform(1, i, 0));   // the subnormal results
        for (var i = 0; i < 20_000; i++) arguments.Add(-Math.Pow(2, -60 * noise.Uniform(2, i, 0))); // near 0
        foreach (var x in arguments)
            Assert.True(BitConverter.DoubleToInt64Bits(DeviceMath.Exp(x, c)) == BitConverter.DoubleToInt64Bits(DeviceMath.ExpNonPositive(x, c)),
                $"exp({x:R}): {DeviceMath.Exp(x, c):R} against {DeviceMath.ExpNonPositive(x, c):R}");
    }

    /// <summary>Each constant of <see cref="MathConstants"/> against its definition, computed here independently (factorials by
    /// products, exact below 2^53, so 1/n! is the correctly rounded value as the literals were): a coefficient typo too
    /// small to move exp, log or sin/cos by an ulp fails here.</summary>
    [Fact]
    public void Math_constants_are_their_definitions()
    {
        var c = MathConstants.Taylor;
        static double Factorial(int n) { var f = 1.0; for (var i = 2; i <= n; i++) f *= i; return f; }
        Assert.Equal(Enumerable.Range(3, 15).Select(n => 1 / Factorial(n)).ToArray(),
            new[] { c.F3, c.F4, c.F5, c.F6, c.F7, c.F8, c.F9, c.F10, c.F11, c.F12, c.F13, c.F14, c.F15, c.F16, c.F17 });
        Assert.Equal(Enumerable.Range(1, 11).Select(n => 2.0 / (2 * n + 1)).ToArray(),
            new[] { c.L3, c.L5, c.L7, c.L9, c.L11, c.L13, c.L15, c.L17, c.L19, c.L21, c.L23 });
        Assert.Equal(Math.PI / 2, c.HalfPi);
        Assert.Equal(Math.Sqrt(2), c.Sqrt2);
        Assert.True(Math.Abs(c.Log2E * Math.Log(2) - 1) <= 2.3e-16, "1/ln 2");
        // Cody–Waite: Ln2Hi + Ln2Lo = ln 2 to double precision, and Ln2Hi has its low 21 bits zero, so k·Ln2Hi is exact for |k| < 2^11.
        Assert.Equal(Math.Log(2), c.Ln2Hi + c.Ln2Lo);
        Assert.Equal(0, BitConverter.DoubleToInt64Bits(c.Ln2Hi) & 0x1F_FFFF);
        // The range test's ends: e^x rounds to 0 below ExpLower and overflows above ExpUpper.
        Assert.Equal(0.0, Math.Exp(c.ExpLower));
        Assert.True(Math.Exp(c.ExpLower + 0.1) > 0);
        Assert.True(double.IsFinite(Math.Exp(c.ExpUpper)));
        Assert.Equal(double.PositiveInfinity, Math.Exp(Math.BitIncrement(c.ExpUpper)));
    }
}

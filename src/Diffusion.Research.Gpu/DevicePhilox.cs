using Diffusion.Research.Numerics;
using ILGPU;

namespace Diffusion.Research.Gpu;

/// <summary>
/// Philox4x32-10 (Salmon et al., SC 2011) and the draws of <see cref="Numerics.NoiseSource"/> written for kernels: the
/// counter of draw j of (seed, stream, particle) is (j/2, particle low 32 bits, particle high 32 bits, stream), the key
/// the seed, exactly as on the CPU. Uniforms are bit-identical to the CPU; Gaussians use the same Box–Muller
/// (u1 = 1 − U in (0, 1], r = √(−2 ln u1), angle 2π U') with <see cref="DeviceMath"/>'s log and sin/cos, so they agree
/// to a few ulp.
/// </summary>
internal static class DevicePhilox
{
    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85; // Weyl key increments
    private const double InvTwo53 = 1.0 / (1UL << 53);

    /// <summary>The four 32-bit outputs of Philox4x32-10 for (key, counter).</summary>
    public static void Generate(ulong key, uint c0, uint c1, uint c2, uint c3, out uint o0, out uint o1, out uint o2, out uint o3)
    {
        var k0 = (uint)key;
        var k1 = (uint)(key >> 32);
        // The ten rounds written out: ILGPU does not unroll the loop, and its counter and branch cost as much as a round.
        Philox4x32.Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        k0 += W0; k1 += W1; Philox4x32.Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        k0 += W0; k1 += W1; Philox4x32.Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        k0 += W0; k1 += W1; Philox4x32.Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        k0 += W0; k1 += W1; Philox4x32.Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        k0 += W0; k1 += W1; Philox4x32.Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        k0 += W0; k1 += W1; Philox4x32.Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        k0 += W0; k1 += W1; Philox4x32.Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        k0 += W0; k1 += W1; Philox4x32.Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        k0 += W0; k1 += W1; Philox4x32.Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        o0 = c0; o1 = c1; o2 = c2; o3 = c3;
    }

    /// <summary>53-bit uniform on [0, 1) from two words, as NoiseSource.ToUnit.</summary>
    public static double ToUnit(uint hi, uint lo) => ((((ulong)hi << 32) | lo) >> 11) * InvTwo53;

    /// <summary>Uniform draws 2·block and 2·block + 1 of a particle.</summary>
    public static void UniformPair(ulong seed, uint stream, long particle, int block, out double u0, out double u1)
    {
        Generate(seed, (uint)block, (uint)particle, (uint)((ulong)particle >> 32), stream, out var a, out var b, out var c, out var d);
        u0 = ToUnit(a, b);
        u1 = ToUnit(c, d);
    }

    /// <summary>Standard normal draws 2·block and 2·block + 1 of a particle (Box–Muller, as NoiseSource.GaussianLanes), with
    /// the log and sin/cos constants from <paramref name="constants"/>.</summary>
    public static void GaussianPair(ulong seed, uint stream, long particle, int block, MathConstants constants, out double z0, out double z1)
    {
        Generate(seed, (uint)block, (uint)particle, (uint)((ulong)particle >> 32), stream, out var a, out var b, out var c, out var d);
        var u1 = 1.0 - ToUnit(a, b);
        var u2 = ToUnit(c, d);
        var r = Math.Sqrt(-2.0 * DeviceMath.LogNormal(u1, constants)); // u1 in [2^-53, 1]
        DeviceMath.TurnSinCos(u2, constants, out var sin, out var cos);
        z0 = r * cos;
        z1 = r * sin;
    }

    /// <summary>Floating-point operations of one <see cref="GaussianPair"/> (Box–Muller; Philox is integer work): two
    /// int-to-double scalings (2), 1 − U (1), the log, −2·ln (1), √ (1), the turn sin/cos (43: 4u, +½, the tie test, (w − q)·π/2
    /// (2), φ² (1), sin Horner 8×2 + 3, cos Horner 9×2) and r·cos, r·sin (2).</summary>
    public const int GaussianPairFlops = DeviceMath.LogFlops + 50;
}

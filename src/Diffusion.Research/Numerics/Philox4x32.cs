using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Diffusion.Research.Numerics;

/// <summary>
/// Philox4x32-10, the counter-based generator of Salmon et al., "Parallel random numbers: as easy as
/// 1, 2, 3" (SC 2011). A pure function of a 64-bit key and a 128-bit counter: no state, so any draw
/// can be computed by any thread in any order, which is what makes samples independent of batch size,
/// chunking and thread count.
/// </summary>
public static class Philox4x32
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57; // round multipliers (Salmon et al., Table 2)
    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85; // Weyl key increments

    /// <summary>The four 32-bit outputs for (key, counter), written to <paramref name="output"/>.
    /// Key word k0 is the low 32 bits of <paramref name="key"/>, k1 the high 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Generate(ulong key, uint c0, uint c1, uint c2, uint c3, Span<uint> output)
    {
        var k0 = (uint)key;
        var k1 = (uint)(key >> 32);
        for (var round = 0; round < 10; round++)
        {
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
            k0 += W0; k1 += W1;
        }
        output[0] = c0; output[1] = c1; output[2] = c2; output[3] = c3;
    }

    /// <summary>One Philox4x32 round with round key (k0, k1) (Salmon et al. 2011, §3.3): the two 32 × 32 → 64-bit products
    /// of the multipliers with c0 and c2, their halves crossed and keyed. Written without vectors or spans, so that the
    /// device kernels (ILGPU, Diffusion.Research.Gpu) run this same code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Round(ref uint c0, ref uint c1, ref uint c2, ref uint c3, uint k0, uint k1)
    {
        var p0 = (ulong)M0 * c0;
        var p1 = (ulong)M1 * c2;
        var n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
        var n1 = (uint)p1;
        var n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
        var n3 = (uint)p0;
        c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    }

    /// <summary>Eight independent Philox4x32-10 evaluations, one per lane; each lane holds a 32-bit
    /// counter word in the low half of a 64-bit lane. Same outputs as the scalar overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Generate(ulong key, Vector512<ulong> c0, Vector512<ulong> c1, Vector512<ulong> c2, Vector512<ulong> c3,
        out Vector512<ulong> o0, out Vector512<ulong> o1, out Vector512<ulong> o2, out Vector512<ulong> o3)
    {
        var mask = Vector512.Create(0xFFFF_FFFFUL);
        var m0 = Vector512.Create((ulong)M0);
        var m1 = Vector512.Create((ulong)M1);
        var k0 = (uint)key;
        var k1 = (uint)(key >> 32);
        for (var round = 0; round < 10; round++)
        {
            var p0 = m0 * c0; // exact: both factors < 2^32
            var p1 = m1 * c2;
            var n0 = (p1 >> 32) ^ c1 ^ Vector512.Create((ulong)k0);
            var n1 = p1 & mask;
            var n2 = (p0 >> 32) ^ c3 ^ Vector512.Create((ulong)k1);
            var n3 = p0 & mask;
            c0 = n0; c1 = n1; c2 = n2; c3 = n3;
            k0 += W0; k1 += W1;
        }
        o0 = c0; o1 = c1; o2 = c2; o3 = c3;
    }
}

using System.Runtime.CompilerServices;

namespace Diffusion.Research.Numerics;

/// <summary>
/// Reproducible randomness keyed by (seed, stream, particle, draw). Every draw is a pure function of
/// those four numbers (Philox4x32-10), so particle <c>i</c> sees the same noise whether it is solved
/// alone, in a batch of a million, in any chunk, on any thread. A <em>stream</em> separates uses
/// within one seed (for example one stream per solver step); <see cref="Derive"/> separates purposes
/// (data, solver, metric projections) by hashing a tag into the key.
/// </summary>
public readonly record struct NoiseSource(ulong Seed)
{
    private const double TwoPi = 2.0 * Math.PI;
    private const double InvTwo53 = 1.0 / (1UL << 53);

    /// <summary>An independent source for another purpose: the key is SplitMix64(seed xor SplitMix64(tag)).</summary>
    public NoiseSource Derive(ulong tag) => new(SplitMix64(Seed ^ SplitMix64(tag + 0x9E3779B97F4A7C15UL)));

    /// <summary>Fills <paramref name="destination"/> with standard normal draws 0, 1, ... of one particle.</summary>
    public void FillGaussian(uint stream, long particle, Span<double> destination)
    {
        Span<uint> block = stackalloc uint[4];
        for (var j = 0; j < destination.Length; j += 2)
        {
            Philox4x32.Generate(Seed, (uint)(j >> 1), (uint)particle, (uint)((ulong)particle >> 32), stream, block);
            BoxMuller(block, out var z0, out var z1);
            destination[j] = z0;
            if (j + 1 < destination.Length) destination[j + 1] = z1;
        }
    }

    /// <summary>Row i of <paramref name="destination"/> gets the draws of particle <c>firstParticle + i</c>.</summary>
    public void FillGaussian(uint stream, long firstParticle, Batch destination)
    {
        for (var i = 0; i < destination.Count; i++)
            FillGaussian(stream, firstParticle + i, destination.Row(i));
    }

    /// <summary>Fills <paramref name="destination"/> with uniform draws on [0, 1) (53-bit resolution) of one particle.</summary>
    public void FillUniform(uint stream, long particle, Span<double> destination)
    {
        Span<uint> block = stackalloc uint[4];
        for (var j = 0; j < destination.Length; j += 2)
        {
            Philox4x32.Generate(Seed, (uint)(j >> 1), (uint)particle, (uint)((ulong)particle >> 32), stream, block);
            destination[j] = ToUnit(block[0], block[1]);
            if (j + 1 < destination.Length) destination[j + 1] = ToUnit(block[2], block[3]);
        }
    }

    /// <summary>Draw number <paramref name="draw"/> of a particle as a standard normal.</summary>
    public double Gaussian(uint stream, long particle, int draw)
    {
        Span<uint> block = stackalloc uint[4];
        Philox4x32.Generate(Seed, (uint)(draw >> 1), (uint)particle, (uint)((ulong)particle >> 32), stream, block);
        BoxMuller(block, out var z0, out var z1);
        return (draw & 1) == 0 ? z0 : z1;
    }

    /// <summary>Draw number <paramref name="draw"/> of a particle as a uniform on [0, 1).</summary>
    public double Uniform(uint stream, long particle, int draw)
    {
        Span<uint> block = stackalloc uint[4];
        Philox4x32.Generate(Seed, (uint)(draw >> 1), (uint)particle, (uint)((ulong)particle >> 32), stream, block);
        return (draw & 1) == 0 ? ToUnit(block[0], block[1]) : ToUnit(block[2], block[3]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ToUnit(uint hi, uint lo) => ((((ulong)hi << 32) | lo) >> 11) * InvTwo53;

    // Box–Muller: u1 in (0, 1] so the logarithm is finite.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BoxMuller(ReadOnlySpan<uint> block, out double z0, out double z1)
    {
        var u1 = 1.0 - ToUnit(block[0], block[1]);
        var u2 = ToUnit(block[2], block[3]);
        var r = Math.Sqrt(-2.0 * Math.Log(u1));
        var (s, c) = Math.SinCos(TwoPi * u2);
        z0 = r * c;
        z1 = r * s;
    }

    /// <summary>SplitMix64 finaliser (Steele, Lea, Flood 2014), used to hash tags into keys.</summary>
    public static ulong SplitMix64(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

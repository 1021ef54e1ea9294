using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Diffusion.Research.Numerics;

/// <summary>
/// Reproducible randomness keyed by (seed, stream, particle, draw). Every draw is a pure function of
/// those four numbers (Philox4x32-10), so particle <c>i</c> sees the same noise whether it is solved
/// alone, in a batch of a million, in any chunk, on any thread. A <em>stream</em> separates uses
/// within one seed (for example one stream per solver step); <see cref="Derive"/> separates purposes
/// (data, solver, metric projections) by hashing a tag into the key.
/// </summary>
public readonly record struct NoiseSource(ulong Seed) : IGaussianIncrements
{
    private const double TwoPi = 2.0 * Math.PI;
    private const double InvTwo53 = 1.0 / (1UL << 53);

    /// <summary>An independent source for another purpose: the key is SplitMix64(seed xor SplitMix64(tag)).</summary>
    public NoiseSource Derive(ulong tag) => new(SplitMix64(Seed ^ SplitMix64(tag + 0x9E3779B97F4A7C15UL)));

    /// <summary>Fills <paramref name="destination"/> with standard normal draws 0, 1, ... of one particle.</summary>
    public void FillGaussian(uint stream, long particle, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(particle);
        var pairs = (destination.Length + 1) / 2;
        Span<double> z0 = stackalloc double[Lanes];
        Span<double> z1 = stackalloc double[Lanes];
        var particles = Vector512.Create((ulong)particle);
        for (var first = 0; first < pairs; first += Lanes)
        {
            var blocks = Vector512.Create((ulong)first) + Iota;
            GaussianLanes(stream, blocks, particles, z0, z1);
            var count = Math.Min(Lanes, pairs - first);
            for (var k = 0; k < count; k++)
            {
                var j = 2 * (first + k);
                destination[j] = z0[k];
                if (j + 1 < destination.Length) destination[j + 1] = z1[k];
            }
        }
    }

    /// <summary>Row i of <paramref name="destination"/> gets the draws of particle <c>firstParticle + i</c>
    /// (the same values <see cref="FillGaussian(uint, long, Span{double})"/> gives for that particle).</summary>
    public void FillGaussian(uint stream, long firstParticle, Batch destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstParticle);
        var dimension = destination.Dimension;
        var pairsPerRow = (dimension + 1) / 2;
        var pairs = (long)destination.Count * pairsPerRow;
        var values = destination.Values;
        Span<double> z0 = stackalloc double[Lanes];
        Span<double> z1 = stackalloc double[Lanes];
        Span<ulong> blockLanes = stackalloc ulong[Lanes];
        Span<ulong> particleLanes = stackalloc ulong[Lanes];
        for (long first = 0; first < pairs; first += Lanes)
        {
            var count = (int)Math.Min(Lanes, pairs - first);
            Vector512<ulong> blocks, particles;
            if (pairsPerRow == 1)
            {
                blocks = Vector512<ulong>.Zero;
                particles = Vector512.Create((ulong)(firstParticle + first)) + Iota;
            }
            else
            {
                for (var k = 0; k < Lanes; k++)
                {
                    var q = first + Math.Min(k, count - 1);
                    blockLanes[k] = (ulong)(q % pairsPerRow);
                    particleLanes[k] = (ulong)(firstParticle + q / pairsPerRow);
                }
                blocks = Vector512.Create<ulong>(blockLanes);
                particles = Vector512.Create<ulong>(particleLanes);
            }
            GaussianLanes(stream, blocks, particles, z0, z1);
            for (var k = 0; k < count; k++)
            {
                var q = first + k;
                var row = q / pairsPerRow;
                var j = (int)(q - row * pairsPerRow) * 2;
                var at = (int)row * dimension + j;
                values[at] = z0[k];
                if (j + 1 < dimension) values[at + 1] = z1[k];
            }
        }
    }

    /// <summary>Fills <paramref name="destination"/> with uniform draws on [0, 1) (53-bit resolution) of one particle.</summary>
    public void FillUniform(uint stream, long particle, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(particle); // as the Gaussian draws
        Span<uint> block = stackalloc uint[4];
        for (var j = 0; j < destination.Length; j += 2)
        {
            Philox4x32.Generate(Seed, (uint)(j >> 1), (uint)particle, (uint)((ulong)particle >> 32), stream, block);
            destination[j] = ToUnit(block[0], block[1]);
            if (j + 1 < destination.Length) destination[j + 1] = ToUnit(block[2], block[3]);
        }
    }

    /// <summary>Draw number <paramref name="draw"/> of a particle as a standard normal (equal to entry
    /// <paramref name="draw"/> of <see cref="FillGaussian(uint, long, Span{double})"/>).</summary>
    public double Gaussian(uint stream, long particle, int draw)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(particle);
        ArgumentOutOfRangeException.ThrowIfNegative(draw);
        Span<double> z0 = stackalloc double[Lanes];
        Span<double> z1 = stackalloc double[Lanes];
        GaussianLanes(stream, Vector512.Create((ulong)(draw >> 1)), Vector512.Create((ulong)particle), z0, z1);
        return (draw & 1) == 0 ? z0[0] : z1[0];
    }

    /// <summary>Draw number <paramref name="draw"/> of a particle as a uniform on [0, 1).</summary>
    public double Uniform(uint stream, long particle, int draw)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(particle);
        ArgumentOutOfRangeException.ThrowIfNegative(draw);
        Span<uint> block = stackalloc uint[4];
        Philox4x32.Generate(Seed, (uint)(draw >> 1), (uint)particle, (uint)((ulong)particle >> 32), stream, block);
        return (draw & 1) == 0 ? ToUnit(block[0], block[1]) : ToUnit(block[2], block[3]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ToUnit(uint hi, uint lo) => ((((ulong)hi << 32) | lo) >> 11) * InvTwo53;

    private const int Lanes = 8;
    private static readonly Vector512<ulong> Iota = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);

    /// <summary>
    /// Eight Gaussian pairs at once: lane k is Philox4x32-10 of (key = seed, counter = (block_k,
    /// particle_k low, particle_k high, stream)) followed by Box–Muller. Every Gaussian of this type goes
    /// through this one vector routine (lanes are independent), so a particle's draws are bit-identical
    /// whichever lane, batch, chunk or thread computes them.
    /// </summary>
    private void GaussianLanes(uint stream, Vector512<ulong> blocks, Vector512<ulong> particles, Span<double> z0, Span<double> z1)
    {
        GaussianLanes(stream, blocks, particles, out var first, out var second);
        first.CopyTo(z0);
        second.CopyTo(z1);
    }

    /// <summary>
    /// Draws 2p and 2p + 1 (block p = <paramref name="blocks"/>) of eight particles in registers: the values
    /// <see cref="FillGaussian(uint, long, Span{double})"/> gives them, for the fused solver paths (issue 9).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void GaussianLanes(uint stream, Vector512<ulong> blocks, Vector512<ulong> particles, out Vector512<double> z0, out Vector512<double> z1)
    {
        var mask = Vector512.Create(0xFFFF_FFFFUL);
        Philox4x32.Generate(Seed, blocks & mask, particles & mask, particles >> 32, Vector512.Create((ulong)stream),
            out var c0, out var c1, out var c2, out var c3);
        // Box–Muller with u1 in (0, 1] so the logarithm is finite.
        var u1 = Vector512<double>.One - ToUnit(c0, c1);
        var u2 = ToUnit(c2, c3);
        var r = Vector512.Sqrt(Vector512.Create(-2.0) * Vector512.Log(u1)); // Vector512.Log is lane-independent (tested)
        TurnSinCos(u2, out var sin, out var cos);
        z0 = r * cos;
        z1 = r * sin;
    }

    /// <summary>Lane k = particle <paramref name="first"/> + k, for <see cref="GaussianLanes(uint, Vector512{ulong}, Vector512{ulong}, out Vector512{double}, out Vector512{double})"/>.</summary>
    internal static Vector512<ulong> ParticleLanes(long first) => Vector512.Create((ulong)first) + Iota;

    /// <summary>
    /// sin and cos of 2 pi u for u in [0, 1), lane-independent: Vector512.SinCos picks its algorithm
    /// per vector (a lane's result depends on its neighbours), which would break bit-identity across
    /// batch splits. Reduction: 4u = q + f with q = round(4u) exact, angle phi = f pi/2 in [−pi/4, pi/4];
    /// sin and cos of phi by their Taylor series to degree 17 and 16 (truncation below 1e-19 and 3e-18 relative), then the
    /// quadrant q mod 4 swaps and signs them.
    /// </summary>
    private static void TurnSinCos(Vector512<double> u, out Vector512<double> sin, out Vector512<double> cos)
    {
        var w = Vector512.Create(4.0) * u;
        var q = Vector512.Round(w);
        var phi = (w - q) * Vector512.Create(Math.PI / 2);
        var z = phi * phi;
        var s = Vector512.Create(1.0 / 355687428096000.0);
        s = Vector512.FusedMultiplyAdd(s, z, Vector512.Create(-1.0 / 1307674368000.0));
        s = Vector512.FusedMultiplyAdd(s, z, Vector512.Create(1.0 / 6227020800.0));
        s = Vector512.FusedMultiplyAdd(s, z, Vector512.Create(-1.0 / 39916800.0));
        s = Vector512.FusedMultiplyAdd(s, z, Vector512.Create(1.0 / 362880.0));
        s = Vector512.FusedMultiplyAdd(s, z, Vector512.Create(-1.0 / 5040.0));
        s = Vector512.FusedMultiplyAdd(s, z, Vector512.Create(1.0 / 120.0));
        s = Vector512.FusedMultiplyAdd(s, z, Vector512.Create(-1.0 / 6.0));
        s = Vector512.FusedMultiplyAdd(s * z, phi, phi);
        var c = Vector512.Create(1.0 / 20922789888000.0);
        c = Vector512.FusedMultiplyAdd(c, z, Vector512.Create(-1.0 / 87178291200.0));
        c = Vector512.FusedMultiplyAdd(c, z, Vector512.Create(1.0 / 479001600.0));
        c = Vector512.FusedMultiplyAdd(c, z, Vector512.Create(-1.0 / 3628800.0));
        c = Vector512.FusedMultiplyAdd(c, z, Vector512.Create(1.0 / 40320.0));
        c = Vector512.FusedMultiplyAdd(c, z, Vector512.Create(-1.0 / 720.0));
        c = Vector512.FusedMultiplyAdd(c, z, Vector512.Create(1.0 / 24.0));
        c = Vector512.FusedMultiplyAdd(c, z, Vector512.Create(-0.5));
        c = Vector512.FusedMultiplyAdd(c, z, Vector512<double>.One);
        var quadrant = Vector512.ConvertToInt64(q) & Vector512.Create(3L);
        var swap = Vector512.Equals(quadrant & Vector512<long>.One, Vector512<long>.One).AsDouble();
        var negateSin = Vector512.GreaterThanOrEqual(quadrant, Vector512.Create(2L)).AsDouble();
        var negateCos = (Vector512.Equals(quadrant, Vector512<long>.One) | Vector512.Equals(quadrant, Vector512.Create(2L))).AsDouble();
        var sinPhi = Vector512.ConditionalSelect(swap, c, s);
        var cosPhi = Vector512.ConditionalSelect(swap, s, c);
        sin = Vector512.ConditionalSelect(negateSin, -sinPhi, sinPhi);
        cos = Vector512.ConditionalSelect(negateCos, -cosPhi, cosPhi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ToUnit(Vector512<ulong> hi, Vector512<ulong> lo) =>
        Vector512.ConvertToDouble(((hi << 32) | lo) >> 11) * Vector512.Create(InvTwo53);

    /// <summary>SplitMix64 finaliser (Steele, Lea, Flood 2014), used to hash tags into keys.</summary>
    public static ulong SplitMix64(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

using Diffusion.Research.Numerics;

namespace Diffusion.Research.Exact;

/// <summary>
/// Chosen increments for replaying a solver: every draw is 0 except one unit impulse per particle. Particle
/// <c>FirstImpulse + k</c> sees, in the stream <c>Streams[k / D]</c>, the value 1 at coordinate <c>k mod D</c>
/// (<see cref="PerCoordinate"/>), or, when the impulses hit all coordinates at once (for problems that decouple
/// along the coordinates, <see cref="AffineResponse.MeasureDiagonal"/>), the value 1 at every coordinate of stream
/// <c>Streams[k]</c>. Particles before <c>FirstImpulse</c> and past the last impulse see only zeros.
/// </summary>
public sealed class UnitImpulses : IGaussianIncrements
{
    private readonly uint[] _streams;

    /// <summary>Impulses in <paramref name="streams"/> for particles from <paramref name="firstImpulse"/> on, in
    /// <paramref name="dimension"/> dimensions, one coordinate at a time (<paramref name="perCoordinate"/>) or all at once.</summary>
    public UnitImpulses(long firstImpulse, IReadOnlyList<uint> streams, int dimension, bool perCoordinate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstImpulse);
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        FirstImpulse = firstImpulse;
        _streams = streams.ToArray();
        Dimension = dimension;
        PerCoordinate = perCoordinate;
    }

    /// <summary>Global index of the particle that carries impulse 0.</summary>
    public long FirstImpulse { get; }

    /// <summary>D.</summary>
    public int Dimension { get; }

    /// <summary>True: one coordinate per impulse; false: all coordinates of a stream at once.</summary>
    public bool PerCoordinate { get; }

    /// <summary>The number of impulses (particles that carry one).</summary>
    public long Count => PerCoordinate ? (long)_streams.Length * Dimension : _streams.Length;

    /// <inheritdoc />
    public void FillGaussian(uint stream, long firstParticle, Batch destination)
    {
        if (destination.Dimension != Dimension)
            throw new ArgumentException($"A draw of dimension {destination.Dimension} from impulses of dimension {Dimension}.", nameof(destination));
        destination.Values.Clear();
        for (var i = 0; i < destination.Count; i++)
        {
            var k = firstParticle + i - FirstImpulse;
            if (k < 0 || k >= Count) continue;
            var index = PerCoordinate ? k / Dimension : k;
            if (_streams[index] != stream) continue;
            var row = destination.Row(i);
            if (PerCoordinate) row[(int)(k % Dimension)] = 1.0;
            else row.Fill(1.0);
        }
    }
}

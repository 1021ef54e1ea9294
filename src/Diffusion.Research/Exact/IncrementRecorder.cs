using Diffusion.Research.Numerics;

namespace Diffusion.Research.Exact;

/// <summary>
/// A noise source that remembers which streams a solve asked for (thread-safe): the set of independent Gaussian
/// vectors z_k a solver draws, found without knowing its internals. It returns zeros, or the draws of an inner source.
/// </summary>
public sealed class IncrementRecorder : IGaussianIncrements
{
    private readonly SortedSet<uint> _streams = [];
    private readonly object _gate = new();
    private readonly IGaussianIncrements? _inner;

    /// <summary>A recorder that returns zeros (<paramref name="inner"/> null) or the draws of <paramref name="inner"/>.</summary>
    public IncrementRecorder(IGaussianIncrements? inner = null) => _inner = inner;

    /// <summary>The dimension of the draws (0 before the first request); all must agree.</summary>
    public int Dimension { get; private set; }

    /// <summary>The streams requested so far, ascending.</summary>
    public IReadOnlyList<uint> Streams
    {
        get
        {
            lock (_gate) return _streams.ToArray();
        }
    }

    /// <inheritdoc />
    public void FillGaussian(uint stream, long firstParticle, Batch destination)
    {
        if (_inner is null) destination.Values.Clear();
        else _inner.FillGaussian(stream, firstParticle, destination);
        lock (_gate)
        {
            if (Dimension != 0 && Dimension != destination.Dimension)
                throw new InvalidOperationException($"The solver drew {Dimension}- and {destination.Dimension}-dimensional increments.");
            Dimension = destination.Dimension;
            _streams.Add(stream);
        }
    }
}

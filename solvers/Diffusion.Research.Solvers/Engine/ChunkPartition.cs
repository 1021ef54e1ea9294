using Diffusion.Research.Numerics;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The fixed cut of a batch into chunks of <see cref="Sampling.SolveOptions.ChunkSize"/> rows (the last one may be shorter)
/// that every solver works on: chunk c holds rows [c · Size, c · Size + Rows(c)). Fixed by the batch size and the
/// chunk size alone, never by the thread count, which keeps results bit-identical across thread counts.
/// </summary>
internal readonly struct ChunkPartition
{
    private readonly int _particles;

    /// <summary>The partition of <paramref name="particles"/> rows (at least one) into chunks of <paramref name="chunkSize"/>.</summary>
    public ChunkPartition(int particles, int chunkSize)
    {
        _particles = particles;
        Size = Math.Min(chunkSize, particles);
        Count = (particles + Size - 1) / Size;
    }

    /// <summary>Rows of a full chunk.</summary>
    public int Size { get; }

    /// <summary>Number of chunks.</summary>
    public int Count { get; }

    /// <summary>First row of chunk <paramref name="c"/>.</summary>
    public int Start(int c) => c * Size;

    /// <summary>Rows of chunk <paramref name="c"/>.</summary>
    public int Rows(int c) => Math.Min(Size, _particles - c * Size);

    /// <summary>Chunk <paramref name="c"/> of <paramref name="x"/> (a view, no allocation).</summary>
    public Batch Slice(Batch x, int c) => x.Slice(Start(c), Rows(c));
}

using Diffusion.Research.Numerics;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The history of a multistep sampler: the last <see cref="Length"/> values (ε̂, x̂_0, …) in consecutive registers of a
/// <see cref="Workspace"/>, newest first. <see cref="Clear"/> it in the solver's begin hook
/// (<see cref="FixedStepSolver"/>'s <c>Begin</c>), <see cref="Push"/> the register for each step's new value, read
/// <see cref="Recent"/>(j) for the value j steps back and <see cref="Count"/> for how many exist (the warm-up order), so
/// a sampler needs no step-index arithmetic. Get it from <see cref="Workspace.History"/>; allocation-free after that.
/// </summary>
public sealed class BufferRing
{
    private readonly Workspace _workspace;
    private int _head = -1;

    internal BufferRing(Workspace workspace, int first, int length)
    {
        if (first < 0 || length < 1 || first + length > workspace.Count)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Buffers {first}..{first + length - 1} do not exist (the workspace has {workspace.Count}).");
        _workspace = workspace;
        First = first;
        Length = length;
    }

    /// <summary>The first register of the ring.</summary>
    public int First { get; }

    /// <summary>How many values the ring keeps.</summary>
    public int Length { get; }

    /// <summary>How many values it holds now (at most <see cref="Length"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Empties the history (the start of a chunk's solve).</summary>
    public void Clear()
    {
        Count = 0;
        _head = -1;
    }

    /// <summary>The register for the newest value (overwriting the oldest when full), viewed as <paramref name="rows"/> rows.</summary>
    public Batch Push(int rows)
    {
        _head = _head + 1 == Length ? 0 : _head + 1;
        if (Count < Length) Count++;
        return _workspace.Buffer(First + _head, rows);
    }

    /// <summary>The value <paramref name="back"/> steps back (0: the newest), viewed as <paramref name="rows"/> rows.</summary>
    public Batch Recent(int back, int rows)
    {
        if ((uint)back >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(back), back, $"The history holds {Count} values.");
        var index = _head - back;
        return _workspace.Buffer(First + (index < 0 ? index + Length : index), rows);
    }
}

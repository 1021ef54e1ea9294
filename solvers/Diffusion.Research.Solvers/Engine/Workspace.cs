using Diffusion.Research.Numerics;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Scratch registers of one work item: <see cref="Count"/> batches of the same shape, allocated once per
/// worker and reused for every step, so that step loops allocate nothing.
/// </summary>
public sealed class Workspace
{
    private readonly double[][] _storage;
    private BufferRing? _history;
    private double[] _scratch = [];

    /// <summary>Allocates <paramref name="registers"/> scratch batches of up to <paramref name="rows"/> x <paramref name="dimension"/>.</summary>
    public Workspace(int registers, int rows, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(registers);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        _storage = new double[registers][];
        for (var i = 0; i < registers; i++) _storage[i] = new double[checked(rows * dimension)];
        Rows = rows;
        Dimension = dimension;
    }

    /// <summary>Number of registers.</summary>
    public int Count => _storage.Length;

    /// <summary>Maximum rows per register.</summary>
    public int Rows { get; }

    /// <summary>Columns per register.</summary>
    public int Dimension { get; }

    /// <summary>A solver-defined flag that persists across steps (for example: the first stage is already known, FSAL).</summary>
    public bool Primed { get; set; }

    /// <summary>
    /// The history ring over registers <paramref name="first"/>, …, <paramref name="first"/> + <paramref name="length"/> − 1
    /// (<see cref="BufferRing"/>): created on the first call, the same object afterwards (so a step may ask for it
    /// without allocating); a workspace has one history.
    /// </summary>
    public BufferRing History(int first, int length)
    {
        _history ??= new BufferRing(this, first, length);
        if (_history.First != first || _history.Length != length)
            throw new InvalidOperationException($"This workspace's history covers registers {_history.First}..{_history.First + _history.Length - 1}.");
        return _history;
    }

    /// <summary>Register <paramref name="index"/> viewed as <paramref name="rows"/> x <see cref="Dimension"/> (no allocation).</summary>
    public Batch Buffer(int index, int rows)
    {
        if ((uint)rows > (uint)Rows) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"At most {Rows} rows.");
        return new Batch(_storage[index], rows, Dimension);
    }

    /// <summary>A flat scratch of at least <paramref name="length"/> doubles, allocated once per worker (the fused paths).</summary>
    internal Span<double> Scratch(int length)
    {
        if (_scratch.Length < length) _scratch = new double[length];
        return _scratch.AsSpan(0, length);
    }
}

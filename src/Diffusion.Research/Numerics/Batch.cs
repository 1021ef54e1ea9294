using System.Runtime.Intrinsics;

namespace Diffusion.Research.Numerics;

/// <summary>
/// N particles of dimension D stored contiguously, row-major, in doubles: row i is particle i.
/// A <see cref="Batch"/> is a view (like <see cref="Memory{T}"/>): slicing and copying the struct
/// share storage and allocate nothing, so solvers can cut a batch into chunks inside hot loops.
/// </summary>
public readonly struct Batch
{
    private readonly double[] _data;
    private readonly int _offset;

    /// <summary>Allocates a zeroed batch of <paramref name="count"/> particles in <paramref name="dimension"/> dimensions.</summary>
    public Batch(int count, int dimension)
        : this(new double[Validate(count, dimension)], 0, count, dimension)
    {
    }

    /// <summary>Wraps the first <c>count * dimension</c> entries of an existing array (no copy).</summary>
    public Batch(double[] data, int count, int dimension)
        : this(data ?? throw new ArgumentNullException(nameof(data)), 0, count, dimension)
    {
        if ((long)count * dimension > data.Length)
            throw new ArgumentException($"Array of length {data.Length} is too short for {count} x {dimension}.", nameof(data));
    }

    private Batch(double[] data, int offset, int count, int dimension)
    {
        Validate(count, dimension);
        _data = data;
        _offset = offset;
        Count = count;
        Dimension = dimension;
    }

    private static int Validate(int count, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if ((long)count * dimension > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(count), $"{count} x {dimension} values exceed the largest array ({Array.MaxLength}).");
        return count * dimension;
    }

    /// <summary>Number of particles (rows).</summary>
    public int Count { get; }

    /// <summary>Dimension of each particle (columns).</summary>
    public int Dimension { get; }

    /// <summary>Total number of doubles, Count x Dimension.</summary>
    public int Length => Count * Dimension;

    /// <summary>All values, row-major.</summary>
    public Span<double> Values => _data is null ? Span<double>.Empty : _data.AsSpan(_offset, Count * Dimension);

    /// <summary>Row <paramref name="i"/>: the coordinates of particle i.</summary>
    public Span<double> Row(int i)
    {
        if ((uint)i >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(i), i, $"Row index outside [0, {Count}).");
        return _data.AsSpan(_offset + i * Dimension, Dimension);
    }

    /// <summary>Coordinate <paramref name="d"/> of particle <paramref name="i"/>. From F#, whose compiler refuses the
    /// setter on an immutable binding of a struct (FS0256), write with <see cref="Set"/>.</summary>
    public double this[int i, int d]
    {
        get => Row(i)[d];
        set => Row(i)[d] = value;
    }

    /// <summary>Sets coordinate <paramref name="d"/> of particle <paramref name="i"/> to <paramref name="value"/>: the
    /// indexer setter as a method, callable on an immutable F# binding (<c>b.Set(i, d, v)</c>; the batch is a view, so
    /// the write reaches the shared storage).</summary>
    public void Set(int i, int d, double value) => Row(i)[d] = value;

    /// <summary>A view of rows [start, start + count) sharing storage with this batch.</summary>
    public Batch Slice(int start, int count)
    {
        if (start < 0 || count < 0 || count > Count - start) // not start + count > Count: that sum can overflow
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {(long)start + count}) are outside [0, {Count}).");
        return new Batch(_data, _offset + start * Dimension, count, Dimension);
    }

    /// <summary>True when both batches have the same shape.</summary>
    public bool HasShapeOf(Batch other) => Count == other.Count && Dimension == other.Dimension;

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="name"/> unless the shapes agree.</summary>
    public void RequireShape(Batch other, string name)
    {
        if (!HasShapeOf(other))
            throw new ArgumentException($"Batch '{name}' is {other.Count} x {other.Dimension}, expected {Count} x {Dimension}.", name);
    }

    /// <summary>Copies the values into <paramref name="destination"/>, which must have the same shape.</summary>
    public void CopyTo(Batch destination)
    {
        RequireShape(destination, nameof(destination));
        Values.CopyTo(destination.Values);
    }

    /// <summary>x ← <paramref name="factor"/> x, in place (vectorised; what the samplers' steps do, callable from F#, which cannot
    /// pass a Span to the generic TensorPrimitives overloads).</summary>
    public void Scale(double factor) => System.Numerics.Tensors.TensorPrimitives.Multiply(Values, factor, Values);

    /// <summary>x ← x + <paramref name="factor"/> y, in place (an axpy; y must have x's shape and may be x itself).</summary>
    public void AddScaled(double factor, Batch y)
    {
        RequireShape(y, nameof(y));
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(y.Values, factor, Values, Values);
    }

    /// <summary>A deep copy with its own storage.</summary>
    public Batch Clone()
    {
        var copy = new Batch(Count, Dimension);
        Values.CopyTo(copy.Values);
        return copy;
    }

    /// <summary>The values as a new row-major array.</summary>
    public double[] ToArray() => Values.ToArray();

    /// <summary>Builds a batch from rows of equal length.</summary>
    public static Batch FromRows(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("At least one row is needed to know the dimension.", nameof(rows));
        for (var i = 0; i < rows.Count; i++)
            if (rows[i] is null) throw new ArgumentException($"Row {i} is null.", nameof(rows));
        var dim = rows[0].Length;
        var batch = new Batch(rows.Count, dim);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != dim)
                throw new ArgumentException($"Row {i} has {rows[i].Length} entries, row 0 has {dim}.", nameof(rows));
            rows[i].CopyTo(batch.Row(i));
        }
        return batch;
    }

    /// <summary>True when every value is finite (no NaN, no infinity).</summary>
    public bool IsFinite()
    {
        // x − x is 0 for finite x and NaN for NaN or ±infinity; one vector compare per 8 values.
        var values = Values;
        var i = 0;
        for (; i + Vector512<double>.Count <= values.Length; i += Vector512<double>.Count)
        {
            var v = Vector512.Create<double>(values.Slice(i, Vector512<double>.Count));
            if (!Vector512.EqualsAll(v - v, Vector512<double>.Zero)) return false;
        }
        for (; i < values.Length; i++)
            if (!double.IsFinite(values[i])) return false;
        return true;
    }

    public override string ToString() => $"Batch({Count} x {Dimension})";
}

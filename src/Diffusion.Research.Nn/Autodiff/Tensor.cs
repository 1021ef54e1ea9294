using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Autodiff;

/// <summary>
/// A 2-D row-major matrix of doubles recorded on a <see cref="Tape"/>. Tensors are owned by their
/// tape: their storage is reused after <see cref="Tape.Reset"/>, so a tensor must not be used after
/// the tape that made it is reset. Build them with the tape's operations (or the C# operators here).
/// </summary>
public sealed class Tensor
{
    private double[] _own = [];

    internal Tensor(Tape tape) => Tape = tape;

    /// <summary>The tape that owns this tensor.</summary>
    public Tape Tape { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; private set; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; private set; }

    /// <summary>Rows x Columns.</summary>
    public int Length => Rows * Columns;

    /// <summary>True when gradients can flow into this tensor (it depends on a leaf that requires them).</summary>
    public bool RequiresGrad { get; internal set; }

    /// <summary>The values, row-major. Writing to a tensor that is an input of a recorded operation invalidates its gradients.</summary>
    public Span<double> Values => Buffer.AsSpan(0, Rows * Columns);

    /// <summary>Entry (row, column).</summary>
    public double this[int row, int column]
    {
        get => Values[Index(row, column)];
        set => Values[Index(row, column)] = value;
    }

    /// <summary>The value of a 1 x 1 tensor.</summary>
    public double Scalar
    {
        get
        {
            if (Rows != 1 || Columns != 1) throw new InvalidOperationException($"Scalar needs a 1 x 1 tensor, this one is {Rows} x {Columns}.");
            return Buffer[0];
        }
    }

    /// <summary>Row <paramref name="row"/>.</summary>
    public Span<double> Row(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row outside [0, {Rows}).");
        return Buffer.AsSpan(row * Columns, Columns);
    }

    /// <summary>A <see cref="Batch"/> view of the same storage (no copy).</summary>
    public Batch AsBatch() => new(Buffer, Rows, Columns);

    /// <summary>The values copied into a new array.</summary>
    public double[] ToArray() => Values.ToArray();

    internal double[] Buffer { get; private set; } = [];

    private double[] _sigmoid = [];

    /// <summary>σ(a) of a SiLU node's input, kept by the forward pass for its backward rule (null otherwise).</summary>
    internal double[]? Sigmoid { get; private set; }

    /// <summary>A recycled buffer of <paramref name="length"/> entries that holds σ(a) of this SiLU node.</summary>
    internal Span<double> KeepSigmoid(int length)
    {
        if (_sigmoid.Length < length) _sigmoid = new double[length];
        Sigmoid = _sigmoid;
        return _sigmoid.AsSpan(0, length);
    }
    internal int Id { get; private set; }
    internal Op Op { get; private set; }
    internal Tensor? A { get; private set; }
    internal Tensor? B { get; private set; }
    internal double Parameter0 { get; private set; }
    internal int Integer0 { get; private set; }
    internal int Integer1 { get; private set; }

    /// <summary>Re-initialises a recycled node; storage is reused when large enough.</summary>
    internal void Initialise(int id, int rows, int columns)
    {
        Id = id;
        Rows = rows;
        Columns = columns;
        var length = checked(rows * columns);
        if (_own.Length < length) _own = new double[length];
        Buffer = _own;
        Sigmoid = null;
        Op = Op.Constant;
        A = null;
        B = null;
        RequiresGrad = false;
        Parameter0 = 0;
        Integer0 = 0;
        Integer1 = 0;
    }

    /// <summary>Makes this node a leaf that views external storage (a parameter's values).</summary>
    internal void InitialiseLeaf(int id, double[] storage, int rows, int columns)
    {
        Initialise(id, 0, 0);
        Rows = rows;
        Columns = columns;
        Buffer = storage;
        Op = Op.Leaf;
        RequiresGrad = true;
    }

    internal void Record(Op op, Tensor? a, Tensor? b, double p0 = 0, int i0 = 0, int i1 = 0)
    {
        Op = op;
        Parameter0 = p0;
        Integer0 = i0;
        Integer1 = i1;
        RequiresGrad = (a?.RequiresGrad ?? false) || (b?.RequiresGrad ?? false);
        // A node that needs no gradient keeps no inputs: the backward pass stops here.
        A = RequiresGrad ? a : null;
        B = RequiresGrad ? b : null;
        if (!RequiresGrad) Op = Op.Constant;
    }

    internal void MarkRequiresGrad()
    {
        RequiresGrad = true;
        Op = Op.Leaf;
    }

    private int Index(int row, int column)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row outside [0, {Rows}).");
        if ((uint)column >= (uint)Columns) throw new ArgumentOutOfRangeException(nameof(column), column, $"Column outside [0, {Columns}).");
        return row * Columns + column;
    }

    /// <summary>Broadcasting sum (see <see cref="Tape.Add"/>).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Tape.Add(a, b);

    /// <summary>Broadcasting difference (see <see cref="Tape.Subtract"/>).</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Tape.Subtract(a, b);

    /// <summary>Broadcasting elementwise product (see <see cref="Tape.Multiply"/>).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Tape.Multiply(a, b);

    /// <summary>Scales by a constant.</summary>
    public static Tensor operator *(double c, Tensor a) => a.Tape.Scale(a, c);

    /// <summary>Scales by a constant.</summary>
    public static Tensor operator *(Tensor a, double c) => a.Tape.Scale(a, c);

    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(Tensor a, double c) => a.Tape.AddScalar(a, c);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Tape.Scale(a, -1.0);

    /// <inheritdoc />
    public override string ToString() => $"Tensor({Rows} x {Columns}, {Op})";
}

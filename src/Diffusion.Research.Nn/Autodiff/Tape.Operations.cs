using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Diffusion.Research.Nn.Autodiff;

public sealed partial class Tape
{
    private void Record(Tensor y, Op op, Tensor? a, Tensor? b = null, double p0 = 0, int i0 = 0, int i1 = 0)
    {
        if (_recording) y.Record(op, a, b, p0, i0, i1);
    }

    private Tensor Own(Tensor tensor, string name)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        RequireOwn(tensor, name);
        return tensor;
    }

    // ---------------------------------------------------------------- broadcasting arithmetic

    /// <summary>
    /// a + b with broadcasting: each dimension of each operand equals the result's or is 1
    /// (a 1 x C row is added to every row, an R x 1 column to every column, a 1 x 1 to everything).
    /// </summary>
    public Tensor Add(Tensor a, Tensor b) => Binary(Op.Add, a, b);

    /// <summary>a − b with broadcasting (see <see cref="Add"/>).</summary>
    public Tensor Subtract(Tensor a, Tensor b) => Binary(Op.Sub, a, b);

    /// <summary>Elementwise a ⊙ b with broadcasting (see <see cref="Add"/>).</summary>
    public Tensor Multiply(Tensor a, Tensor b) => Binary(Op.Mul, a, b);

    private Tensor Binary(Op op, Tensor a, Tensor b)
    {
        Own(a, nameof(a));
        Own(b, nameof(b));
        var rows = BroadcastDimension(a.Rows, b.Rows, "rows", a, b);
        var columns = BroadcastDimension(a.Columns, b.Columns, "columns", a, b);
        var y = NewNode(rows, columns);
        var av = a.Buffer;
        var bv = b.Buffer;
        var yv = y.Buffer;
        if (op == Op.Add && b.Rows == 1 && a.Rows == rows && b.Columns == columns && a.Columns == columns && rows > 1)
        {
            AddRowToEveryRow(av, bv, yv, rows, columns); // a bias: the same sums as the per-row loop below
            Record(y, op, a, b);
            return y;
        }
        for (var r = 0; r < rows; r++)
        {
            var dst = yv.AsSpan(r * columns, columns);
            var ar = av.AsSpan((a.Rows == 1 ? 0 : r) * a.Columns, a.Columns);
            var br = bv.AsSpan((b.Rows == 1 ? 0 : r) * b.Columns, b.Columns);
            if (a.Columns == b.Columns)
            {
                switch (op)
                {
                    case Op.Add: TensorPrimitives.Add(ar, br, dst); break;
                    case Op.Sub: TensorPrimitives.Subtract(ar, br, dst); break;
                    default: TensorPrimitives.Multiply(ar, br, dst); break;
                }
            }
            else if (b.Columns == 1)
            {
                switch (op)
                {
                    case Op.Add: TensorPrimitives.Add(ar, br[0], dst); break;
                    case Op.Sub: TensorPrimitives.Subtract(ar, br[0], dst); break;
                    default: TensorPrimitives.Multiply(ar, br[0], dst); break;
                }
            }
            else
            {
                switch (op)
                {
                    case Op.Add: TensorPrimitives.Add(br, ar[0], dst); break;
                    case Op.Sub: TensorPrimitives.Subtract(ar[0], br, dst); break;
                    default: TensorPrimitives.Multiply(br, ar[0], dst); break;
                }
            }
        }
        Record(y, op, a, b);
        return y;
    }

    // y[r, ·] = a[r, ·] + b[0, ·] for every row, with Vector512 lanes over the columns (each entry one rounded sum).
    private static void AddRowToEveryRow(double[] a, double[] b, double[] y, int rows, int columns)
    {
        var vectorEnd = Vector512.IsHardwareAccelerated ? columns - columns % 8 : 0;
        for (var r = 0; r < rows; r++)
        {
            var ar = a.AsSpan(r * columns, columns);
            var yr = y.AsSpan(r * columns, columns);
            var j = 0;
            for (; j < vectorEnd; j += 8)
                (Vector512.Create(ar.Slice(j, 8)) + Vector512.Create(b.AsSpan(j, 8))).CopyTo(yr.Slice(j, 8));
            for (; j < columns; j++) yr[j] = ar[j] + b[j];
        }
    }

    private static int BroadcastDimension(int x, int y, string what, Tensor a, Tensor b)
    {
        if (x == y || y == 1) return x;
        if (x == 1) return y;
        throw new ArgumentException($"Cannot broadcast {a.Rows} x {a.Columns} with {b.Rows} x {b.Columns}: {what} differ and neither is 1.", nameof(b));
    }

    /// <summary>c · a for a constant c.</summary>
    public Tensor Scale(Tensor a, double c)
    {
        Own(a, nameof(a));
        var y = NewNode(a.Rows, a.Columns);
        TensorPrimitives.Multiply(a.Values, c, y.Values);
        Record(y, Op.Scale, a, null, c);
        return y;
    }

    /// <summary>a + c for a constant c.</summary>
    public Tensor AddScalar(Tensor a, double c)
    {
        Own(a, nameof(a));
        var y = NewNode(a.Rows, a.Columns);
        TensorPrimitives.Add(a.Values, c, y.Values);
        Record(y, Op.AddScalar, a, null, c);
        return y;
    }

    // ---------------------------------------------------------------- matrix products

    /// <summary>The matrix product a (m x k) · b (k x n).</summary>
    public Tensor MatMul(Tensor a, Tensor b)
    {
        Own(a, nameof(a));
        Own(b, nameof(b));
        if (a.Columns != b.Rows) throw new ArgumentException($"MatMul of {a.Rows} x {a.Columns} by {b.Rows} x {b.Columns}: inner dimensions differ.", nameof(b));
        var y = NewNode(a.Rows, b.Columns);
        MatrixKernels.MatMul(a.Buffer, b.Buffer, y.Buffer, a.Rows, a.Columns, b.Columns, Threads);
        Record(y, Op.MatMul, a, b);
        return y;
    }

    /// <summary>aᵀ · b for a (m x k), b (m x n): a k x n result.</summary>
    public Tensor MatMulTransposeA(Tensor a, Tensor b)
    {
        Own(a, nameof(a));
        Own(b, nameof(b));
        if (a.Rows != b.Rows) throw new ArgumentException($"MatMulTransposeA of {a.Rows} x {a.Columns} by {b.Rows} x {b.Columns}: row counts differ.", nameof(b));
        var y = NewNode(a.Columns, b.Columns);
        MatrixKernels.MatMulTransposeA(a.Buffer, b.Buffer, y.Buffer, a.Rows, a.Columns, b.Columns, Threads);
        Record(y, Op.MatMulTransposeA, a, b);
        return y;
    }

    /// <summary>a · bᵀ for a (m x k), b (n x k): an m x n result.</summary>
    public Tensor MatMulTransposeB(Tensor a, Tensor b)
    {
        Own(a, nameof(a));
        Own(b, nameof(b));
        if (a.Columns != b.Columns) throw new ArgumentException($"MatMulTransposeB of {a.Rows} x {a.Columns} by {b.Rows} x {b.Columns}: column counts differ.", nameof(b));
        var y = NewNode(a.Rows, b.Rows);
        MatrixKernels.MatMulTransposeB(a.Buffer, b.Buffer, y.Buffer, a.Rows, a.Columns, b.Rows, Threads);
        Record(y, Op.MatMulTransposeB, a, b);
        return y;
    }

    // ---------------------------------------------------------------- reductions and broadcasts

    /// <summary>
    /// Sums a over the dimensions where the target is 1: (1, C) sums over rows, (R, 1) over columns,
    /// (1, 1) over everything. Returns a itself when the shapes already agree.
    /// </summary>
    public Tensor ReduceTo(Tensor a, int rows, int columns)
    {
        Own(a, nameof(a));
        if (rows == a.Rows && columns == a.Columns) return a;
        if ((rows != 1 && rows != a.Rows) || (columns != 1 && columns != a.Columns))
            throw new ArgumentException($"Cannot reduce {a.Rows} x {a.Columns} to {rows} x {columns}.", nameof(rows));
        var y = NewNode(rows, columns);
        var yv = y.Values;
        yv.Clear();
        var av = a.Buffer;
        for (var r = 0; r < a.Rows; r++)
        {
            var ar = av.AsSpan(r * a.Columns, a.Columns);
            if (columns == 1)
            {
                yv[rows == 1 ? 0 : r] += TensorPrimitives.Sum(ar);
            }
            else
            {
                var dst = yv.Slice((rows == 1 ? 0 : r) * columns, columns);
                TensorPrimitives.Add(dst, ar, dst);
            }
        }
        Record(y, Op.ReduceTo, a, null, 0, a.Rows, a.Columns);
        return y;
    }

    /// <summary>Repeats a (whose dimensions are each 1 or the target's) to rows x columns. Returns a itself when the shapes agree.</summary>
    public Tensor BroadcastTo(Tensor a, int rows, int columns)
    {
        Own(a, nameof(a));
        if (rows == a.Rows && columns == a.Columns) return a;
        if ((a.Rows != 1 && a.Rows != rows) || (a.Columns != 1 && a.Columns != columns))
            throw new ArgumentException($"Cannot broadcast {a.Rows} x {a.Columns} to {rows} x {columns}.", nameof(rows));
        var y = NewNode(rows, columns);
        for (var r = 0; r < rows; r++)
        {
            var dst = y.Buffer.AsSpan(r * columns, columns);
            var src = a.Buffer.AsSpan((a.Rows == 1 ? 0 : r) * a.Columns, a.Columns);
            if (a.Columns == 1) dst.Fill(src[0]);
            else src.CopyTo(dst);
        }
        Record(y, Op.BroadcastTo, a, null, 0, a.Rows, a.Columns);
        return y;
    }

    /// <summary>The sum of all entries (1 x 1).</summary>
    public Tensor Sum(Tensor a) => ReduceTo(a, 1, 1);

    /// <summary>The mean of all entries (1 x 1).</summary>
    public Tensor Mean(Tensor a) => Scale(ReduceTo(a, 1, 1), 1.0 / Own(a, nameof(a)).Length);

    /// <summary>Row sums (R x 1): per-particle sums.</summary>
    public Tensor SumColumns(Tensor a) => ReduceTo(a, Own(a, nameof(a)).Rows, 1);

    /// <summary>Column sums (1 x C): sums over particles.</summary>
    public Tensor SumRows(Tensor a) => ReduceTo(a, 1, Own(a, nameof(a)).Columns);

    // ---------------------------------------------------------------- elementwise functions

    private Tensor Unary(Op op, Tensor a)
    {
        Own(a, nameof(a));
        var y = NewNode(a.Rows, a.Columns);
        var x = a.Values;
        var d = y.Values;
        switch (op)
        {
            case Op.Tanh: TensorPrimitives.Tanh(x, d); break;
            case Op.Sigmoid: TensorPrimitives.Sigmoid(x, d); break;
            case Op.Softplus: Activations.Softplus(x, d); break;
            case Op.Silu:
            {
                var sigmoid = y.KeepSigmoid(x.Length);
                if (!RunSiluBlocks(a.Buffer, y.Buffer, y.Sigmoid!, null, x.Length)) Activations.Silu(x, d, sigmoid);
                break;
            }
            case Op.SiluPrime: Activations.SiluPrime(x, d); break;
            case Op.Exp: TensorPrimitives.Exp(x, d); break;
            case Op.Log: TensorPrimitives.Log(x, d); break;
            case Op.Sin: TensorPrimitives.Sin(x, d); break;
            case Op.Cos: TensorPrimitives.Cos(x, d); break;
            case Op.Square: TensorPrimitives.Multiply(x, x, d); break;
            case Op.Reciprocal: TensorPrimitives.Divide(1.0, x, d); break;
            default: throw new InvalidOperationException($"{op} is not unary.");
        }
        Record(y, op, a);
        return y;
    }

    // A SiLU forward (gradient null) or fused backward over fixed blocks on the workers when the tensor is large and
    // the tape has threads; false when it should run in one call on this thread (same bits either way).
    private bool RunSiluBlocks(double[] x, double[] destination, double[] sigmoid, double[]? gradient, int length)
    {
        var blocks = SiluJob.Blocks(length);
        if (Threads <= 1 || blocks < 2) return false;
        if (gradient is null) _siluJob.SetForward(x, destination, sigmoid, length);
        else _siluJob.SetBackward(gradient, x, sigmoid, destination, length);
        var ran = BlockWorkers.TryRun(_siluJob, blocks, Threads);
        _siluJob.Clear();
        return ran;
    }

    /// <summary>tanh a.</summary>
    public Tensor Tanh(Tensor a) => Unary(Op.Tanh, a);

    /// <summary>σ(a) = 1 / (1 + e^(−a)).</summary>
    public Tensor Sigmoid(Tensor a) => Unary(Op.Sigmoid, a);

    /// <summary>log(1 + e^a), overflow-free.</summary>
    public Tensor Softplus(Tensor a) => Unary(Op.Softplus, a);

    /// <summary>SiLU(a) = a σ(a).</summary>
    public Tensor Silu(Tensor a) => Unary(Op.Silu, a);

    /// <summary>SiLU'(a) = σ(a)(1 + a(1 − σ(a))), itself differentiable to any order.</summary>
    public Tensor SiluPrime(Tensor a) => Unary(Op.SiluPrime, a);

    /// <summary>e^a.</summary>
    public Tensor Exp(Tensor a) => Unary(Op.Exp, a);

    /// <summary>log a.</summary>
    public Tensor Log(Tensor a) => Unary(Op.Log, a);

    /// <summary>sin a.</summary>
    public Tensor Sin(Tensor a) => Unary(Op.Sin, a);

    /// <summary>cos a.</summary>
    public Tensor Cos(Tensor a) => Unary(Op.Cos, a);

    /// <summary>a².</summary>
    public Tensor Square(Tensor a) => Unary(Op.Square, a);

    /// <summary>1 / a.</summary>
    public Tensor Reciprocal(Tensor a) => Unary(Op.Reciprocal, a);

    /// <summary>The activation <paramref name="activation"/> applied to a.</summary>
    public Tensor Apply(Activation activation, Tensor a) => activation switch
    {
        Activation.Silu => Silu(a),
        Activation.Tanh => Tanh(a),
        Activation.Softplus => Softplus(a),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    // ---------------------------------------------------------------- columns

    /// <summary>Columns [start, start + count) of a.</summary>
    public Tensor SliceColumns(Tensor a, int start, int count)
    {
        Own(a, nameof(a));
        if (start < 0 || count <= 0 || start + count > a.Columns)
            throw new ArgumentOutOfRangeException(nameof(start), $"Columns [{start}, {start + count}) are outside [0, {a.Columns}).");
        if (start == 0 && count == a.Columns) return a;
        var y = NewNode(a.Rows, count);
        for (var r = 0; r < a.Rows; r++)
            a.Buffer.AsSpan(r * a.Columns + start, count).CopyTo(y.Buffer.AsSpan(r * count, count));
        Record(y, Op.SliceColumns, a, null, 0, start);
        return y;
    }

    /// <summary>A tensor with <paramref name="columns"/> columns, zero except columns [start, start + a.Columns) = a.</summary>
    public Tensor ScatterColumns(Tensor a, int start, int columns)
    {
        Own(a, nameof(a));
        if (start < 0 || start + a.Columns > columns)
            throw new ArgumentOutOfRangeException(nameof(start), $"Columns [{start}, {start + a.Columns}) do not fit in {columns}.");
        if (start == 0 && columns == a.Columns) return a;
        var y = NewNode(a.Rows, columns);
        y.Values.Clear();
        for (var r = 0; r < a.Rows; r++)
            a.Buffer.AsSpan(r * a.Columns, a.Columns).CopyTo(y.Buffer.AsSpan(r * columns + start, a.Columns));
        Record(y, Op.ScatterColumns, a, null, 0, start, columns);
        return y;
    }

    /// <summary>[a, b]: the columns of a followed by those of b (same row count).</summary>
    public Tensor ConcatColumns(Tensor a, Tensor b)
    {
        Own(a, nameof(a));
        Own(b, nameof(b));
        if (a.Rows != b.Rows) throw new ArgumentException($"ConcatColumns of {a.Rows} and {b.Rows} rows.", nameof(b));
        var columns = a.Columns + b.Columns;
        var y = NewNode(a.Rows, columns);
        for (var r = 0; r < a.Rows; r++)
        {
            a.Buffer.AsSpan(r * a.Columns, a.Columns).CopyTo(y.Buffer.AsSpan(r * columns, a.Columns));
            b.Buffer.AsSpan(r * b.Columns, b.Columns).CopyTo(y.Buffer.AsSpan(r * columns + a.Columns, b.Columns));
        }
        Record(y, Op.ConcatColumns, a, b);
        return y;
    }
}

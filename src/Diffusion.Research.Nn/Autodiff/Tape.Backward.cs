namespace Diffusion.Research.Nn.Autodiff;

public sealed partial class Tape
{
    /// <summary>
    /// Propagates the gradient <paramref name="g"/> of <paramref name="y"/> to its inputs. Every rule is
    /// written with tape operations, so when recording is on the gradients are themselves differentiable.
    /// </summary>
    private void Backward(Tensor y, Tensor g, ReadOnlySpan<bool> needed)
    {
        var a = y.A!;
        var b = y.B;
        var needA = needed[a.Id];
        var needB = b is not null && needed[b.Id];
        switch (y.Op)
        {
            case Op.Add:
                if (needA) Accumulate(a, ReduceTo(g, a.Rows, a.Columns), needed);
                if (needB) Accumulate(b!, ReduceTo(g, b!.Rows, b.Columns), needed);
                break;
            case Op.Sub:
                if (needA) Accumulate(a, ReduceTo(g, a.Rows, a.Columns), needed);
                if (needB) Accumulate(b!, ReduceTo(Scale(g, -1.0), b!.Rows, b.Columns), needed);
                break;
            case Op.Mul:
                if (needA) Accumulate(a, ReduceTo(Multiply(g, b!), a.Rows, a.Columns), needed);
                if (needB) Accumulate(b!, ReduceTo(Multiply(g, a), b!.Rows, b.Columns), needed);
                break;
            case Op.Scale:
                Accumulate(a, Scale(g, y.Parameter0), needed);
                break;
            case Op.AddScalar:
                Accumulate(a, g, needed);
                break;
            case Op.MatMul: // y = a b: da = g bᵀ, db = aᵀ g
                if (needA) Accumulate(a, MatMulTransposeB(g, b!), needed);
                if (needB) Accumulate(b!, MatMulTransposeA(a, g), needed);
                break;
            case Op.MatMulTransposeA: // y = aᵀ b: da = b gᵀ, db = a g
                if (needA) Accumulate(a, MatMulTransposeB(b!, g), needed);
                if (needB) Accumulate(b!, MatMul(a, g), needed);
                break;
            case Op.MatMulTransposeB: // y = a bᵀ: da = g b, db = gᵀ a
                if (needA) Accumulate(a, MatMul(g, b!), needed);
                if (needB) Accumulate(b!, MatMulTransposeA(g, a), needed);
                break;
            case Op.ReduceTo:
                Accumulate(a, BroadcastTo(g, y.Integer0, y.Integer1), needed);
                break;
            case Op.BroadcastTo:
                Accumulate(a, ReduceTo(g, y.Integer0, y.Integer1), needed);
                break;
            case Op.Tanh: // 1 − y²
                Accumulate(a, Multiply(g, AddScalar(Scale(Square(y), -1.0), 1.0)), needed);
                break;
            case Op.Sigmoid: // y (1 − y)
                Accumulate(a, Multiply(g, Multiply(y, AddScalar(Scale(y, -1.0), 1.0))), needed);
                break;
            case Op.Softplus: // σ(a)
                Accumulate(a, Multiply(g, Sigmoid(a)), needed);
                break;
            case Op.Silu:
                // Not recording (first-order gradients): g ⊙ SiLU'(a) in one pass from the σ(a) the forward pass kept,
                // the same operations per entry as Multiply(g, SiluPrime(a)), so the same bits.
                if (!_recording && y.Sigmoid is { } sigmoid)
                {
                    var d = NewNode(a.Rows, a.Columns);
                    if (!RunSiluBlocks(a.Buffer, d.Buffer, sigmoid, g.Buffer, a.Length))
                        Activations.GradientTimesSiluPrime(g.Values, a.Values, sigmoid.AsSpan(0, a.Length), d.Values);
                    Accumulate(a, d, needed);
                }
                else
                {
                    Accumulate(a, Multiply(g, SiluPrime(a)), needed);
                }
                break;
            case Op.SiluPrime: // SiLU'' = σ(1 − σ)(2 + a(1 − 2σ))
            {
                var s = Sigmoid(a);
                var s1 = Multiply(s, AddScalar(Scale(s, -1.0), 1.0));
                var s2 = AddScalar(Multiply(a, AddScalar(Scale(s, -2.0), 1.0)), 2.0);
                Accumulate(a, Multiply(g, Multiply(s1, s2)), needed);
                break;
            }
            case Op.Exp:
                Accumulate(a, Multiply(g, y), needed);
                break;
            case Op.Log:
                Accumulate(a, Multiply(g, Reciprocal(a)), needed);
                break;
            case Op.Sin:
                Accumulate(a, Multiply(g, Cos(a)), needed);
                break;
            case Op.Cos:
                Accumulate(a, Scale(Multiply(g, Sin(a)), -1.0), needed);
                break;
            case Op.Square:
                Accumulate(a, Multiply(g, Scale(a, 2.0)), needed);
                break;
            case Op.Reciprocal: // −y²
                Accumulate(a, Scale(Multiply(g, Square(y)), -1.0), needed);
                break;
            case Op.SliceColumns:
                Accumulate(a, ScatterColumns(g, y.Integer0, a.Columns), needed);
                break;
            case Op.ScatterColumns:
                Accumulate(a, SliceColumns(g, y.Integer0, a.Columns), needed);
                break;
            case Op.ConcatColumns:
                if (needA) Accumulate(a, SliceColumns(g, 0, a.Columns), needed);
                if (needB) Accumulate(b!, SliceColumns(g, a.Columns, b!.Columns), needed);
                break;
            default:
                throw new InvalidOperationException($"No backward rule for {y.Op}.");
        }
    }
}

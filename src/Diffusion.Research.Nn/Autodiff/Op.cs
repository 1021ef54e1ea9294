namespace Diffusion.Research.Nn.Autodiff;

/// <summary>The operation that produced a <see cref="Tensor"/> on a <see cref="Tape"/>.</summary>
internal enum Op
{
    Constant,
    Leaf,
    Add,
    Sub,
    Mul,
    Scale,
    AddScalar,
    MatMul,
    MatMulTransposeA,
    MatMulTransposeB,
    ReduceTo,
    BroadcastTo,
    Tanh,
    Sigmoid,
    Softplus,
    Silu,
    SiluPrime,
    Exp,
    Log,
    Sin,
    Cos,
    Square,
    Reciprocal,
    SliceColumns,
    ScatterColumns,
    ConcatColumns,
}

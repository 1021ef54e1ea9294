using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Diffusion.Research.Nn.Autodiff;

/// <summary>
/// Elementwise activation kernels shared by the tape and the tape-free inference paths, so both
/// compute bit-identical values.
/// </summary>
internal static class Activations
{
    /// <summary>SiLU(x) = x σ(x) (Elfwing et al. 2018; the "swish" of the score-SDE networks).</summary>
    public static void Silu(ReadOnlySpan<double> x, Span<double> destination)
    {
        TensorPrimitives.Sigmoid(x, destination);
        TensorPrimitives.Multiply(x, destination, destination);
    }

    /// <summary>SiLU(x) = x σ(x), keeping σ(x) in <paramref name="sigmoid"/> (bit-identical to the overload without it).</summary>
    public static void Silu(ReadOnlySpan<double> x, Span<double> destination, Span<double> sigmoid)
    {
        TensorPrimitives.Sigmoid(x, sigmoid);
        TensorPrimitives.Multiply(x, sigmoid, destination);
    }

    /// <summary>SiLU'(x) = σ(x) (1 + x (1 − σ(x))).</summary>
    public static void SiluPrime(ReadOnlySpan<double> x, Span<double> destination)
    {
        TensorPrimitives.Sigmoid(x, destination);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512.Create(1.0);
            for (; i + 8 <= destination.Length; i += 8)
            {
                var s = Vector512.Create(destination.Slice(i, 8));
                (s * (one + Vector512.Create(x.Slice(i, 8)) * (one - s))).CopyTo(destination.Slice(i, 8));
            }
        }
        for (; i < destination.Length; i++)
        {
            var s = destination[i];
            destination[i] = s * (1.0 + x[i] * (1.0 - s));
        }
    }

    /// <summary>
    /// g ⊙ SiLU'(x) = g σ (1 + x (1 − σ)) from a kept σ = σ(x): per entry the operations of SiluPrime followed by the
    /// product with g, so bit-identical to that pair (the lanes do what the scalar loop does; no fused multiply-add).
    /// </summary>
    public static void GradientTimesSiluPrime(ReadOnlySpan<double> g, ReadOnlySpan<double> x, ReadOnlySpan<double> sigmoid, Span<double> destination)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512.Create(1.0);
            for (; i + 8 <= destination.Length; i += 8)
            {
                var s = Vector512.Create(sigmoid.Slice(i, 8));
                var prime = s * (one + Vector512.Create(x.Slice(i, 8)) * (one - s));
                (Vector512.Create(g.Slice(i, 8)) * prime).CopyTo(destination.Slice(i, 8));
            }
        }
        for (; i < destination.Length; i++)
        {
            var s = sigmoid[i];
            destination[i] = g[i] * (s * (1.0 + x[i] * (1.0 - s)));
        }
    }

    /// <summary>softplus(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^(−|x|)) so it never overflows.</summary>
    public static void Softplus(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var v = x[i];
            destination[i] = Math.Max(v, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(v)));
        }
    }

    /// <summary>Applies <paramref name="activation"/> to <paramref name="x"/>.</summary>
    public static void Apply(Activation activation, ReadOnlySpan<double> x, Span<double> destination)
    {
        switch (activation)
        {
            case Activation.Silu: Silu(x, destination); break;
            case Activation.Tanh: TensorPrimitives.Tanh(x, destination); break;
            case Activation.Softplus: Softplus(x, destination); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>The derivative of <paramref name="activation"/> at <paramref name="x"/>.</summary>
    public static void Derivative(Activation activation, ReadOnlySpan<double> x, Span<double> destination)
    {
        switch (activation)
        {
            case Activation.Silu: SiluPrime(x, destination); break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(x, destination);
                for (var i = 0; i < destination.Length; i++) destination[i] = 1.0 - destination[i] * destination[i];
                break;
            case Activation.Softplus: TensorPrimitives.Sigmoid(x, destination); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }
}

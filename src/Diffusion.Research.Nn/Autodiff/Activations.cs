using System.Numerics.Tensors;

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

    /// <summary>SiLU'(x) = σ(x) (1 + x (1 − σ(x))).</summary>
    public static void SiluPrime(ReadOnlySpan<double> x, Span<double> destination)
    {
        TensorPrimitives.Sigmoid(x, destination);
        for (var i = 0; i < destination.Length; i++)
        {
            var s = destination[i];
            destination[i] = s * (1.0 + x[i] * (1.0 - s));
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

namespace Diffusion.Research.Nn.Autodiff;

/// <summary>
/// SiLU forward (keeping σ) or the fused first-order SiLU backward over a large tensor, cut into fixed blocks of
/// <see cref="BlockLength"/> entries (the last block takes the remainder, so no block is shorter than a vector) for
/// <see cref="BlockWorkers"/>. Each entry gets the same operations as in one call over the whole tensor, so the bits
/// do not depend on the thread count.
/// </summary>
internal sealed class SiluJob : IBlockJob
{
    /// <summary>Entries per block (a multiple of the vector width).</summary>
    public const int BlockLength = 8192;

    private double[] _x = [], _sigmoid = [], _destination = [], _gradient = [];
    private bool _backward;
    private int _length;

    /// <summary>Blocks of a tensor of <paramref name="length"/> entries (at least 1).</summary>
    public static int Blocks(int length) => Math.Max(1, length / BlockLength);

    /// <summary>Forward: destination = x σ(x), sigmoid = σ(x).</summary>
    public void SetForward(double[] x, double[] destination, double[] sigmoid, int length)
    {
        (_x, _destination, _sigmoid, _gradient, _backward, _length) = (x, destination, sigmoid, [], false, length);
    }

    /// <summary>Backward: destination = g ⊙ SiLU'(x) from the kept σ(x).</summary>
    public void SetBackward(double[] gradient, double[] x, double[] sigmoid, double[] destination, int length)
    {
        (_gradient, _x, _sigmoid, _destination, _backward, _length) = (gradient, x, sigmoid, destination, true, length);
    }

    /// <summary>Drops the references to the tensors.</summary>
    public void Clear() => (_x, _sigmoid, _destination, _gradient) = ([], [], [], []);

    /// <inheritdoc />
    public void Run(int block)
    {
        var start = block * BlockLength;
        var count = block == Blocks(_length) - 1 ? _length - start : BlockLength;
        if (_backward)
            Activations.GradientTimesSiluPrime(_gradient.AsSpan(start, count), _x.AsSpan(start, count), _sigmoid.AsSpan(start, count), _destination.AsSpan(start, count));
        else
            Activations.Silu(_x.AsSpan(start, count), _destination.AsSpan(start, count), _sigmoid.AsSpan(start, count));
    }
}

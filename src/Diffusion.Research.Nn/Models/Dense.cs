using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Models;

/// <summary>An affine layer y = x W + b with W (in x out) and b (1 x out).</summary>
public sealed class Dense
{
    /// <summary>A layer initialised uniformly on ±1/√in (the usual default), from <paramref name="noise"/> stream <paramref name="stream"/>.</summary>
    public Dense(string name, int inputs, int outputs, NoiseSource noise, uint stream, double gain = 1.0)
    {
        Weight = new Parameter(name + ".weight", inputs, outputs);
        Bias = new Parameter(name + ".bias", 1, outputs);
        var bound = gain / Math.Sqrt(inputs);
        for (var i = 0; i < inputs; i++)
        for (var j = 0; j < outputs; j++)
            Weight.Values[i * outputs + j] = bound * (2.0 * noise.Uniform(stream, i, j) - 1.0);
        for (var j = 0; j < outputs; j++)
            Bias.Values[j] = bound * (2.0 * noise.Uniform(stream, inputs, j) - 1.0);
    }

    /// <summary>W.</summary>
    public Parameter Weight { get; }

    /// <summary>b.</summary>
    public Parameter Bias { get; }

    /// <summary>Inputs.</summary>
    public int Inputs => Weight.Rows;

    /// <summary>Outputs.</summary>
    public int Outputs => Weight.Columns;

    /// <summary>x W + b on the tape.</summary>
    public Tensor Forward(Tape tape, Tensor x) => tape.Add(tape.MatMul(x, tape.Parameter(Weight)), tape.Parameter(Bias));

    /// <summary>x W + b on spans (rows x in to rows x out), bit-identical to the tape.</summary>
    internal void Forward(ReadOnlySpan<double> x, Span<double> destination, int rows)
    {
        MatrixKernels.MatMulRows(x, Weight.Values, destination, 0, rows, Inputs, Outputs);
        var b = Bias.Values.AsSpan();
        for (var r = 0; r < rows; r++)
        {
            var row = destination.Slice(r * Outputs, Outputs);
            System.Numerics.Tensors.TensorPrimitives.Add(row, b, row);
        }
    }
}

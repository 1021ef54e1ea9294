using System.Buffers;
using System.Numerics.Tensors;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Models;

/// <summary>
/// The MLP f(x, t): [x, embed(t)] → act(W₀ · + b₀) → (hidden layers, optionally residual) → W_out · + b_out.
/// Two evaluation paths share every kernel and give bit-identical values: the tape path (training,
/// derivatives of any order) and a tape-free, thread-safe inference path that rents its buffers from
/// <see cref="ArrayPool{T}"/> (no allocation in steady state).
/// </summary>
public sealed class MlpNetwork
{
    private const int RowChunk = 256;
    private readonly Dense[] _hidden;
    private readonly Dense _output;
    private readonly Parameter[] _parameters;

    /// <summary>A network from <paramref name="inputs"/> (plus the time embedding) to <paramref name="outputs"/>.</summary>
    public MlpNetwork(int inputs, int outputs, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        Options = options;
        Inputs = inputs;
        Outputs = outputs;
        var noise = new NoiseSource(options.Seed);
        Embedding = new TimeEmbedding(options.Embedding, options.EmbeddingFrequencies, options.FourierScale, noise.Derive(0xE3B));
        var init = noise.Derive(0x1417);
        _hidden = new Dense[options.HiddenLayers];
        _hidden[0] = new Dense("layer0", inputs + Embedding.Size, options.Width, init, 0);
        for (var l = 1; l < _hidden.Length; l++)
            _hidden[l] = new Dense($"layer{l}", options.Width, options.Width, init, (uint)l);
        _output = new Dense("output", options.Width, outputs, init, (uint)_hidden.Length);
        _parameters = [.. _hidden.SelectMany(d => new[] { d.Weight, d.Bias }), _output.Weight, _output.Bias];
    }

    /// <summary>The architecture.</summary>
    public ModelOptions Options { get; }

    /// <summary>Input dimension (without the embedding).</summary>
    public int Inputs { get; }

    /// <summary>Output dimension.</summary>
    public int Outputs { get; }

    /// <summary>The time embedding.</summary>
    public TimeEmbedding Embedding { get; }

    /// <summary>All trainable parameters, in a fixed order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The time features of each row's time (rows x embedding size), as a tape constant.</summary>
    public Tensor EmbedTimes(Tape tape, ReadOnlySpan<double> times)
    {
        ArgumentNullException.ThrowIfNull(tape);
        var e = tape.Constant(times.Length, Embedding.Size);
        for (var r = 0; r < times.Length; r++) Embedding.Embed(times[r], e.Row(r));
        return e;
    }

    /// <summary>f(x, t) on the tape; <paramref name="timeFeatures"/> comes from <see cref="EmbedTimes"/>.</summary>
    public Tensor Forward(Tape tape, Tensor x, Tensor timeFeatures)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Columns != Inputs) throw new ArgumentException($"x has {x.Columns} columns, the network takes {Inputs}.", nameof(x));
        var h = tape.Apply(Options.Activation, _hidden[0].Forward(tape, tape.ConcatColumns(x, timeFeatures)));
        for (var l = 1; l < _hidden.Length; l++)
        {
            var a = tape.Apply(Options.Activation, _hidden[l].Forward(tape, h));
            h = Options.Residual ? tape.Add(h, a) : a;
        }
        return _output.Forward(tape, h);
    }

    /// <summary>
    /// f(x, t) for every row of <paramref name="x"/> at one time, tape-free (thread-safe). When
    /// <paramref name="inputGradient"/> is given (scalar output only), it receives ∇ₓ f, the input
    /// gradient an energy model needs, by a hand-written reverse sweep over the same kernels.
    /// </summary>
    public void Evaluate(double t, Batch x, Span<double> output, Batch? inputGradient = null)
    {
        if (x.Dimension != Inputs) throw new ArgumentException($"x has dimension {x.Dimension}, the network takes {Inputs}.", nameof(x));
        if (output.Length != x.Count * Outputs) throw new ArgumentException($"Output has {output.Length} entries, {x.Count * Outputs} expected.", nameof(output));
        if (inputGradient is { } ig)
        {
            if (Outputs != 1) throw new InvalidOperationException("Input gradients are implemented for scalar outputs (energies) only.");
            x.RequireShape(ig, nameof(inputGradient));
        }
        var width = Options.Width;
        var layers = _hidden.Length;
        var inWidth = Inputs + Embedding.Size;
        var chunk = Math.Min(RowChunk, Math.Max(1, x.Count));
        var pool = ArrayPool<double>.Shared;
        var features = pool.Rent(Embedding.Size);
        var input = pool.Rent(chunk * inWidth);
        var pre = pool.Rent(layers * chunk * width); // pre-activations u_l, kept for the reverse sweep
        var h = pool.Rent(chunk * width);
        var a = pool.Rent(chunk * width);
        var o = pool.Rent(chunk * Outputs);
        try
        {
            var e = features.AsSpan(0, Embedding.Size);
            Embedding.Embed(t, e);
            for (var start = 0; start < x.Count; start += chunk)
            {
                var rows = Math.Min(chunk, x.Count - start);
                for (var r = 0; r < rows; r++)
                {
                    x.Row(start + r).CopyTo(input.AsSpan(r * inWidth, Inputs));
                    e.CopyTo(input.AsSpan(r * inWidth + Inputs, Embedding.Size));
                }
                var n = rows * width;
                _hidden[0].Forward(input, a, rows);
                a.AsSpan(0, n).CopyTo(pre.AsSpan(0, n));
                Activations.Apply(Options.Activation, pre.AsSpan(0, n), h.AsSpan(0, n));
                for (var l = 1; l < layers; l++)
                {
                    _hidden[l].Forward(h, a, rows);
                    var u = pre.AsSpan(l * chunk * width, n);
                    a.AsSpan(0, n).CopyTo(u);
                    Activations.Apply(Options.Activation, u, a.AsSpan(0, n)); // no aliasing: kernels read x after writing
                    if (Options.Residual) TensorPrimitives.Add(h.AsSpan(0, n), a.AsSpan(0, n), h.AsSpan(0, n));
                    else a.AsSpan(0, n).CopyTo(h.AsSpan(0, n));
                }
                _output.Forward(h, o, rows);
                o.AsSpan(0, rows * Outputs).CopyTo(output.Slice(start * Outputs, rows * Outputs));
                if (inputGradient is { } grad) InputGradient(pre, h, a, input, rows, chunk, grad.Slice(start, rows));
            }
        }
        finally
        {
            pool.Return(features);
            pool.Return(input);
            pool.Return(pre);
            pool.Return(h);
            pool.Return(a);
            pool.Return(o);
        }
    }

    // Reverse sweep of a scalar output: g ← ∂f/∂h, from the output layer down to the input columns.
    private void InputGradient(double[] pre, double[] g, double[] d, double[] scratch, int rows, int chunk, Batch destination)
    {
        var width = Options.Width;
        var n = rows * width;
        var w = _output.Weight.Values.AsSpan(0, width); // W_out is width x 1
        for (var r = 0; r < rows; r++) w.CopyTo(g.AsSpan(r * width, width));
        for (var l = _hidden.Length - 1; l >= 0; l--)
        {
            var u = pre.AsSpan(l * chunk * width, n);
            Activations.Derivative(Options.Activation, u, d.AsSpan(0, n));
            TensorPrimitives.Multiply(d.AsSpan(0, n), g.AsSpan(0, n), d.AsSpan(0, n)); // g ⊙ act'(u)
            var layer = _hidden[l];
            if (l == 0)
            {
                MatrixKernels.MatMulTransposeB(d, layer.Weight.Values, scratch, rows, width, layer.Inputs, 1);
                for (var r = 0; r < rows; r++)
                    scratch.AsSpan(r * layer.Inputs, Inputs).CopyTo(destination.Row(r));
            }
            else if (Options.Residual)
            {
                // h_l = h_{l−1} + act(u_l): g_{l−1} = g + (g ⊙ act'(u_l)) W_lᵀ
                MatMulTransposeBAccumulate(d, layer.Weight.Values, g, rows, width);
            }
            else
            {
                MatrixKernels.MatMulTransposeB(d, layer.Weight.Values, g, rows, width, width, 1);
            }
        }
    }

    private static void MatMulTransposeBAccumulate(double[] d, double[] weight, double[] g, int rows, int width)
    {
        for (var r = 0; r < rows; r++)
        {
            var dr = d.AsSpan(r * width, width);
            var gr = g.AsSpan(r * width, width);
            for (var j = 0; j < width; j++)
                gr[j] += TensorPrimitives.Dot(dr, weight.AsSpan(j * width, width));
        }
    }
}

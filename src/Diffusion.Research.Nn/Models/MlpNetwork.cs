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
        ArgumentNullException.ThrowIfNull(timeFeatures);
        if (timeFeatures.Rows != x.Rows) throw new ArgumentException($"timeFeatures has {timeFeatures.Rows} rows, x has {x.Rows}.", nameof(timeFeatures));
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
        // One rented array holds every buffer (one pool bucket, so steady state allocates nothing).
        int eSize = Embedding.Size, inSize = chunk * inWidth, preSize = layers * chunk * width, hSize = chunk * width, oSize = chunk * Outputs;
        var rented = ArrayPool<double>.Shared.Rent(eSize + inSize + preSize + 2 * hSize + oSize);
        try
        {
            var all = rented.AsSpan();
            var e = all[..eSize];
            var input = all.Slice(eSize, inSize);
            var pre = all.Slice(eSize + inSize, preSize); // pre-activations u_l, kept for the reverse sweep
            var h = all.Slice(eSize + inSize + preSize, hSize);
            var a = all.Slice(eSize + inSize + preSize + hSize, hSize);
            var o = all.Slice(eSize + inSize + preSize + 2 * hSize, oSize);
            Embedding.Embed(t, e);
            for (var start = 0; start < x.Count; start += chunk)
            {
                var rows = Math.Min(chunk, x.Count - start);
                for (var r = 0; r < rows; r++)
                {
                    x.Row(start + r).CopyTo(input.Slice(r * inWidth, Inputs));
                    e.CopyTo(input.Slice(r * inWidth + Inputs, Embedding.Size));
                }
                var n = rows * width;
                _hidden[0].Forward(input, a, rows);
                a[..n].CopyTo(pre);
                Activations.Apply(Options.Activation, pre[..n], h[..n]);
                for (var l = 1; l < layers; l++)
                {
                    _hidden[l].Forward(h, a, rows);
                    var u = pre.Slice(l * chunk * width, n);
                    a[..n].CopyTo(u);
                    Activations.Apply(Options.Activation, u, a[..n]); // no aliasing: kernels read x after writing
                    if (Options.Residual) TensorPrimitives.Add(h[..n], a[..n], h[..n]);
                    else a[..n].CopyTo(h);
                }
                _output.Forward(h, o, rows);
                o[..(rows * Outputs)].CopyTo(output.Slice(start * Outputs, rows * Outputs));
                if (inputGradient is { } grad) InputGradient(pre, h, a, input, rows, chunk, grad.Slice(start, rows));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    // Reverse sweep of a scalar output: g ← ∂f/∂h, from the output layer down to the input columns.
    private void InputGradient(Span<double> pre, Span<double> g, Span<double> d, Span<double> scratch, int rows, int chunk, Batch destination)
    {
        var width = Options.Width;
        var n = rows * width;
        var w = _output.Weight.Values.AsSpan(0, width); // W_out is width x 1
        for (var r = 0; r < rows; r++) w.CopyTo(g.Slice(r * width, width));
        for (var l = _hidden.Length - 1; l >= 0; l--)
        {
            var u = pre.Slice(l * chunk * width, n);
            Activations.Derivative(Options.Activation, u, d[..n]);
            TensorPrimitives.Multiply(d[..n], g[..n], d[..n]); // g ⊙ act'(u)
            var layer = _hidden[l];
            if (l == 0)
            {
                MatrixKernels.MatMulTransposeBRows(d, layer.Weight.Values, scratch, 0, rows, width, layer.Inputs);
                for (var r = 0; r < rows; r++)
                    scratch.Slice(r * layer.Inputs, Inputs).CopyTo(destination.Row(r));
            }
            else if (Options.Residual)
            {
                // h_l = h_{l−1} + act(u_l): g_{l−1} = g + (g ⊙ act'(u_l)) W_lᵀ
                MatMulTransposeBAccumulate(d, layer.Weight.Values, g, rows, width);
            }
            else
            {
                MatrixKernels.MatMulTransposeBRows(d, layer.Weight.Values, g, 0, rows, width, width);
            }
        }
    }

    private static void MatMulTransposeBAccumulate(ReadOnlySpan<double> d, ReadOnlySpan<double> weight, Span<double> g, int rows, int width)
    {
        for (var r = 0; r < rows; r++)
        {
            var dr = d.Slice(r * width, width);
            var gr = g.Slice(r * width, width);
            for (var j = 0; j < width; j++)
                gr[j] += TensorPrimitives.Dot(dr, weight.Slice(j * width, width));
        }
    }
}

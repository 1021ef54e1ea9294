using ILGPU;

namespace Diffusion.Research.Gpu;

/// <summary>
/// A trained MLP score model (Diffusion.Research.Nn MlpScoreModel) for one particle, forward pass only: the device twin of
/// MlpNetwork.Evaluate followed by the prediction-to-score map (001 eqs 37–38; Ho et al. 2020, §3.2; Karras et al. 2022,
/// eq (3)). Input [x, e(t)] with the time embedding
/// e(t) tabulated per slot on the host (TimeEmbedding.Embed, the CPU's own code), hidden layers h ← act(h W_l + b_l)
/// (plus h when residual), output o = h W_out + b_out accumulated over the input index in the order of
/// MatrixKernels.MatMulRows, then s = A x + B o with (A, B) per slot (PredictionMap.Apply in place).
/// </summary>
public struct DeviceMlpScore : IDeviceScore
{
    /// <summary>D (inputs and outputs of the network).</summary>
    public int Dimension;

    /// <summary>Size of the time embedding E.</summary>
    public int Embedding;

    /// <summary>Hidden width W.</summary>
    public int Width;

    /// <summary>Number of hidden layers L.</summary>
    public int Layers;

    /// <summary>0 silu, 1 tanh, 2 softplus (Diffusion.Research.Nn.Autodiff.Activation).</summary>
    public int Activation;

    /// <summary>1 for residual hidden layers 1..L−1.</summary>
    public int Residual;

    /// <summary>W_0 (D+E × W), b_0, W_1, b_1, …, W_out (W × D), b_out, row-major, concatenated.</summary>
    public ArrayView<double> Weights;

    /// <summary>Per slot: e(t) (E values), then A and B of the score map.</summary>
    public ArrayView<double> Tables;

    /// <summary>The exp and log constants (<see cref="MathConstants.Taylor"/>), read from the kernel parameter.</summary>
    public MathConstants Constants;

    /// <inheritdoc />
    public readonly int ScratchLength => Dimension + Embedding + 2 * Width;

    /// <inheritdoc />
    public readonly void Score(int slot, ArrayView<double> x, ArrayView<double> destination, ArrayView<double> scratch)
    {
        var d = Dimension;
        var e = Embedding;
        var w = Width;
        var inputs = d + e;
        long table = (long)slot * (e + 2);
        var input = scratch.SubView(0, inputs);
        var h = scratch.SubView(inputs, w);
        var a = scratch.SubView(inputs + w, w);
        for (var i = 0; i < d; i++) input[i] = x[i];
        for (var i = 0; i < e; i++) input[d + i] = Tables[table + i];

        // Layer 0: h = act(input W_0 + b_0).
        long offset = 0;
        Dense(input, inputs, offset, h, w);
        offset += (long)inputs * w + w;
        for (var j = 0; j < w; j++) h[j] = MlpActivation.Apply(Activation, h[j], Constants);
        for (var l = 1; l < Layers; l++)
        {
            Dense(h, w, offset, a, w);
            offset += (long)w * w + w;
            for (var j = 0; j < w; j++) a[j] = MlpActivation.Apply(Activation, a[j], Constants);
            if (Residual != 0) for (var j = 0; j < w; j++) h[j] = h[j] + a[j];
            else for (var j = 0; j < w; j++) h[j] = a[j];
        }
        Dense(h, w, offset, destination, d);
        var stateWeight = Tables[table + e];
        var predictionWeight = Tables[table + e + 1];
        for (var i = 0; i < d; i++) destination[i] = destination[i] * predictionWeight;
        for (var i = 0; i < d; i++) destination[i] = x[i] * stateWeight + destination[i];
    }

    // out_j = Σ_p in_p W[p, j] (accumulated in p order, as MatMulRows) + b_j; W at offset, b right after it.
    // Output-stationary, eight outputs at a time in registers: each input is loaded once per eight multiply-adds and
    // each output stored once (input-stationary accumulation stored every output once per input in
    // per-thread memory, two local-memory operations per multiply-add: the MLP kernel's bottleneck on the H200,
    // docs/gpu.md "Open"). Each output's sum has the same terms in the same order as before.
    private readonly void Dense(ArrayView<double> input, int inputs, long offset, ArrayView<double> output, int outputs)
    {
        var weights = Weights.SubView(offset, (long)inputs * outputs + outputs);
        var bias = inputs * outputs;
        var j = 0;
        for (; j + 8 <= outputs; j += 8)
        {
            double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, a4 = 0.0, a5 = 0.0, a6 = 0.0, a7 = 0.0;
            for (int p = 0, row = j; p < inputs; p++, row += outputs)
            {
                var v = input[p];
                var w = weights.SubView(row, 8); // one address per input: the eight loads at constant offsets
                a0 = a0 + v * w[0];
                a1 = a1 + v * w[1];
                a2 = a2 + v * w[2];
                a3 = a3 + v * w[3];
                a4 = a4 + v * w[4];
                a5 = a5 + v * w[5];
                a6 = a6 + v * w[6];
                a7 = a7 + v * w[7];
            }
            output[j] = a0 + weights[bias + j];
            output[j + 1] = a1 + weights[bias + j + 1];
            output[j + 2] = a2 + weights[bias + j + 2];
            output[j + 3] = a3 + weights[bias + j + 3];
            output[j + 4] = a4 + weights[bias + j + 4];
            output[j + 5] = a5 + weights[bias + j + 5];
            output[j + 6] = a6 + weights[bias + j + 6];
            output[j + 7] = a7 + weights[bias + j + 7];
        }
        for (; j < outputs; j++)
        {
            var sum = 0.0;
            for (int p = 0, row = j; p < inputs; p++, row += outputs) sum = sum + input[p] * weights[row];
            output[j] = sum + weights[bias + j];
        }
    }
}

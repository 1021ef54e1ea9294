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
        for (var j = 0; j < w; j++) h[j] = Activate(h[j]);
        for (var l = 1; l < Layers; l++)
        {
            Dense(h, w, offset, a, w);
            offset += (long)w * w + w;
            for (var j = 0; j < w; j++) a[j] = Activate(a[j]);
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
    private readonly void Dense(ArrayView<double> input, int inputs, long offset, ArrayView<double> output, int outputs)
    {
        for (var j = 0; j < outputs; j++) output[j] = 0.0;
        for (var p = 0; p < inputs; p++)
        {
            var v = input[p];
            var row = offset + (long)p * outputs;
            for (var j = 0; j < outputs; j++) output[j] = output[j] + v * Weights[row + j];
        }
        var bias = offset + (long)inputs * outputs;
        for (var j = 0; j < outputs; j++) output[j] = output[j] + Weights[bias + j];
    }

    // SiLU x σ(x) with σ = 1/(1 + e^−x) (Elfwing et al. 2018); tanh through e^{−2|x|}; softplus max(x, 0) + log(1 + e^{−|x|}).
    private readonly double Activate(double v)
    {
        if (Activation == 0) return v * (1.0 / (1.0 + DeviceMath.Exp(-v)));
        if (Activation == 1)
        {
            var t = DeviceMath.Exp(-2.0 * Math.Abs(v));
            var r = (1.0 - t) / (1.0 + t);
            return v < 0 ? -r : r;
        }
        return Math.Max(v, 0.0) + DeviceMath.Log(1.0 + DeviceMath.Exp(-Math.Abs(v)));
    }
}

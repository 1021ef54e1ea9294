using ILGPU;

namespace Diffusion.Research.Gpu;

/// <summary>
/// The MLP score of <see cref="DeviceMlpScore"/> (same network, tables and score map) evaluated by a thread group for its
/// <see cref="DeviceLimits.GroupParticles"/> particles at once (<see cref="IGroupScore"/>): each dense layer is a tiled
/// matrix product H_out = act(H_in W + b) over the group's activation rows in shared memory, stored feature-major (feature
/// k of the group's particle p at k·(P + 1) + p), each thread accumulating a tile of <see cref="TileParticles"/> particles ×
/// <see cref="TileOutputs"/> outputs in registers. A weight loaded from global memory serves eight particles and an
/// activation loaded from shared memory four outputs: twelve loads per 32 multiply-adds, where the per-particle kernel
/// loads a weight for every multiply-add (docs/gpu.md, "Design"). Every output is the same sum in the same
/// order as in DeviceMlpScore (Σ_q in_q W[q, j] from q = 0, then + b_j; MatrixKernels.MatMulRows), so the two kernels
/// give the same bits on the CPU accelerator (on CUDA to rounding: ptxas may contract multiply-adds differently).
/// </summary>
public struct DeviceTiledMlpScore : IGroupScore
{
    /// <summary>Particles per register tile.</summary>
    public const int TileParticles = 8;

    /// <summary>Outputs per register tile.</summary>
    public const int TileOutputs = 4;

    private const int P = DeviceLimits.GroupParticles;

    // Doubles per feature row of the shared buffers: P + 1, so that threads that handle different outputs of the same
    // particles (stores of the tiles, the activation pass) fall into different shared-memory banks; with rows of exactly
    // P doubles (128 bytes) the 16 column blocks of a warp would all hit the same two banks.
    private const int Q = DeviceLimits.GroupRow;
    private const int Linear = 0, Activated = 1, ResidualActivated = 2;

    /// <summary>The network, its time tables and the math constants (as for the per-particle kernel).</summary>
    public DeviceMlpScore Model;

    /// <inheritdoc />
    public readonly int ScratchLength => DeviceLimits.GroupShared;

    /// <inheritdoc />
    public readonly void Score(int slot, ArrayView<double> x, ArrayView<double> destination, ArrayView<double> scratch)
    {
        var m = Model;
        var d = m.Dimension;
        var e = m.Embedding;
        var w = m.Width;
        var member = Group.IdxX % P;
        // Two activation buffers and a result area of their own: the inputs of the next evaluation may be written while a
        // thread that fell behind still reads this one's result, and the result is written only after every thread has
        // passed the barrier below in the next evaluation, so no barrier is needed between evaluations.
        var a = scratch.SubView(0, Q * DeviceLimits.MaxWidth);
        var b = scratch.SubView(Q * DeviceLimits.MaxWidth, Q * DeviceLimits.MaxWidth);
        var result = scratch.SubView(2 * Q * DeviceLimits.MaxWidth, Q * DeviceLimits.MaxDimension);
        long table = (long)slot * (e + 2);
        if (Group.IdxX < P)
        {
            for (var i = 0; i < d; i++) a[i * Q + member] = x[i];
            for (var i = 0; i < e; i++) a[(d + i) * Q + member] = m.Tables[table + i];
        }
        Group.Barrier();
        // Layer 0: h = act(input W_0 + b_0); then h ← act(h W_l + b_l) (+ h when residual), alternating buffers.
        Dense(a, d + e, 0, b, w, Activated);
        long offset = (long)(d + e) * w + w;
        for (var l = 1; l < m.Layers; l++)
        {
            Group.Barrier();
            Dense(b, w, offset, a, w, m.Residual != 0 ? ResidualActivated : Activated);
            offset += (long)w * w + w;
            var swap = a;
            a = b;
            b = swap;
        }
        Group.Barrier();
        Dense(b, w, offset, result, d, Linear);
        Group.Barrier();
        var stateWeight = m.Tables[table + e];
        var predictionWeight = m.Tables[table + e + 1];
        for (var i = 0; i < d; i++) destination[i] = result[i * Q + member] * predictionWeight;
        for (var i = 0; i < d; i++) destination[i] = x[i] * stateWeight + destination[i];
    }

    // output = f(input W + b) for the group's P particles, W (inputs × outputs, row-major) at offset and b right after it;
    // f the identity, the activation, or the activation plus the input (residual). The group's threads take the units of
    // work in turn: tiles of TileParticles × TileOutputs, then the columns left over (outputs mod TileOutputs: the output
    // layer, widths not a multiple of four) as TileParticles × 1 each, so that even a layer of two outputs keeps
    // 2 P / TileParticles threads busy. Tile b holds the columns b, b + S, b + 2S, b + 3S (S = the number of tiles per
    // particle block), so that at each input the neighbouring threads of a warp load neighbouring weights: each weight
    // load of a warp reads one or two 128-byte lines (four columns side by side per thread would spread it over four,
    // four times the L1 wavefronts of the loads, which the fp64 work could not cover).
    private readonly void Dense(ArrayView<double> input, int inputs, long offset, ArrayView<double> output, int outputs, int mode)
    {
        const int particleBlocks = P / TileParticles;
        var weights = Model.Weights.SubView(offset, (long)inputs * outputs + outputs);
        var bias = inputs * outputs;
        var stride = outputs / TileOutputs;
        var tiled = stride * TileOutputs;
        var units = particleBlocks * (stride + outputs - tiled);
        for (var unit = Group.IdxX; unit < units; unit += Group.DimX)
        {
            var p = unit % particleBlocks * TileParticles;
            var block = unit / particleBlocks;
            int first, step, last;
            if (block < stride)
            {
                first = block;
                step = stride;
                last = tiled;
                Tile(input, inputs, weights, bias, output, outputs, p, first, stride);
            }
            else
            {
                first = tiled + block - stride;
                step = 1;
                last = first + 1;
                Column(input, inputs, weights, bias, output, outputs, p, first);
            }
            if (mode == Linear) continue;
            for (var j = first; j < last; j += step)
                for (var i = 0; i < TileParticles; i++)
                {
                    var index = j * Q + p + i;
                    var activated = MlpActivation.Apply(Model.Activation, output[index], Model.Constants);
                    output[index] = mode == ResidualActivated ? input[index] + activated : activated;
                }
        }
    }

    // The sums of outputs j, j + s, j + 2s, j + 3s for particles p..p+7, accumulated over the inputs in order, plus the biases.
    private static void Tile(ArrayView<double> input, int inputs, ArrayView<double> weights, int bias, ArrayView<double> output,
        int outputs, int p, int j, int s)
    {
        double a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
        double a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
        double a40 = 0, a41 = 0, a42 = 0, a43 = 0, a50 = 0, a51 = 0, a52 = 0, a53 = 0;
        double a60 = 0, a61 = 0, a62 = 0, a63 = 0, a70 = 0, a71 = 0, a72 = 0, a73 = 0;
        for (int q = 0, row = j, h = p; q < inputs; q++, row += outputs, h += Q)
        {
            var w0 = weights[row];
            var w1 = weights[row + s];
            var w2 = weights[row + 2 * s];
            var w3 = weights[row + 3 * s];
            var rows = input.SubView(h, TileParticles); // one address per input: the eight loads at constant offsets
            var v = rows[0];
            a00 = a00 + v * w0; a01 = a01 + v * w1; a02 = a02 + v * w2; a03 = a03 + v * w3;
            v = rows[1];
            a10 = a10 + v * w0; a11 = a11 + v * w1; a12 = a12 + v * w2; a13 = a13 + v * w3;
            v = rows[2];
            a20 = a20 + v * w0; a21 = a21 + v * w1; a22 = a22 + v * w2; a23 = a23 + v * w3;
            v = rows[3];
            a30 = a30 + v * w0; a31 = a31 + v * w1; a32 = a32 + v * w2; a33 = a33 + v * w3;
            v = rows[4];
            a40 = a40 + v * w0; a41 = a41 + v * w1; a42 = a42 + v * w2; a43 = a43 + v * w3;
            v = rows[5];
            a50 = a50 + v * w0; a51 = a51 + v * w1; a52 = a52 + v * w2; a53 = a53 + v * w3;
            v = rows[6];
            a60 = a60 + v * w0; a61 = a61 + v * w1; a62 = a62 + v * w2; a63 = a63 + v * w3;
            v = rows[7];
            a70 = a70 + v * w0; a71 = a71 + v * w1; a72 = a72 + v * w2; a73 = a73 + v * w3;
        }
        var b0 = weights[bias + j];
        var b1 = weights[bias + j + s];
        var b2 = weights[bias + j + 2 * s];
        var b3 = weights[bias + j + 3 * s];
        var o = j * Q + p; // output j, particle p; output j + c·s at o + c·s·Q
        var t = s * Q;
        output[o] = a00 + b0; output[o + t] = a01 + b1; output[o + 2 * t] = a02 + b2; output[o + 3 * t] = a03 + b3;
        o++;
        output[o] = a10 + b0; output[o + t] = a11 + b1; output[o + 2 * t] = a12 + b2; output[o + 3 * t] = a13 + b3;
        o++;
        output[o] = a20 + b0; output[o + t] = a21 + b1; output[o + 2 * t] = a22 + b2; output[o + 3 * t] = a23 + b3;
        o++;
        output[o] = a30 + b0; output[o + t] = a31 + b1; output[o + 2 * t] = a32 + b2; output[o + 3 * t] = a33 + b3;
        o++;
        output[o] = a40 + b0; output[o + t] = a41 + b1; output[o + 2 * t] = a42 + b2; output[o + 3 * t] = a43 + b3;
        o++;
        output[o] = a50 + b0; output[o + t] = a51 + b1; output[o + 2 * t] = a52 + b2; output[o + 3 * t] = a53 + b3;
        o++;
        output[o] = a60 + b0; output[o + t] = a61 + b1; output[o + 2 * t] = a62 + b2; output[o + 3 * t] = a63 + b3;
        o++;
        output[o] = a70 + b0; output[o + t] = a71 + b1; output[o + 2 * t] = a72 + b2; output[o + 3 * t] = a73 + b3;
    }

    // The sum of output j for particles p..p+7 (a column block narrower than a tile).
    private static void Column(ArrayView<double> input, int inputs, ArrayView<double> weights, int bias, ArrayView<double> output,
        int outputs, int p, int j)
    {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        for (int q = 0, row = j, h = p; q < inputs; q++, row += outputs, h += Q)
        {
            var wq = weights[row];
            var rows = input.SubView(h, TileParticles);
            a0 = a0 + rows[0] * wq;
            a1 = a1 + rows[1] * wq;
            a2 = a2 + rows[2] * wq;
            a3 = a3 + rows[3] * wq;
            a4 = a4 + rows[4] * wq;
            a5 = a5 + rows[5] * wq;
            a6 = a6 + rows[6] * wq;
            a7 = a7 + rows[7] * wq;
        }
        var b = weights[bias + j];
        var o = j * Q + p;
        output[o] = a0 + b;
        output[o + 1] = a1 + b;
        output[o + 2] = a2 + b;
        output[o + 3] = a3 + b;
        output[o + 4] = a4 + b;
        output[o + 5] = a5 + b;
        output[o + 6] = a6 + b;
        output[o + 7] = a7 + b;
    }
}

using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Gpu;

/// <summary>Host side of <see cref="DeviceMlpScore"/>: the weights in kernel order and, per time slot, the embedding and score map.</summary>
public sealed class MlpScoreTables
{
    private readonly MlpScoreModel _model;

    /// <summary>Flattens <paramref name="model"/>; throws <see cref="NotSupportedException"/> beyond the device limits.</summary>
    public MlpScoreTables(MlpScoreModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Unsupported(model) is { } reason) throw new NotSupportedException(reason);
        _model = model;
        // Parameters are [W_0, b_0, ..., W_{L-1}, b_{L-1}, W_out, b_out] (MlpNetwork), each row-major: the kernel's order.
        Weights = [.. model.Parameters.SelectMany(p => p.Values)];
    }

    /// <summary>Null when the model fits the device kernel, else why not.</summary>
    public static string? Unsupported(MlpScoreModel model)
    {
        var o = model.Options;
        if (model.Dimension > DeviceLimits.MaxDimension) return $"the device kernels handle dimension up to {DeviceLimits.MaxDimension}, the model has {model.Dimension}";
        if (o.Width > DeviceLimits.MaxWidth) return $"the device MLP kernel handles width up to {DeviceLimits.MaxWidth}, the model has {o.Width}";
        if (model.Network.Embedding.Size > DeviceLimits.MaxEmbedding) return $"the device MLP kernel handles time embeddings up to {DeviceLimits.MaxEmbedding} features, the model has {model.Network.Embedding.Size}";
        return null;
    }

    /// <summary>The concatenated parameters.</summary>
    public double[] Weights { get; }

    /// <summary>Doubles per slot: E + 2.</summary>
    public int Stride => _model.Network.Embedding.Size + 2;

    /// <summary>The kernel struct over device views of <see cref="Weights"/> and the slot tables.</summary>
    public DeviceMlpScore Device(ILGPU.ArrayView<double> weights, ILGPU.ArrayView<double> tables) => new()
    {
        Dimension = _model.Dimension,
        Embedding = _model.Network.Embedding.Size,
        Width = _model.Options.Width,
        Layers = _model.Options.HiddenLayers,
        Activation = (int)_model.Options.Activation,
        Residual = _model.Options.Residual ? 1 : 0,
        Weights = weights,
        Tables = tables,
        Constants = MathConstants.Taylor,
    };

    /// <summary>Writes e(t), A, B for time <paramref name="t"/> (MlpScoreModel.Score: the raw output when it is a score,
    /// else the map of PredictionConversion).</summary>
    public void Fill(double t, Span<double> destination)
    {
        var e = _model.Network.Embedding.Size;
        _model.Network.Embedding.Embed(t, destination[..e]);
        var map = _model.Output == Prediction.Score ? new PredictionMap(0.0, 1.0) : PredictionConversion.Map(_model.Output, Prediction.Score, _model.Kernel!, t);
        destination[e] = map.StateWeight;
        destination[e + 1] = map.PredictionWeight;
    }
}

using System.Numerics.Tensors;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Models;

/// <summary>
/// A fixed (untrained) embedding of the time t into 2F features [sin(ω t), cos(ω t)], ω ∈ ℝ^F.
/// Networks never differentiate with respect to t, so the embedding is a plain span function that
/// the tape and the inference path share (bit-identical features in both).
/// </summary>
public sealed class TimeEmbedding
{
    private readonly double[] _frequencies;

    /// <summary>An embedding with <paramref name="features"/> frequencies (2 · features outputs).</summary>
    public TimeEmbedding(TimeEmbeddingKind kind, int features, double fourierScale, NoiseSource noise)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (!(fourierScale > 0) || !double.IsFinite(fourierScale))
            throw new ArgumentOutOfRangeException(nameof(fourierScale), fourierScale, "The Fourier scale must be positive and finite.");
        Kind = kind;
        _frequencies = new double[features];
        for (var k = 0; k < features; k++)
        {
            _frequencies[k] = kind switch
            {
                TimeEmbeddingKind.GaussianFourier => 2.0 * Math.PI * fourierScale * noise.Gaussian(0, k, 0),
                TimeEmbeddingKind.Sinusoidal => 1000.0 * Math.Exp(-Math.Log(10000.0) * k / features),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown embedding."),
            };
        }
    }

    /// <summary>The kind.</summary>
    public TimeEmbeddingKind Kind { get; }

    /// <summary>Number of output features (2F).</summary>
    public int Size => 2 * _frequencies.Length;

    /// <summary>The frequencies ω (copy).</summary>
    public double[] Frequencies => (double[])_frequencies.Clone();

    /// <summary>Writes the features of time <paramref name="t"/> into <paramref name="destination"/> (length <see cref="Size"/>).</summary>
    public void Embed(double t, Span<double> destination)
    {
        if (destination.Length != Size) throw new ArgumentException($"Destination has {destination.Length} entries, the embedding {Size}.", nameof(destination));
        var f = _frequencies.Length;
        var sin = destination[..f];
        var cos = destination[f..];
        TensorPrimitives.Multiply(_frequencies, t, sin);
        TensorPrimitives.Cos(sin, cos);
        TensorPrimitives.Sin(sin, sin);
    }
}

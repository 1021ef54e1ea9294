using Diffusion.Research.Numerics;

namespace Diffusion.Research.Metrics;

/// <summary>A distance between a set of generated samples and a set of reference samples (smaller is closer).</summary>
public interface ISampleMetric
{
    /// <summary>Registry name, e.g. <c>sliced_w2</c>.</summary>
    string Name { get; }

    /// <summary>The distance between <paramref name="samples"/> and <paramref name="reference"/> (same dimension,
    /// finite values, sizes may differ).</summary>
    double Compute(Batch samples, Batch reference);
}

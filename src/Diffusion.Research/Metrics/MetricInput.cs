using Diffusion.Research.Numerics;

namespace Diffusion.Research.Metrics;

/// <summary>Argument checks every metric applies before it starts.</summary>
internal static class MetricInput
{
    /// <summary>Throws unless both batches have the same dimension, at least <paramref name="minimumCount"/> rows
    /// and only finite values.</summary>
    public static void Require(Batch samples, Batch reference, int minimumCount = 1)
    {
        if (samples.Dimension != reference.Dimension)
            throw new ArgumentException($"Samples have dimension {samples.Dimension}, the reference has {reference.Dimension}.", nameof(reference));
        Require(samples, nameof(samples), minimumCount);
        Require(reference, nameof(reference), minimumCount);
    }

    /// <summary>Throws unless <paramref name="batch"/> has at least <paramref name="minimumCount"/> rows of finite values.</summary>
    public static void Require(Batch batch, string name, int minimumCount = 1)
    {
        if (batch.Count < minimumCount)
            throw new ArgumentException($"'{name}' has {batch.Count} rows; at least {minimumCount} are needed.", name);
        if (!batch.IsFinite())
            throw new ArgumentException($"'{name}' contains NaN or infinite values (did the solver diverge? check Solution.Status).", name);
    }

    /// <summary>The first <paramref name="maximum"/> rows (the documented deterministic subsample of O(N^2) metrics).</summary>
    public static Batch Head(Batch batch, int maximum) => batch.Count <= maximum ? batch : batch.Slice(0, maximum);
}

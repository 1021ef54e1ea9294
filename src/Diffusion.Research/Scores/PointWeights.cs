namespace Diffusion.Research.Scores;

/// <summary>Validation of the weights of a weighted point set (samples with 1/N, or quadrature nodes).</summary>
internal static class PointWeights
{
    /// <summary>Throws unless there is one finite weight per point.</summary>
    public static void Require(ReadOnlySpan<double> weights, int count)
    {
        if (weights.Length != count)
            throw new ArgumentException($"{weights.Length} weights given for {count} points.", nameof(weights));
        for (var i = 0; i < weights.Length; i++)
            if (!double.IsFinite(weights[i]))
                throw new ArgumentException($"Weight {i} is {weights[i]}.", nameof(weights));
    }
}

using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// What a loss sees in one training step: clean data rows x₀, a time and a weight per row, the
/// perturbation kernel, and the noise to draw ε and probes from.
/// </summary>
public sealed record LossBatch
{
    /// <summary>A batch; <paramref name="times"/> and <paramref name="weights"/> have one entry per row of <paramref name="data"/>.</summary>
    public LossBatch(Batch data, double[] times, double[] weights, IKernel kernel, NoiseSource noise, uint stream, long firstParticle)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(kernel);
        if (times.Length < data.Count) throw new ArgumentException($"{times.Length} times for {data.Count} rows.", nameof(times));
        if (weights.Length < data.Count) throw new ArgumentException($"{weights.Length} weights for {data.Count} rows.", nameof(weights));
        Data = data;
        Times = times;
        Weights = weights;
        Kernel = kernel;
        Noise = noise;
        Stream = stream;
        FirstParticle = firstParticle;
    }

    /// <summary>Clean samples x₀ (N x D).</summary>
    public Batch Data { get; init; }

    /// <summary>t per row.</summary>
    public double[] Times { get; init; }

    /// <summary>The weight of each row's loss: λ(t) times any importance-sampling correction.</summary>
    public double[] Weights { get; init; }

    /// <summary>p_t(x_t | x₀) = N(α_t x₀, σ_t² I).</summary>
    public IKernel Kernel { get; init; }

    /// <summary>Source of ε and of probes.</summary>
    public NoiseSource Noise { get; init; }

    /// <summary>Stream of this step (one per step).</summary>
    public uint Stream { get; init; }

    /// <summary>Global index of row 0.</summary>
    public long FirstParticle { get; init; }

    /// <summary>The exact score ∇ log p_t of the noised data, needed by explicit score matching only.</summary>
    public IScoreModel? ExactScore { get; init; }

    /// <summary>Number of rows.</summary>
    public int Count => Data.Count;
}

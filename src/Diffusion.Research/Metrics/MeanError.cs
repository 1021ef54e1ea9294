using Diffusion.Research.Numerics;

namespace Diffusion.Research.Metrics;

/// <summary><c>mean_error</c>: Euclidean norm of the difference of the sample means, |mean(samples) - mean(reference)|.</summary>
public sealed class MeanError : ISampleMetric
{
    /// <inheritdoc />
    public string Name => "mean_error";

    /// <inheritdoc />
    public double Compute(Batch samples, Batch reference)
    {
        MetricInput.Require(samples, reference);
        var d = samples.Dimension;
        var a = SampleMoments.Mean(samples);
        var b = SampleMoments.Mean(reference);
        var sum = 0.0;
        for (var i = 0; i < d; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(sum);
    }

    /// <summary>Registers mean_error (<see cref="MetricRegistry.CreateDefault"/>).</summary>
    internal static void Register(MetricRegistry r) => r.Register("mean_error", "Euclidean norm of the difference of sample means", _ => new MeanError());
}

using Diffusion.Research.Numerics;

namespace Diffusion.Research.Metrics;

/// <summary><c>cov_error</c>: Frobenius norm of the difference of the unbiased (1/(N-1)) sample covariance matrices.</summary>
public sealed class CovarianceError : ISampleMetric
{
    /// <inheritdoc />
    public string Name => "cov_error";

    /// <inheritdoc />
    public double Compute(Batch samples, Batch reference)
    {
        MetricInput.Require(samples, reference, 2);
        var a = SampleMoments.Covariance(samples);
        var b = SampleMoments.Covariance(reference);
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(sum);
    }

    /// <summary>Registers cov_error (<see cref="MetricRegistry.CreateDefault"/>).</summary>
    internal static void Register(MetricRegistry r) => r.Register("cov_error", "Frobenius norm of the difference of sample covariances", _ => new CovarianceError());
}

using Diffusion.Research.Data;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sde;

/// <summary>
/// The isotropic prior N(0, s² I) that sampling from a linear SDE starts from
/// (003 Table 4.1: N(0, σ²(T) I) for VE, N(0, I) for VP). Row i of a sample is
/// s·z with z the standard normal draws of particle <c>firstParticle + i</c>, stream 0.
/// </summary>
public sealed class GaussianPrior : IDistribution
{
    private readonly double _logNormaliser;

    /// <summary>N(0, <paramref name="standardDeviation"/>² I) in <paramref name="dimension"/> dimensions.</summary>
    public GaussianPrior(double standardDeviation, int dimension)
    {
        TimeArgument.RequirePositive(standardDeviation, nameof(standardDeviation));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        StandardDeviation = standardDeviation;
        Dimension = dimension;
        Variance = standardDeviation * standardDeviation;
        _logNormaliser = -0.5 * dimension * Math.Log(2 * Math.PI * Variance);
    }

    /// <summary>s.</summary>
    public double StandardDeviation { get; }

    /// <summary>s².</summary>
    public double Variance { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public void Sample(Batch destination, NoiseSource noise, long firstParticle)
    {
        RequireDimension(destination, nameof(destination));
        noise.FillGaussian(0u, firstParticle, destination);
        var values = destination.Values;
        System.Numerics.Tensors.TensorPrimitives.Multiply(values, StandardDeviation, values);
    }

    /// <inheritdoc />
    public void LogDensity(Batch x, Span<double> destination)
    {
        RequireDimension(x, nameof(x));
        if (destination.Length != x.Count)
            throw new ArgumentException($"Destination has {destination.Length} entries, expected {x.Count}.", nameof(destination));
        for (var i = 0; i < x.Count; i++)
        {
            ReadOnlySpan<double> row = x.Row(i);
            destination[i] = _logNormaliser - 0.5 * System.Numerics.Tensors.TensorPrimitives.Dot(row, row) / Variance;
        }
    }

    /// <inheritdoc />
    public void Score(Batch x, Batch destination)
    {
        RequireDimension(x, nameof(x));
        x.RequireShape(destination, nameof(destination));
        System.Numerics.Tensors.TensorPrimitives.Multiply(x.Values, -1.0 / Variance, destination.Values);
    }

    private void RequireDimension(Batch b, string name)
    {
        if (b.Dimension != Dimension)
            throw new ArgumentException($"Batch '{name}' has dimension {b.Dimension}, the prior has {Dimension}.", name);
    }

    /// <inheritdoc />
    public override string ToString() => $"N(0, {Variance} I_{Dimension})";
}

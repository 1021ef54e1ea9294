using System.Numerics.Tensors;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Metrics;

/// <summary>
/// <c>sliced_w2</c>: the sliced Wasserstein-2 distance SW2 = sqrt( (1/P) sum_p W2^2(theta_p . X, theta_p . Y) ) over P
/// fixed random unit directions theta_p (Gaussian draws of a seeded source, normalised, so the same seed gives the
/// same directions for a given dimension). Each 1-D W2^2 is computed exactly between the two empirical measures:
/// W2^2 = int_0^1 (F^-1(u) - G^-1(u))^2 du with the step quantile functions of the sorted projections. For equal sizes
/// this is the mean squared difference of sorted values; for unequal sizes N, M the integral is taken exactly on the
/// merged levels {i/N} U {j/M} (quantile matching, no resampling).
/// </summary>
/// <remarks>Sample sizes are not capped (cost O(P (N log N + M log M))). See <see cref="EstimateNoiseFloor"/> and
/// docs/data.md for the value SW2 takes between two independent samples of the same distribution.</remarks>
public sealed class SlicedWasserstein : ISampleMetric
{
    private const ulong DirectionTag = 0x536C696365645732UL; // "SlicedW2"

    /// <summary>A sliced W2 with <paramref name="projections"/> directions drawn from <paramref name="seed"/>.</summary>
    public SlicedWasserstein(int projections = 128, ulong seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(projections);
        Projections = projections;
        Seed = seed;
    }

    /// <summary>Number of projection directions P.</summary>
    public int Projections { get; }

    /// <summary>Seed of the directions.</summary>
    public ulong Seed { get; }

    /// <inheritdoc />
    public string Name => "sliced_w2";

    /// <summary>The P unit directions used in <paramref name="dimension"/> dimensions (row p = theta_p).</summary>
    public Batch Directions(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        var directions = new Batch(Projections, dimension);
        var noise = new NoiseSource(Seed).Derive(DirectionTag);
        for (var p = 0; p < Projections; p++)
        {
            var row = directions.Row(p);
            if (dimension == 1) { row[0] = 1.0; continue; }
            noise.FillGaussian(0, p, row);
            TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
        }
        return directions;
    }

    /// <inheritdoc />
    public double Compute(Batch samples, Batch reference)
    {
        MetricInput.Require(samples, reference);
        var directions = Directions(samples.Dimension);
        var a = new double[samples.Count];
        var b = new double[reference.Count];
        var total = 0.0;
        for (var p = 0; p < Projections; p++)
        {
            var theta = directions.Row(p);
            Project(samples, theta, a);
            Project(reference, theta, b);
            Array.Sort(a);
            Array.Sort(b);
            total += SquaredDistance1D(a, b);
        }
        return Math.Sqrt(total / Projections);
    }

    /// <summary>Exact W2^2 between the empirical measures of two SORTED arrays (sizes may differ).</summary>
    public static double SquaredDistance1D(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        if (sortedA.IsEmpty || sortedB.IsEmpty) throw new ArgumentException("Both samples must be non-empty.", nameof(sortedA));
        long n = sortedA.Length, m = sortedB.Length;
        // Levels in units of 1/(n m): sample i of A covers (i m, (i+1) m], sample j of B covers (j n, (j+1) n].
        long level = 0;
        int i = 0, j = 0;
        var total = 0.0;
        while (i < n && j < m)
        {
            var endA = (i + 1) * m;
            var endB = (j + 1) * n;
            var next = Math.Min(endA, endB);
            var diff = sortedA[i] - sortedB[j];
            total += (next - level) * diff * diff;
            level = next;
            if (endA == next) i++;
            if (endB == next) j++;
        }
        return total / ((double)n * m);
    }

    /// <summary>
    /// Monte Carlo noise floor: SW2 between two independent samples (sizes <paramref name="sampleSize"/> and
    /// <paramref name="referenceSize"/>) of the same data set, over <paramref name="repeats"/> independent pairs drawn
    /// from <paramref name="noise"/>. A solver's SW2 against a reference cannot be expected to go below this.
    /// </summary>
    public NoiseFloor EstimateNoiseFloor(IDataSet data, int sampleSize, int referenceSize, int repeats, NoiseSource noise)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(referenceSize);
        if (repeats < 2) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "At least 2 repeats are needed for a spread.");
        var a = new Batch(sampleSize, data.Dimension);
        var b = new Batch(referenceSize, data.Dimension);
        var values = new double[repeats];
        for (var r = 0; r < repeats; r++)
        {
            data.Sample(a, noise.Derive((ulong)(2 * r)), 0);
            data.Sample(b, noise.Derive((ulong)(2 * r + 1)), 0);
            values[r] = Compute(a, b);
        }
        var mean = TensorPrimitives.Sum<double>(values) / repeats;
        var variance = 0.0;
        foreach (var v in values) variance += (v - mean) * (v - mean);
        return new NoiseFloor(mean, Math.Sqrt(variance / (repeats - 1)), TensorPrimitives.Max<double>(values), repeats);
    }

    private static void Project(Batch x, ReadOnlySpan<double> theta, double[] destination)
    {
        var d = x.Dimension;
        var values = x.Values;
        if (d == 2)
        {
            double t0 = theta[0], t1 = theta[1];
            for (var i = 0; i < destination.Length; i++) destination[i] = values[2 * i] * t0 + values[2 * i + 1] * t1;
            return;
        }
        for (var i = 0; i < destination.Length; i++) destination[i] = TensorPrimitives.Dot(values.Slice(i * d, d), theta);
    }

    /// <summary>Registers sliced_w2 (<see cref="MetricRegistry.CreateDefault"/>).</summary>
    internal static void Register(MetricRegistry r) =>
        r.Register("sliced_w2", "sliced Wasserstein-2, fixed random directions, exact 1-D quantile matching",
            p => new SlicedWasserstein(p.Integer("projections"), p.Integer("seed") is var seed && seed >= 0 ? (ulong)seed : throw new ParameterException("seed", "The seed of sliced_w2 must be >= 0.")),
            ParameterSpec.Integer("projections", 128, "random directions"), ParameterSpec.Integer("seed", 0, "seed of the directions"));
}

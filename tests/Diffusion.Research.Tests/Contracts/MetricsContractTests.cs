using Diffusion.Research.Data;
using Diffusion.Research.Metrics;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of src/Diffusion.Research/Metrics: the boundary, the parameter name and the message.</summary>
public class MetricsContractTests
{

    private static Batch Rows(int n, int d = 2, double shift = 0.0)
    {
        var x = new Batch(n, d);
        for (var i = 0; i < n; i++)
            for (var j = 0; j < d; j++) x.Set(i, j, shift + 0.37 * (i + 1) - 0.25 * j * i);
        return x;
    }

    private static Batch WithValue(Batch x, double value)
    {
        x.Set(x.Count - 1, x.Dimension - 1, value);
        return x;
    }

    [Fact]
    public void EnergyDistance_needs_two_samples()
    {
        Refused<ArgumentOutOfRangeException>("maxSamples", "At least 2 samples are needed.", () => new EnergyDistance(1));
        Refused<ArgumentOutOfRangeException>("maxSamples", "At least 2 samples are needed.", () => new EnergyDistance(0));
        Assert.Equal(2, new EnergyDistance(2).MaxSamples);
    }

    [Fact]
    public void MaximumMeanDiscrepancy_checks_its_arguments()
    {
        Refused<ArgumentException>("bandwidths", "At least one bandwidth is needed.", () => new MaximumMeanDiscrepancy([]));
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentException>("bandwidths", $"Bandwidth {bad} must be finite and positive.", () => new MaximumMeanDiscrepancy([2.5, bad]));
        Assert.Equal(double.Epsilon, new MaximumMeanDiscrepancy([2.5, double.Epsilon]).Bandwidths[1]);
        Assert.Equal(MaximumMeanDiscrepancy.DefaultBandwidths, new MaximumMeanDiscrepancy().Bandwidths);
        Refused<ArgumentOutOfRangeException>("maxSamples", "At least 2 samples are needed.", () => new MaximumMeanDiscrepancy([2.5], 1));
        Assert.Equal(2, new MaximumMeanDiscrepancy([2.5], 2).MaxSamples);
    }

    [Fact]
    public void Metrics_check_their_batches()
    {
        ISampleMetric[] all = [new SlicedWasserstein(4), new MaximumMeanDiscrepancy(), new EnergyDistance(), new MeanError(), new CovarianceError(), new KolmogorovSmirnov()];
        foreach (var metric in all)
        {
            Refused<ArgumentException>("reference", "Samples have dimension 2, the reference has 3.", () => metric.Compute(Rows(4), Rows(4, 3)));
            Refused<ArgumentException>("reference", "Samples have dimension 3, the reference has 2.", () => metric.Compute(Rows(4, 3), Rows(4)));
            foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            {
                Refused<ArgumentException>("samples", "'samples' contains NaN or infinite values (did the solver diverge? check Solution.Status).",
                    () => metric.Compute(WithValue(Rows(4), bad), Rows(4)));
                Refused<ArgumentException>("reference", "'reference' contains NaN or infinite values (did the solver diverge? check Solution.Status).",
                    () => metric.Compute(Rows(4), WithValue(Rows(4), bad)));
            }
            Assert.True(double.IsFinite(metric.Compute(Rows(4), Rows(5, 2, 0.25))), metric.Name);
        }

        // Two rows for the pair statistics and the covariance, one for the rest.
        foreach (var metric in new ISampleMetric[] { new MaximumMeanDiscrepancy(), new EnergyDistance(), new CovarianceError() })
        {
            Refused<ArgumentException>("samples", "'samples' has 1 rows; at least 2 are needed.", () => metric.Compute(Rows(1), Rows(4)));
            Refused<ArgumentException>("reference", "'reference' has 1 rows; at least 2 are needed.", () => metric.Compute(Rows(4), Rows(1)));
            Assert.True(double.IsFinite(metric.Compute(Rows(2), Rows(2, 2, 0.25))), metric.Name);
        }
        foreach (var metric in new ISampleMetric[] { new SlicedWasserstein(4), new MeanError(), new KolmogorovSmirnov() })
        {
            Refused<ArgumentException>("samples", "'samples' has 0 rows; at least 1 are needed.", () => metric.Compute(new Batch(0, 2), Rows(4)));
            Refused<ArgumentException>("reference", "'reference' has 0 rows; at least 1 are needed.", () => metric.Compute(Rows(4), new Batch(0, 2)));
            Assert.True(metric.Compute(Rows(1), Rows(1, 2, 0.25)) > 0, metric.Name);
        }
    }

    [Fact]
    public void SampleMoments_check_the_row_count()
    {
        Refused<ArgumentException>("x", "The batch is empty.", () => SampleMoments.Mean(new Batch(0, 2)));
        Assert.Equal(0.37, SampleMoments.Mean(Rows(1))[0]);
        Refused<ArgumentException>("x", "A covariance needs at least 2 rows, got 1.", () => SampleMoments.Covariance(Rows(1)));
        Refused<ArgumentException>("x", "A covariance needs at least 2 rows, got 0.", () => SampleMoments.Covariance(new Batch(0, 2)));
        Assert.Equal(0.37 * 0.37 / 2, SampleMoments.Covariance(Rows(2))[0], 12);
    }

    [Fact]
    public void KolmogorovSmirnov_checks_its_arguments()
    {
        var x = Rows(3);
        Assert.Equal("cdf", Assert.Throws<ArgumentNullException>(() => KolmogorovSmirnov.OneSample(x, 0, null!)).ParamName);
        Refused<ArgumentException>("samples", "'samples' has 0 rows; at least 1 are needed.", () => KolmogorovSmirnov.OneSample(new Batch(0, 2), 0, _ => 0.5));
        Refused<ArgumentException>("samples", "'samples' contains NaN or infinite values", () => KolmogorovSmirnov.OneSample(WithValue(Rows(3), double.NaN), 0, _ => 0.5));
        foreach (var bad in new[] { 1.5, -0.25, double.NaN })
            Refused<ArgumentException>("cdf", $"cdf({0.37}) = {bad} is not in [0, 1].", () => KolmogorovSmirnov.OneSample(x, 0, _ => bad));
        Assert.Equal(1.0, KolmogorovSmirnov.OneSample(x, 0, _ => 0.0));
        Assert.Equal(1.0, KolmogorovSmirnov.OneSample(x, 0, _ => 1.0));

        foreach (var bad in new[] { 2, -1 })
        {
            Refused<ArgumentOutOfRangeException>("coordinate", "Coordinate outside [0, 2).", () => KolmogorovSmirnov.OneSample(x, bad, _ => 0.5));
            Refused<ArgumentOutOfRangeException>("coordinate", "Coordinate outside [0, 2).", () => KolmogorovSmirnov.TwoSample(x, Rows(3), bad));
        }
        Assert.Equal(0.0, KolmogorovSmirnov.TwoSample(x, Rows(3), 1));
        Assert.Equal(0.0, KolmogorovSmirnov.TwoSample(x, Rows(3), 0));

        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => KolmogorovSmirnov.DkwBound(0, 0.37)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => KolmogorovSmirnov.DkwBound(-1, 0.37)).ParamName);
        Assert.Equal(Math.Sqrt(Math.Log(2 / 0.37) / 2), KolmogorovSmirnov.DkwBound(1, 0.37), 12);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => KolmogorovSmirnov.TwoSampleCriticalValue(0, 3, 0.37)).ParamName);
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => KolmogorovSmirnov.TwoSampleCriticalValue(3, 0, 0.37)).ParamName);
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => KolmogorovSmirnov.TwoSampleCriticalValue(3, -1, 0.37)).ParamName);
        Assert.Equal(Math.Sqrt(Math.Log(2 / 0.37) / 2) * Math.Sqrt(2.0), KolmogorovSmirnov.TwoSampleCriticalValue(1, 1, 0.37), 12);
        foreach (var bad in new[] { 0.0, 1.0, -0.37, 2.5, double.NaN })
        {
            Refused<ArgumentOutOfRangeException>("alpha", "alpha must be in (0, 1).", () => KolmogorovSmirnov.DkwBound(3, bad));
            Refused<ArgumentOutOfRangeException>("alpha", "alpha must be in (0, 1).", () => KolmogorovSmirnov.TwoSampleCriticalValue(3, 4, bad));
        }
        Assert.True(KolmogorovSmirnov.DkwBound(3, 0.999) > 0);
        Assert.True(KolmogorovSmirnov.TwoSampleCriticalValue(3, 4, 1e-300) > 0);
    }

    [Fact]
    public void SlicedWasserstein_checks_its_arguments()
    {
        Assert.Equal("projections", Assert.Throws<ArgumentOutOfRangeException>(() => new SlicedWasserstein(0)).ParamName);
        Assert.Equal("projections", Assert.Throws<ArgumentOutOfRangeException>(() => new SlicedWasserstein(-1)).ParamName);
        var metric = new SlicedWasserstein(1, 7);
        Assert.Equal(1, metric.Projections);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => metric.Directions(0)).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => metric.Directions(-1)).ParamName);
        Assert.Equal(1.0, metric.Directions(1)[0, 0]);

        Refused<ArgumentException>("sortedA", "Both samples must be non-empty.", () => SlicedWasserstein.SquaredDistance1D([], [0.37]));
        Refused<ArgumentException>("sortedA", "Both samples must be non-empty.", () => SlicedWasserstein.SquaredDistance1D([0.37], []));
        Assert.Equal(0.25, SlicedWasserstein.SquaredDistance1D([0.37], [0.87]), 12);

        var data = Gaussian.Centered(2, 1.0);
        var noise = new NoiseSource(7);
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => metric.EstimateNoiseFloor(null!, 3, 3, 2, noise)).ParamName);
        Assert.Equal("sampleSize", Assert.Throws<ArgumentOutOfRangeException>(() => metric.EstimateNoiseFloor(data, 0, 3, 2, noise)).ParamName);
        Assert.Equal("referenceSize", Assert.Throws<ArgumentOutOfRangeException>(() => metric.EstimateNoiseFloor(data, 3, 0, 2, noise)).ParamName);
        Refused<ArgumentOutOfRangeException>("repeats", "At least 2 repeats are needed for a spread.", () => metric.EstimateNoiseFloor(data, 3, 3, 1, noise));
        Refused<ArgumentOutOfRangeException>("repeats", "At least 2 repeats are needed for a spread.", () => metric.EstimateNoiseFloor(data, 3, 3, 0, noise));
        var floor = metric.EstimateNoiseFloor(data, 1, 1, 2, noise);
        Assert.Equal(2, floor.Repeats);
        Assert.True(floor.Max > 0);
    }

    [Fact]
    public void The_sliced_w2_seed_must_not_be_negative()
    {
        var registry = MetricRegistry.CreateDefault();
        var e = Assert.Throws<ParameterException>(() => registry.Create("sliced_w2", new Dictionary<string, double> { ["seed"] = -1 }));
        Assert.Equal("seed", e.ParamName);
        Assert.Equal("seed", e.Key);
        Assert.StartsWith("The seed of sliced_w2 must be >= 0.", e.Message, StringComparison.Ordinal);
        Assert.Equal(0UL, Assert.IsType<SlicedWasserstein>(registry.Create("sliced_w2", new Dictionary<string, double> { ["seed"] = 0 })).Seed);
        Assert.Equal(3UL, Assert.IsType<SlicedWasserstein>(registry.Create("sliced_w2", new Dictionary<string, double> { ["seed"] = 3 })).Seed);
    }
}

using BenchmarkDotNet.Attributes;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Benchmarks.Data;

/// <summary>The exact-score hot loop: NoisedScore of 8gaussians (K = 8, D = 2) and of a full-covariance mixture on
/// N = 100,000 particles, one thread. Throughput = N / mean time.</summary>
[MemoryDiagnoser]
public class GaussianMixtureBenchmarks
{
    private const int N = 100_000;
    private GaussianMixture _eight = null!;
    private GaussianMixture _full = null!;
    private Batch _x;
    private Batch _score;
    private double[] _values = null!;

    [GlobalSetup]
    public void Setup()
    {
        _eight = ToyData.EightGaussians();
        var weights = new double[8];
        var means = new double[8][];
        var covariances = new double[8][,];
        for (var k = 0; k < 8; k++)
        {
            weights[k] = 0.125;
            means[k] = _eight.Mean(k);
            covariances[k] = new[,] { { 0.2, 0.05 * (k % 3) }, { 0.05 * (k % 3), 0.1 } };
        }
        _full = new GaussianMixture(weights, means, covariances);
        _x = new Batch(N, 2);
        _eight.Sample(_x, new NoiseSource(1), 0);
        _score = new Batch(N, 2);
        _values = new double[N];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public void EightGaussiansNoisedScore() => _eight.NoisedScore(0.8, 0.6, _x, _score);

    [Benchmark(OperationsPerInvoke = N)]
    public void FullCovarianceNoisedScore() => _full.NoisedScore(0.8, 0.6, _x, _score);

    [Benchmark(OperationsPerInvoke = N)]
    public void EightGaussiansLogDensity() => _eight.NoisedLogDensity(0.8, 0.6, _x, _values);

    [Benchmark(OperationsPerInvoke = N)]
    public void EightGaussiansDivergence() => _eight.NoisedScoreDivergence(0.8, 0.6, _x, _values);

    [Benchmark(OperationsPerInvoke = N)]
    public void EightGaussiansSample() => _eight.Sample(_score, new NoiseSource(2), 0);
}

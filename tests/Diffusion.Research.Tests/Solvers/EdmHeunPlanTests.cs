using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// EdmHeun computes its per-step numbers (α, σ, the churned level σ̂ and its time t̂, found by bisection) once per grid:
/// the kernel is evaluated as often with one chunk as with fourteen, and a second solve on the same grid reuses them.
/// </summary>
public class EdmHeunPlanTests
{
    private sealed class CountingKernel(IKernel inner) : IKernel
    {
        public long Calls;

        public double Alpha(double t)
        {
            Interlocked.Increment(ref Calls);
            return inner.Alpha(t);
        }

        public double Sigma(double t)
        {
            Interlocked.Increment(ref Calls);
            return inner.Sigma(t);
        }
    }

    private sealed class CountingSde(ISde inner) : ISde
    {
        public CountingKernel Counter { get; } = new(inner.Kernel!);

        public double T => inner.T;

        public IKernel? Kernel => Counter;

        public IDistribution Prior(int dimension) => inner.Prior(dimension);

        public void Drift(double t, Batch x, Batch destination) => inner.Drift(t, x, destination);

        public double Diffusion(double t) => inner.Diffusion(t);
    }

    [Fact]
    public void KernelWorkDoesNotGrowWithTheNumberOfChunksOrSolves()
    {
        var vp = SamplerQualityTests.Sde("vp");
        var sde = new CountingSde(vp);
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(ToyData.EightGaussians(), vp.Kernel!), 1.0); // the score reads the uncounted kernel
        var solver = new EdmHeun(new Churn(SChurn: 10));
        var grid = TimeGrid.Uniform(1.0, 1e-2, 12);
        (long Calls, double[] X) Run(int chunkSize)
        {
            var x = new Batch(67, 2);
            vp.Prior(2).Sample(x, new NoiseSource(3), 0);
            var before = Interlocked.Read(ref sde.Counter.Calls);
            Assert.True(solver.Solve(problem, x, grid, new SolveOptions().WithThreads(1).WithChunkSize(chunkSize).WithNoise(new NoiseSource(9))).IsSuccess);
            return (Interlocked.Read(ref sde.Counter.Calls) - before, x.ToArray());
        }
        var first = Run(4096); // one chunk; the plan is built here
        var again = Run(4096); // same grid and problem: the plan is reused
        var chunked = Run(5); // fourteen chunks
        Assert.True(first.Calls > 12 * 8, $"the plan costs kernel evaluations ({first.Calls})");
        Assert.True(again.Calls < 4, $"a second solve on the grid evaluated the kernel {again.Calls} times");
        Assert.Equal(again.Calls, chunked.Calls);
        Assert.Equal(first.X, chunked.X);
        // Another grid gets its own plan (and its own numbers).
        var other = TimeGrid.Uniform(1.0, 1e-2, 11);
        var y = new Batch(67, 2);
        vp.Prior(2).Sample(y, new NoiseSource(3), 0);
        Assert.True(solver.Solve(problem, y, other, new SolveOptions().WithNoise(new NoiseSource(9))).IsSuccess);
        Assert.NotEqual(first.X, y.ToArray());
    }
}

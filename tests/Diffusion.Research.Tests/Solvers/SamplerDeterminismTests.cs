using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// Same seed, same bits, for every registry entry on a diffusion problem (8gaussians, VP): Threads 1 vs 2,
/// several chunk sizes, and (for fixed-step solvers, whose particles are independent) a split of the batch
/// into two solves joined by FirstParticle.
/// </summary>
public class SamplerDeterminismTests
{
    private const int Count = 257;
    private static readonly GaussianMixture Data = ToyData.EightGaussians();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in SolverRegistry.CreateDefault().Names) data.Add(name);
        return data;
    }

    private static ISolver Create(string name) => SolverRegistry.CreateDefault().Create(name,
        name == "ald" ? new Dictionary<string, double> { ["steps_per_level"] = 3 } :
        name == "edm" ? new Dictionary<string, double> { ["s_churn"] = 10 } :
        name == "ddim" ? new Dictionary<string, double> { ["eta"] = 0.5 } : null);

    private static double[] Run(ISolver solver, SolveOptions options, int split = -1)
    {
        var sde = SamplerQualityTests.Sde("vp");
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(Data, sde.Kernel!), solver.Traits.IsStochastic ? 1.0 : 0.0);
        var grid = TimeGrid.Uniform(1.0, 1e-2, 12);
        var x = new Batch(Count, 2);
        sde.Prior(2).Sample(x, new NoiseSource(3), 0);
        if (split < 0) Assert.True(solver.Solve(problem, x, grid, options).IsSuccess);
        else
        {
            Assert.True(solver.Solve(problem, x.Slice(0, split), grid, options).IsSuccess);
            Assert.True(solver.Solve(problem, x.Slice(split, Count - split), grid, options.WithFirstParticle(split)).IsSuccess);
        }
        return x.ToArray();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ThreadsAndChunkingDoNotChangeBits(string name)
    {
        var solver = Create(name);
        var options = new SolveOptions().WithNoise(new NoiseSource(42));
        var reference = Run(solver, options.WithThreads(1).WithChunkSize(32));
        Assert.Equal(reference, Run(solver, options.WithThreads(2).WithChunkSize(32)));
        Assert.Equal(reference, Run(solver, options.WithThreads(2).WithChunkSize(5)));
        Assert.Equal(reference, Run(solver, options.WithThreads(1).WithChunkSize(4096)));
        if (solver is FixedStepSolver)
            Assert.Equal(reference, Run(solver, options.WithThreads(2).WithChunkSize(16), split: 100));
    }
}

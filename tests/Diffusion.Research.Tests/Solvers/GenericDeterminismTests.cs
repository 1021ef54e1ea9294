using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// Same seed, same bits: for every solver that runs on a plain SDE, Threads 1 vs 2 and two chunk sizes
/// give bit-identical samples; fixed-step solvers also give the same bits when the batch is split into
/// two solves joined by FirstParticle.
/// </summary>
public class GenericDeterminismTests
{
    public static TheoryData<string> PlainSolvers()
    {
        var data = new TheoryData<string>();
        var registry = SolverRegistry.CreateDefault();
        foreach (var name in registry.Names)
            if (registry.Create(name) is not IDiffusionSampler) data.Add(name);
        return data;
    }

    private const int Count = 300, Dimension = 3;

    private static (SamplingProblem Problem, TimeGrid Grid) ProblemFor(ISolver solver)
    {
        var ode = !solver.Traits.IsStochastic;
        var dynamics = ode ? (Diffusion.Research.Sde.IDynamics)new LogisticOde() : new OrnsteinUhlenbeck(1.0, 0.7);
        return (SamplingProblem.Of(dynamics), TimeGrid.Uniform(0.0, 1.0, 25));
    }

    private static Batch Start()
    {
        var x = new Batch(Count, Dimension);
        new NoiseSource(11).FillUniform(0, 0, x.Values);
        return x;
    }

    private static double[] SolveWith(ISolver solver, SolveOptions options)
    {
        var (problem, grid) = ProblemFor(solver);
        var x = Start();
        var solution = solver.Solve(problem, x, grid, options);
        Assert.True(solution.IsSuccess, solution.Message);
        return x.ToArray();
    }

    [Theory]
    [MemberData(nameof(PlainSolvers))]
    public void ThreadCountAndChunkSizeDoNotChangeBits(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name);
        var options = new SolveOptions().WithNoise(new NoiseSource(5)).WithTolerances(1e-4, 1e-4);
        var reference = SolveWith(solver, options.WithThreads(1).WithChunkSize(64));
        Assert.Equal(reference, SolveWith(solver, options.WithThreads(2).WithChunkSize(64)));
        Assert.Equal(reference, SolveWith(solver, options.WithThreads(2).WithChunkSize(7)));
        Assert.Equal(reference, SolveWith(solver, options.WithThreads(1).WithChunkSize(1000)));
    }

    [Theory]
    [MemberData(nameof(PlainSolvers))]
    public void FixedStepSolversGiveTheSameBitsWhenTheBatchIsSplit(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name);
        if (solver is not FixedStepSolver) return; // adaptive and lock-step solvers see the whole batch (docs/solvers.md)
        var options = new SolveOptions().WithNoise(new NoiseSource(5)).WithThreads(2).WithChunkSize(16);
        var whole = SolveWith(solver, options);

        var (problem, grid) = ProblemFor(solver);
        var x = Start();
        const int split = 123;
        Assert.True(solver.Solve(problem, x.Slice(0, split), grid, options).IsSuccess);
        Assert.True(solver.Solve(problem, x.Slice(split, Count - split), grid, options.WithFirstParticle(split)).IsSuccess);
        Assert.Equal(whole, x.ToArray());
    }

    [Fact]
    public void DifferentSeedsGiveDifferentSamples()
    {
        var solver = new EulerMaruyama();
        var a = SolveWith(solver, new SolveOptions().WithNoise(new NoiseSource(1)));
        var b = SolveWith(solver, new SolveOptions().WithNoise(new NoiseSource(2)));
        Assert.NotEqual(a, b);
    }
}

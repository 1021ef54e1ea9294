using System.Collections.Concurrent;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// The per-step observer, SaveAt and the begin hook (<see cref="SolveOptions.Observer"/>, <see cref="SaveAt"/>,
/// <see cref="BufferRing"/>): what they see is the solve's own state, they change no bit of the result, and an adaptive
/// solve lands exactly on the requested times.
/// </summary>
public class ObserverTests
{
    private const int Count = 67;
    private static readonly GaussianMixture Data = ToyData.EightGaussians();

    private static (SamplingProblem Problem, Batch X) Setup(ISolver solver)
    {
        var sde = SamplerQualityTests.Sde("vp");
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(Data, sde.Kernel!), solver.Traits.IsStochastic ? 1.0 : 0.0);
        var x = new Batch(Count, 2);
        sde.Prior(2).Sample(x, new NoiseSource(3), 0);
        return (problem, x);
    }

    private static Batch[] Buffers(int n) => Enumerable.Range(0, n).Select(_ => new Batch(Count, 2)).ToArray();

    [Theory]
    [InlineData("ddim")]
    [InlineData("ipndm")] // multistep: its history restarts in every chunk (begin hook)
    [InlineData("ddpm")] // stochastic
    [InlineData("pc")] // lock step: whole-batch reports
    [InlineData("euler_maruyama")]
    public void SavedStatesAreTheStatesOfTheTruncatedSolveAndChangeNoBit(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name);
        var grid = TimeGrid.Uniform(1.0, 1e-2, 12);
        var options = new SolveOptions().WithNoise(new NoiseSource(42)).WithThreads(2).WithChunkSize(16);
        var (problem, plain) = Setup(solver);
        Assert.True(solver.Solve(problem, plain, grid, options).IsSuccess);

        var saved = Buffers(4);
        var seen = new ConcurrentBag<(int Steps, double Time, int FirstRow, double[] Rows)>();
        var save = SaveAt.EverySteps(4, saved);
        var (_, x) = Setup(solver);
        var start = x.Clone();
        Assert.True(solver.Solve(problem, x, grid, options.WithSaveAt(save).WithObserver(o => seen.Add((o.Steps, o.Time, o.FirstRow, o.State.ToArray())))).IsSuccess);
        Assert.Equal(plain.ToArray(), x.ToArray()); // observing changes nothing
        Assert.Equal([grid[0], grid[4], grid[8], grid[12]], save.SavedTimes);
        Assert.Equal(start.ToArray(), saved[0].ToArray());
        Assert.Equal(x.ToArray(), saved[3].ToArray());
        for (var k = 1; k <= 2; k++)
        {
            // The state after 4k steps is the result of the solve over the first 4k steps (same noise streams).
            var (_, y) = Setup(solver);
            Assert.True(solver.Solve(problem, y, new TimeGrid(grid.Times[..(4 * k + 1)].ToArray()), options).IsSuccess);
            Assert.Equal(y.ToArray(), saved[k].ToArray());
        }
        // The observer saw every row once per step, at the step's time, with the values SaveAt kept.
        for (var step = 1; step <= 12; step++)
        {
            var reports = seen.Where(r => r.Steps == step).ToArray();
            Assert.All(reports, r => Assert.Equal(grid[step], r.Time));
            Assert.Equal(Count * 2, reports.Sum(r => r.Rows.Length));
            Assert.Equal(Enumerable.Range(0, Count), reports.SelectMany(r => Enumerable.Range(r.FirstRow, r.Rows.Length / 2)).Order());
            if (step % 4 == 0)
                foreach (var r in reports)
                    Assert.Equal(saved[step / 4].Slice(r.FirstRow, r.Rows.Length / 2).ToArray(), r.Rows);
        }
        Assert.DoesNotContain(seen, r => r.Steps == 0); // the observer sees accepted steps only
    }

    [Fact]
    public void SaveAtRefusesMissingBuffers()
    {
        Assert.Equal("states", Assert.Throws<ArgumentNullException>(() => SaveAt.EverySteps(3, null!)).ParamName);
        Assert.Equal("states", Assert.Throws<ArgumentNullException>(() => SaveAt.AtTimes([0.5], null!)).ParamName);
        Assert.StartsWith("At least one buffer is needed.", Assert.Throws<ArgumentException>("states", () => SaveAt.EverySteps(3, [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFixedStepSolverSavesAtGridTimesAndRefusesOthers()
    {
        var solver = SolverRegistry.CreateDefault().Create("heun");
        var grid = TimeGrid.Uniform(1.0, 1e-2, 10);
        var (problem, x) = Setup(solver);
        var saved = Buffers(2);
        var save = SaveAt.AtTimes([grid[3], grid[10]], saved);
        Assert.True(solver.Solve(problem, x, grid, new SolveOptions().WithSaveAt(save)).IsSuccess);
        Assert.Equal([grid[3], grid[10]], save.SavedTimes);
        Assert.Equal(x.ToArray(), saved[1].ToArray());
        var (_, y) = Setup(solver);
        Assert.Throws<ArgumentException>(() => solver.Solve(problem, y, grid, new SolveOptions().WithSaveAt(SaveAt.AtTimes([0.5 * (grid[3] + grid[4])], Buffers(1)))));
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.Solve(problem, y, grid, new SolveOptions().WithSaveAt(SaveAt.AtTimes([1.5], Buffers(1)))));
        Assert.Throws<ArgumentException>(() => solver.Solve(problem, y, grid, new SolveOptions().WithSaveAt(SaveAt.AtTimes([grid[4], grid[3]], Buffers(2)))));
        Assert.Throws<ArgumentException>(() => solver.Solve(problem, y, grid, new SolveOptions().WithSaveAt(SaveAt.EverySteps(2, [new Batch(Count, 3)]))));
    }

    [Fact]
    public void AnAdaptiveSolveLandsOnTheSaveTimesAndReportsEveryAcceptedStep()
    {
        double[] x0 = [0.05, 0.3, 0.6, 0.9];
        var x = new Batch((double[])x0.Clone(), 4, 1);
        var saved = new[] { new Batch(4, 1), new Batch(4, 1) };
        var save = SaveAt.AtTimes([1.3, 2.9], saved);
        var steps = new List<(int Steps, double Time)>();
        var solution = new DormandPrince45().Solve(SamplingProblem.Of(new LogisticOde()), x, TimeGrid.Uniform(0, 5, 1),
            new SolveOptions().WithTolerances(1e-9, 1e-9).WithSaveAt(save).WithObserver(o => steps.Add((o.Steps, o.Time))));
        Assert.True(solution.IsSuccess);
        Assert.Equal([1.3, 2.9], save.SavedTimes);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(LogisticOde.Exact(x0[i], 0, 1.3), saved[0][i, 0], 1e-7);
            Assert.Equal(LogisticOde.Exact(x0[i], 0, 2.9), saved[1][i, 0], 1e-7);
        }
        Assert.Equal(Enumerable.Range(1, (int)solution.Statistics.AcceptedSteps), steps.Select(s => s.Steps));
        Assert.Contains(steps, s => s.Time == 1.3);
        Assert.Contains(steps, s => s.Time == 2.9);
        Assert.Equal(5.0, steps[^1].Time);
        Assert.True(steps.Zip(steps.Skip(1)).All(p => p.Second.Time > p.First.Time));
    }

    [Fact]
    public void TheBufferRingKeepsTheNewestValuesAndEmptiesOnClear()
    {
        var w = new Workspace(5, 1, 1);
        var ring = w.History(1, 3);
        Assert.Same(ring, w.History(1, 3));
        Assert.Throws<InvalidOperationException>(() => w.History(0, 3));
        for (var v = 1; v <= 4; v++) ring.Push(1)[0, 0] = v;
        Assert.Equal(3, ring.Count);
        Assert.Equal([4.0, 3.0, 2.0], Enumerable.Range(0, 3).Select(j => ring.Recent(j, 1)[0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Recent(3, 1));
        Assert.Equal(0.0, w.Buffer(0, 1)[0, 0]); // register 0 is outside the ring
        ring.Clear();
        Assert.Equal(0, ring.Count);
        ring.Push(1)[0, 0] = 9;
        Assert.Equal(9.0, ring.Recent(0, 1)[0, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Recent(1, 1));
    }

    [Fact]
    public void TheStepLoopAllocatesNothingWithOrWithoutObserving()
    {
        // One thread, one chunk: the allocation of a solve is per solve (workspace, outcome array), so 40 and 400 steps
        // must allocate the same bytes, unobserved and observed (the observer delegate and SaveAt are made outside).
        var solver = SolverRegistry.CreateDefault().Create("ipndm");
        var (problem, _) = Setup(solver);
        var sum = 0.0;
        var observer = new Action<StepObservation>(o => sum += o.Time);
        var save = SaveAt.EverySteps(7, Buffers(2));
        long Allocated(int steps, bool observed)
        {
            var (_, x) = Setup(solver);
            var grid = TimeGrid.Uniform(1.0, 1e-2, steps);
            var options = new SolveOptions().WithThreads(1);
            if (observed) options = options.WithObserver(observer).WithSaveAt(save);
            solver.Solve(problem, x, grid, options); // warm
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.True(solver.Solve(problem, x, grid, options).IsSuccess);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(Allocated(40, false), Allocated(400, false));
        Assert.Equal(Allocated(40, true), Allocated(400, true));
        Assert.True(sum > 0);
    }
}

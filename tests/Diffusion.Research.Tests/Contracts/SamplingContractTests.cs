using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of Sampling/: the refused value (type, parameter name, message) and the accepted
/// value at the boundary.</summary>
public class SamplingInitialStepContractTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.37)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void OfRefusesNonPositiveOrNonFiniteSteps(double dt0)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => InitialStep.Of(dt0));
        Assert.Equal("dt0", e.ParamName);
        Assert.StartsWith("dt0 must be finite and > 0.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OfAcceptsTheSmallestAndLargestFiniteSteps()
    {
        Assert.Equal(double.Epsilon, InitialStep.Of(double.Epsilon).Value);
        Assert.Equal(double.MaxValue, InitialStep.Of(double.MaxValue).Value);
        var step = InitialStep.Of(0.37);
        Assert.Equal(InitialStepRule.Given, step.Rule);
        Assert.Equal(0.37, step.Value);
    }
}

public class SamplingSaveAtContractTests
{
    private static Batch[] Buffers(int n, int count = 4, int dimension = 2)
    {
        var result = new Batch[n];
        for (var i = 0; i < n; i++) result[i] = new Batch(count, dimension);
        return result;
    }

    [Fact]
    public void AtTimesRefusesNullsMismatchesAndNonFiniteTimes()
    {
        Assert.Equal("times", Assert.Throws<ArgumentNullException>(() => SaveAt.AtTimes(null!, Buffers(1))).ParamName);
        Assert.Equal("states", Assert.Throws<ArgumentNullException>(() => SaveAt.AtTimes(new[] { 0.37 }, null!)).ParamName);
        var mismatch = Assert.Throws<ArgumentException>(() => SaveAt.AtTimes(new[] { 0.37, 0.5 }, Buffers(1)));
        Assert.Equal("states", mismatch.ParamName);
        Assert.StartsWith("2 times but 1 buffers.", mismatch.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => SaveAt.AtTimes(new[] { 0.37, double.NaN }, Buffers(2)));
        Assert.Equal("times", nan.ParamName);
        Assert.StartsWith("Save times must be finite.", nan.Message, StringComparison.Ordinal);
        var infinite = Assert.Throws<ArgumentOutOfRangeException>(() => SaveAt.AtTimes(new[] { double.PositiveInfinity }, Buffers(1)));
        Assert.Equal("times", infinite.ParamName);
        var empty = Assert.Throws<ArgumentException>(() => SaveAt.AtTimes(Array.Empty<double>(), Array.Empty<Batch>()));
        Assert.Equal("states", empty.ParamName);
        Assert.StartsWith("At least one buffer is needed.", empty.Message, StringComparison.Ordinal);

        var one = SaveAt.AtTimes(new[] { 0.37 }, Buffers(1));
        Assert.Single(one.States);
        Assert.Equal(0, one.Every);
        Assert.Equal(new[] { 0.37, 0.5 }, SaveAt.AtTimes(new[] { 0.37, 0.5 }, Buffers(2)).Times);
    }

    [Fact]
    public void EveryStepsRefusesNonPositiveStrideAndMissingBuffers()
    {
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => SaveAt.EverySteps(0, Buffers(1)));
        Assert.Equal("k", zero.ParamName);
        Assert.Equal("states", Assert.Throws<ArgumentNullException>(() => SaveAt.EverySteps(2, null!)).ParamName);
        var empty = Assert.Throws<ArgumentException>(() => SaveAt.EverySteps(2, Array.Empty<Batch>()));
        Assert.Equal("states", empty.ParamName);
        Assert.StartsWith("At least one buffer is needed.", empty.Message, StringComparison.Ordinal);

        var one = SaveAt.EverySteps(1, Buffers(1));
        Assert.Equal(1, one.Every);
        Assert.Single(one.States);
    }

    [Fact]
    public void BeginRefusesANullGridAndBuffersOfAnotherShape()
    {
        var x = new Batch(4, 2);
        var grid = TimeGrid.Uniform(0.25, 0.75, 2);
        var save = SaveAt.AtTimes(new[] { 0.5 }, Buffers(1));
        Assert.Equal("grid", Assert.Throws<ArgumentNullException>(() => save.Begin(null!, x, false)).ParamName);

        var rows = Assert.Throws<ArgumentException>(() => SaveAt.AtTimes(new[] { 0.5 }, Buffers(1, 3, 2)).Begin(grid, x, false));
        Assert.Equal("options", rows.ParamName);
        Assert.StartsWith("SaveAt buffers must be 4 x 2 like the batch, got 3 x 2.", rows.Message, StringComparison.Ordinal);
        var columns = Assert.Throws<ArgumentException>(() => SaveAt.EverySteps(2, Buffers(1, 4, 3)).Begin(grid, x, false));
        Assert.Equal("options", columns.ParamName);
        Assert.StartsWith("SaveAt buffers must be 4 x 2 like the batch, got 4 x 3.", columns.Message, StringComparison.Ordinal);

        save.Begin(grid, x, true);
        Assert.True(double.IsNaN(save.SavedTimes[0]));
    }

    [Fact]
    public void BeginRefusesTimesOutsideTheClosedInterval()
    {
        var x = new Batch(4, 2);
        var grid = TimeGrid.Uniform(0.75, 0.25, 2);
        var below = Assert.Throws<ArgumentOutOfRangeException>(() => SaveAt.AtTimes(new[] { 0.2 }, Buffers(1)).Begin(grid, x, false));
        Assert.Equal("options", below.ParamName);
        Assert.StartsWith($"SaveAt time {0.2} lies outside the grid's interval [{0.25}, {0.75}].", below.Message, StringComparison.Ordinal);
        var above = Assert.Throws<ArgumentOutOfRangeException>(() => SaveAt.AtTimes(new[] { 0.8 }, Buffers(1)).Begin(grid, x, false));
        Assert.Equal("options", above.ParamName);
        Assert.StartsWith($"SaveAt time {0.8} lies outside the grid's interval [{0.25}, {0.75}].", above.Message, StringComparison.Ordinal);

        var ends = SaveAt.AtTimes(new[] { 0.75, 0.25 }, Buffers(2));
        ends.Begin(grid, x, true);
        ends.Begin(grid, x, false);
        Assert.Equal(2, ends.Times.Count);
    }

    [Fact]
    public void BeginRefusesTimesNotStrictlyMonotoneInTheSolveDirection()
    {
        var x = new Batch(4, 2);
        var forward = TimeGrid.Uniform(0.25, 0.75, 2);
        var backward = TimeGrid.Uniform(0.75, 0.25, 2);
        var repeated = Assert.Throws<ArgumentException>(() => SaveAt.AtTimes(new[] { 0.5, 0.5 }, Buffers(2)).Begin(forward, x, false));
        Assert.Equal("options", repeated.ParamName);
        Assert.StartsWith($"SaveAt times must be strictly monotone in the direction of the solve (time 1: {0.5} after {0.5}).", repeated.Message,
            StringComparison.Ordinal);
        var againstForward = Assert.Throws<ArgumentException>(() => SaveAt.AtTimes(new[] { 0.6, 0.4 }, Buffers(2)).Begin(forward, x, false));
        Assert.StartsWith($"SaveAt times must be strictly monotone in the direction of the solve (time 1: {0.4} after {0.6}).", againstForward.Message,
            StringComparison.Ordinal);
        var againstBackward = Assert.Throws<ArgumentException>(() => SaveAt.AtTimes(new[] { 0.4, 0.6 }, Buffers(2)).Begin(backward, x, false));
        Assert.Equal("options", againstBackward.ParamName);

        SaveAt.AtTimes(new[] { 0.4, 0.6 }, Buffers(2)).Begin(forward, x, false);
        SaveAt.AtTimes(new[] { 0.6, 0.4 }, Buffers(2)).Begin(backward, x, false);
        SaveAt.AtTimes(new[] { 0.4 }, Buffers(1)).Begin(backward, x, false);
    }

    [Fact]
    public void BeginOnGridRefusesTimesOffTheGrid()
    {
        var x = new Batch(4, 2);
        var grid = TimeGrid.Uniform(0.25, 0.75, 2);
        var off = Assert.Throws<ArgumentException>(() => SaveAt.AtTimes(new[] { 0.37 }, Buffers(1)).Begin(grid, x, true));
        Assert.Equal("options", off.ParamName);
        Assert.StartsWith($"SaveAt time {0.37} is not a time of the grid; a fixed-step solver saves only at grid times.", off.Message,
            StringComparison.Ordinal);

        SaveAt.AtTimes(new[] { 0.37 }, Buffers(1)).Begin(grid, x, false);
        SaveAt.AtTimes(new[] { 0.5 }, Buffers(1)).Begin(grid, x, true);
    }
}

public class SamplingTimeGridContractTests
{
    [Fact]
    public void ConstructorRefusesNullAndShortLists()
    {
        Assert.Equal("times", Assert.Throws<ArgumentNullException>(() => new TimeGrid(null!)).ParamName);
        var one = Assert.Throws<ArgumentException>(() => new TimeGrid(new[] { 0.37 }));
        Assert.Equal("times", one.ParamName);
        Assert.StartsWith("A time grid needs at least two times.", one.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TimeGrid(Array.Empty<double>()));

        var two = new TimeGrid(new[] { 0.37, 2.5 });
        Assert.Equal(1, two.Steps);
    }

    [Fact]
    public void ConstructorRefusesRepeatsReversalsAndNonFiniteTimes()
    {
        var flat = Assert.Throws<ArgumentException>(() => new TimeGrid(new[] { 0.37, 0.37, 2.5 }));
        Assert.Equal("times", flat.ParamName);
        Assert.StartsWith("A time grid must be strictly monotone; t_0 == t_1.", flat.Message, StringComparison.Ordinal);
        var repeat = Assert.Throws<ArgumentException>(() => new TimeGrid(new[] { 0.25, 0.5, 0.5 }));
        Assert.Equal("times", repeat.ParamName);
        Assert.StartsWith($"A time grid must be strictly monotone; t_1 = {0.5}, t_2 = {0.5}.", repeat.Message, StringComparison.Ordinal);
        var reversal = Assert.Throws<ArgumentException>(() => new TimeGrid(new[] { 2.5, 0.5, 0.75 }));
        Assert.StartsWith($"A time grid must be strictly monotone; t_1 = {0.5}, t_2 = {0.75}.", reversal.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentException>(() => new TimeGrid(new[] { 0.25, 0.5, double.NaN }));
        Assert.Equal("times", nan.ParamName);
        Assert.StartsWith($"Time 2 is {double.NaN}.", nan.Message, StringComparison.Ordinal);
        var infinite = Assert.Throws<ArgumentException>(() => new TimeGrid(new[] { 0.25, double.PositiveInfinity }));
        Assert.Equal("times", infinite.ParamName);
        Assert.StartsWith($"Time 1 is {double.PositiveInfinity}.", infinite.Message, StringComparison.Ordinal);

        var backward = new TimeGrid(new[] { 2.5, 0.5, 0.37 });
        Assert.True(backward.IsBackward);
        Assert.Equal(2, backward.Steps);
        Assert.Equal(3, new TimeGrid(new[] { 0.25, 0.5, 0.75, 2.5 }).Steps);
    }

    [Fact]
    public void UniformRefusesNonPositiveStepCounts()
    {
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => TimeGrid.Uniform(0.37, 2.5, 0));
        Assert.Equal("steps", zero.ParamName);
        var one = TimeGrid.Uniform(0.37, 2.5, 1);
        Assert.Equal(1, one.Steps);
        Assert.Equal(2.5, one.End);
    }
}

public class SamplingProblemContractTests
{
    private static readonly AffineScoreField Score = new(new[,] { { -0.37, 0.0 }, { 0.0, -2.5 } }, new[] { 0.25, 0.5 });

    [Fact]
    public void FactoriesRefuseNulls()
    {
        var sde = VpSde.Linear();
        Assert.Equal("sde", Assert.Throws<ArgumentNullException>(() => SamplingProblem.Reverse(null!, Score, 0.37)).ParamName);
        Assert.Equal("score", Assert.Throws<ArgumentNullException>(() => SamplingProblem.Reverse(sde, null!, 0.37)).ParamName);
        Assert.Equal("dynamics", Assert.Throws<ArgumentNullException>(() => SamplingProblem.Of(null!)).ParamName);

        var reverse = SamplingProblem.Reverse(sde, Score, 0.37);
        Assert.True(reverse.HasDiffusion);
        Assert.Equal(0.37, reverse.Diffusion.Lambda);
        var plain = SamplingProblem.Of(reverse.Dynamics);
        Assert.False(plain.IsDiffusionModel);
        var e = Assert.Throws<InvalidOperationException>(() => plain.Diffusion);
        Assert.StartsWith("This problem has no forward SDE with a closed-form kernel and score model; only generic integrators solve it.", e.Message,
            StringComparison.Ordinal);
    }
}

public class SamplingSolveOptionsContractTests
{
    private static void Refused<T>(SolveOptions options, string name)
        where T : ArgumentException
    {
        var e = Assert.Throws<T>(options.Validate);
        Assert.Equal(name, e.ParamName);
    }

    private static void RefusedPositive(SolveOptions options, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(name, e.ParamName);
        Assert.StartsWith("Must be positive.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateRefusesEachUnusableOption()
    {
        var o = new SolveOptions();
        Refused<ArgumentOutOfRangeException>(o with { Threads = 0 }, "Threads");
        Refused<ArgumentOutOfRangeException>(o with { ChunkSize = 0 }, "ChunkSize");
        Refused<ArgumentOutOfRangeException>(o with { FirstParticle = -1 }, "FirstParticle");
        Refused<ArgumentOutOfRangeException>(o with { MaxSteps = 0 }, "MaxSteps");
        Refused<ArgumentNullException>(o with { InitialStep = null! }, "InitialStep");
        RefusedPositive(o with { RelativeTolerance = 0 }, "RelativeTolerance");
        RefusedPositive(o with { RelativeTolerance = double.NaN }, "RelativeTolerance");
        RefusedPositive(o with { AbsoluteTolerance = 0 }, "AbsoluteTolerance");
        RefusedPositive(o with { AbsoluteTolerance = -0.37 }, "AbsoluteTolerance");
        RefusedPositive(o with { MinStepSize = 0 }, "MinStepSize");
        RefusedPositive(o with { MinStepSize = double.NaN }, "MinStepSize");
    }

    [Fact]
    public void ValidateAcceptsEachOptionAtItsBoundary()
    {
        new SolveOptions
        {
            Threads = 1,
            ChunkSize = 1,
            FirstParticle = 0,
            MaxSteps = 1,
            RelativeTolerance = double.Epsilon,
            AbsoluteTolerance = double.Epsilon,
            MinStepSize = double.Epsilon,
            InitialStep = InitialStep.Of(0.37),
        }.Validate();
        new SolveOptions().WithTolerances(0.37, 2.5).WithThreads(3).WithChunkSize(7).WithMaxSteps(11).WithFirstParticle(5).Validate();
    }
}

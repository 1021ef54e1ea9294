using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// The automatic first step (Hairer, Nørsett, Wanner I, §II.4) against the algorithm worked by hand on dx/dt = −k x, its
/// batch rule (the smallest particle's step) and its effect: the adaptive solvers stop rejecting a first attempt that spans the whole interval.
/// </summary>
public class StartingStepSizeTests
{
    private sealed class Decay(double k) : IDynamics
    {
        public void Drift(double t, Batch x, Batch destination) => System.Numerics.Tensors.TensorPrimitives.Multiply(x.Values, -k, destination.Values);

        public double Diffusion(double t) => 0;
    }

    // Steps (a)-(f) for one scalar particle x0 of dx/dt = -k x, written out: f0 = -k x0, sc = atol + rtol |x0|,
    // d0 = |x0|/sc, d1 = k |x0|/sc, h0 = 0.01 d0/d1 = 0.01/k, x1 = x0 + dt0 f0, d2 = |f1 - f0|/(sc h0) = k^2 |x0|/sc.
    private static double ByHand(double k, double x0, double rtol, double atol, int q, double direction)
    {
        var sc = atol + rtol * Math.Abs(x0);
        double d0 = Math.Abs(x0) / sc, d1 = k * Math.Abs(x0) / sc;
        var h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        var x1 = x0 + direction * h0 * (-k * x0);
        var d2 = Math.Abs(-k * x1 - -k * x0) / sc / h0;
        var h1 = Math.Pow(0.01 / Math.Max(d1, d2), 1.0 / (q + 1));
        return Math.Min(100 * h0, h1);
    }

    private static double Estimate(IDynamics f, double t0, double direction, Batch x, double rtol, double atol, int q)
    {
        var f0 = new Batch(x.Count, x.Dimension);
        var h0 = StartingStepSize.FirstGuess(f, t0, x, f0, rtol, atol);
        return StartingStepSize.SecondGuess(f, t0, direction * h0, x, f0, new Batch(x.Count, x.Dimension), new Batch(x.Count, x.Dimension), rtol, atol, q);
    }

    [Theory]
    [InlineData(3.7, 0.8, 1e-4, 1e-6, 4, 1.0)]
    [InlineData(0.6, -2.3, 1e-3, 1e-3, 1, -1.0)]
    [InlineData(40.0, 1.3, 1e-6, 1e-8, 2, 1.0)]
    [InlineData(1000.0, 0.8, 1e-3, 1.0, 4, -1.0)] // stiff and loose: 100 h_0 is the smaller bound in (f)
    [InlineData(3.7, 1e-9, 1e-3, 1e-3, 4, 1.0)] // d_0 < 1e-5: h_0 = 1e-6 (b), and again 100 h_0 binds
    [InlineData(1e4, 1e-9, 1e-3, 1e-3, 4, 1.0)] // d_0 < 1e-5 <= d_1: either one small picks 10^-6 (an "and" would not)
    [InlineData(1e-8, 0.8, 1e-3, 1e-3, 4, 1.0)] // d_1 < 1e-5 <= d_0
    [InlineData(3.0, 1e-5, 0.0, 1.0, 4, 1.0)] // d_0 = 1e-5 exactly (sc = 1, sqrt(x^2) = x): not below, so 0.01 d_0/d_1
    [InlineData(1e-5, 1.0, 0.0, 1.0, 4, 1.0)] // d_1 = 1e-5 exactly: not below either
    public void MatchesTheAlgorithmWorkedByHand(double k, double x0, double rtol, double atol, int q, double direction)
    {
        var h = Estimate(new Decay(k), 0.3, direction, new Batch([x0], 1, 1), rtol, atol, q);
        Assert.Equal(ByHand(k, x0, rtol, atol, q, direction), h, 1e-12 * h);
    }

    [Fact]
    public void ABatchTakesItsSmallestParticlesStep()
    {
        var f = new Decay(2.9);
        double[] rows = [0.7, -1.9, 0.05];
        var each = rows.Select(r => Estimate(f, 0, 1, new Batch([r], 1, 1), 1e-7, 1e-3, 4)).ToArray();
        Assert.True(each.Max() > 1.5 * each.Min(), "the particles must want different steps for the test to mean anything");
        Assert.Equal(each.Min(), Estimate(f, 0, 1, new Batch(rows, 3, 1), 1e-7, 1e-3, 4));
    }

    [Fact]
    public void TheAutomaticFirstStepSavesTheRejectionsOfAWholeIntervalFirstAttempt()
    {
        var grid = TimeGrid.Uniform(0, 5, 1); // the backend's one-step grid: the first attempt from the grid is the whole interval
        Solution Solve(InitialStep rule)
        {
            var x = new Batch([0.05, 0.3, 0.6, 0.9], 4, 1);
            return new DormandPrince45().Solve(SamplingProblem.Of(new LogisticOde()), x, grid, new SolveOptions().WithTolerances(1e-6, 1e-6).WithInitialStep(rule));
        }
        var fromGrid = Solve(InitialStep.FromGrid);
        var automatic = Solve(InitialStep.Automatic);
        Assert.True(fromGrid.IsSuccess && automatic.IsSuccess);
        Assert.True(fromGrid.Statistics.RejectedSteps >= 2, $"from the grid: {fromGrid.Statistics.RejectedSteps} rejections");
        Assert.Equal(0, automatic.Statistics.RejectedSteps);
        // A given dt0 is the first attempt: a tiny one is accepted and then grows by at most MaxFactor per step.
        var given = Solve(InitialStep.Of(1e-6));
        Assert.Equal(0, given.Statistics.RejectedSteps);
        Assert.True(given.Statistics.AcceptedSteps > automatic.Statistics.AcceptedSteps);
    }

    [Fact]
    public void AGivenDt0MustBePositiveAndFinite()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InitialStep.Of(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => InitialStep.Of(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => InitialStep.Of(double.PositiveInfinity));
    }

    private sealed class Quadratic : IDynamics
    {
        public void Drift(double t, Batch x, Batch destination) => destination.Values.Fill(t * t); // f(t, x) = t^2

        public double Diffusion(double t) => 0;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-1.0)]
    public void TheSecondEvaluationIsAtT0PlusTheSignedFirstGuess(double direction)
    {
        // f = t^2 at t0 = 0.3, one particle x0 = 0.5, sc = atol + rtol |x0|: d0 = x0/sc, d1 = t0^2/sc, h0 = 0.01 d0/d1,
        // d2 = |(t0 + dt0)^2 - t0^2|/(sc h0): it differs between the two directions, so the step tells which time was used.
        const double t0 = 0.3, x0 = 0.5, rtol = 1e-3, atol = 1e-4;
        var sc = atol + rtol * x0;
        double d0 = x0 / sc, d1 = t0 * t0 / sc;
        var h0 = 0.01 * d0 / d1;
        var t1 = t0 + direction * h0;
        var d2 = Math.Abs(t1 * t1 - t0 * t0) / sc / h0;
        var expected = Math.Min(100 * h0, Math.Pow(0.01 / Math.Max(d1, d2), 1.0 / 5));
        Assert.Equal(expected, Estimate(new Quadratic(), t0, direction, new Batch([x0], 1, 1), rtol, atol, 4), 1e-12 * expected);
    }

    [Theory]
    [InlineData(0.0)] // no drift: d1 = d2 = 0
    [InlineData(1e-15)] // d1 = 1e-15 exactly (x0 = 1, sc = 1): the small-step rule includes its bound
    public void AFlatDriftTakesTheSmallStepRule(double k)
    {
        // h0 = 1e-6 (d1 < 1e-5), then max(d1, d2) <= 1e-15 gives h1 = max(1e-6, 1e-3 h0) = 1e-6 and h = min(100 h0, h1) = 1e-6.
        Assert.Equal(1e-6, Estimate(new Decay(k), 0.2, 1, new Batch([1.0], 1, 1), 0.0, 1.0, 4));
    }

    [Fact]
    public void TheNormIsTheRootMeanSquareOverCoordinates()
    {
        // Equal coordinates have the RMS norm of one: D = 3 gives the 1-D step (h1 binds here, so a sum instead of a mean
        // would change it).
        var one = Estimate(new Decay(3.7), 0.3, 1, new Batch([0.8], 1, 1), 1e-4, 1e-6, 4);
        Assert.Equal(ByHand(3.7, 0.8, 1e-4, 1e-6, 4, 1.0), one, 1e-12 * one);
        Assert.True(one < 100 * 0.01 / 3.7, "h1 must bind for the test to see the norm");
        Assert.Equal(one, Estimate(new Decay(3.7), 0.3, 1, new Batch([0.8, 0.8, 0.8], 1, 3), 1e-4, 1e-6, 4), 1e-12 * one);
    }

    [Fact]
    public void TheGuessesCheckTheirArguments()
    {
        var x = new Batch([0.5], 1, 1);
        var scratch = new Batch(1, 1);
        Assert.Throws<ArgumentNullException>(() => StartingStepSize.FirstGuess(null!, 0, x, scratch, 1e-3, 1e-3));
        Assert.Throws<ArgumentNullException>(() => StartingStepSize.SecondGuess(null!, 0, 1e-3, x, scratch, new Batch(1, 1), new Batch(1, 1), 1e-3, 1e-3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => StartingStepSize.SecondGuess(new Decay(1), 0, 1e-3, x, scratch, new Batch(1, 1), new Batch(1, 1), 1e-3, 1e-3, 0));
    }

    [Fact]
    public void ANonFiniteStateGivesNoGuess()
    {
        // x0 = +inf with a drift that ignores x (f = t^2 = 0 at t0 = 0): sc = atol + rtol inf = inf, so d0 = inf/inf is NaN
        // while d1 = 0/inf = 0; "either is NaN" must answer NaN rather than take the small-d1 branch.
        Assert.True(double.IsNaN(StartingStepSize.FirstGuess(new Quadratic(), 0, new Batch([double.PositiveInfinity], 1, 1), new Batch(1, 1), 1e-3, 1e-3)));
    }
}

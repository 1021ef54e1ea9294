using Diffusion.Research.Data;
using Diffusion.Research.Exact;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of src/Diffusion.Research/Exact: the boundary, the parameter name and the message.</summary>
public class ExactContractTests
{
    private static void Refused<T>(string? param, string message, Action act)
        where T : Exception
    {
        var e = Assert.Throws<T>(act);
        if (e is ArgumentException a) Assert.Equal(param, a.ParamName);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    /// <summary>A solver scripted per call (0: the recording solve, 1: the probe solve): it may draw increments and fail.</summary>
    private sealed class ScriptedSolver(Func<int, Batch, SolveOptions, SolveStatus> script) : ISolver
    {
        private int _calls;

        public SolverTraits Traits { get; } = new("scripted", 1, 0, false, false, 1, "test double");

        public Solution Solve(SamplingProblem problem, Batch x, TimeGrid grid, SolveOptions options)
        {
            var status = script(_calls++, x, options);
            return new Solution(x, status, SolverStatistics.Zero, grid.End, status == SolveStatus.Success ? null : "scripted failure");
        }
    }

    private static ScriptedSolver Identity() => new((_, _, _) => SolveStatus.Success);

    private static SamplingProblem Problem()
    {
        var sde = VpSde.Linear();
        return SamplingProblem.Reverse(sde, new ExactNoisedScore(Gaussian.Centered(2, 1.0), sde), 0.0);
    }

    private static readonly TimeGrid Grid = TimeGrid.Uniform(1.0, 0.37, 2);

    private static GaussianLaw Diagonal(int d) => GaussianLaw.Diagonal(Enumerable.Repeat(0.37, d).ToArray(), Enumerable.Repeat(2.5, d).ToArray());

    private static GaussianLaw Full2() => GaussianLaw.Full([0.37, -0.2], new[,] { { 2.5, 0.3 }, { 0.3, 1.5 } });

    [Fact]
    public void AffineMap_Push_checks_the_initial_law()
    {
        var map = AffineResponse.Measure(Identity(), Problem(), Grid, 2);
        Assert.Equal("initial", Assert.Throws<ArgumentNullException>(() => map.Push(null!)).ParamName);
        Refused<ArgumentException>("initial", "The initial law is 3-dimensional, the map 2-dimensional.", () => map.Push(Diagonal(3)));
        Refused<ArgumentException>("initial", "The initial law is 1-dimensional, the map 2-dimensional.", () => map.Push(Diagonal(1)));
        Assert.Equal(0.3, map.Push(Full2()).Covariance(0, 1), 12);
        Assert.Equal(2.5, map.Push(Diagonal(2)).Covariance(1, 1), 12);
    }

    [Fact]
    public void DiagonalAffineMap_Push_checks_the_initial_law()
    {
        var map = AffineResponse.MeasureDiagonal(Identity(), Problem(), Grid, 2);
        Assert.Equal("initial", Assert.Throws<ArgumentNullException>(() => map.Push(null!)).ParamName);
        Refused<ArgumentException>("initial", "The initial law is 3-dimensional, the map 2-dimensional.", () => map.Push(Diagonal(3)));
        Refused<ArgumentException>("initial", "The initial law is 1-dimensional, the map 2-dimensional.", () => map.Push(Diagonal(1)));
        Refused<ArgumentException>("initial", "A diagonal map pushes diagonal laws only (write the problem in the eigenbasis).", () => map.Push(Full2()));
        Assert.Equal(0.37, map.Push(Diagonal(2)).Mean(1), 12);
    }

    [Fact]
    public void AffineResponse_checks_its_arguments()
    {
        var problem = Problem();
        Func<ISolver, SamplingProblem, TimeGrid, int, object>[] measures =
        [
            (s, p, g, d) => AffineResponse.Measure(s, p, g, d),
            (s, p, g, d) => AffineResponse.MeasureDiagonal(s, p, g, d),
        ];
        foreach (var measure in measures)
        {
            Assert.Equal("solver", Assert.Throws<ArgumentNullException>(() => measure(null!, problem, Grid, 2)).ParamName);
            Assert.Equal("problem", Assert.Throws<ArgumentNullException>(() => measure(Identity(), null!, Grid, 2)).ParamName);
            Assert.Equal("grid", Assert.Throws<ArgumentNullException>(() => measure(Identity(), problem, null!, 2)).ParamName);
            Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => measure(Identity(), problem, Grid, 0)).ParamName);
            Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => measure(Identity(), problem, Grid, -1)).ParamName);
            Assert.NotNull(measure(Identity(), problem, Grid, 1));
        }
        Assert.Equal(1.0, AffineResponse.Measure(Identity(), problem, Grid, 1).Matrix(0, 0));
    }

    [Fact]
    public void AffineResponse_refuses_failed_and_inconsistent_solves()
    {
        var problem = Problem();
        Refused<InvalidOperationException>(null, "The recording solve failed: NonFinite scripted failure",
            () => AffineResponse.Measure(new ScriptedSolver((_, _, _) => SolveStatus.NonFinite), problem, Grid, 2));
        Refused<InvalidOperationException>(null, "The probe solve failed: StepSizeCollapse scripted failure",
            () => AffineResponse.MeasureDiagonal(new ScriptedSolver((call, _, _) => call == 0 ? SolveStatus.Success : SolveStatus.StepSizeCollapse), problem, Grid, 2));

        // Increments of the wrong dimension in the recording solve.
        Refused<InvalidOperationException>(null, "The solver drew 3-dimensional increments for a 2-dimensional state.",
            () => AffineResponse.Measure(new ScriptedSolver((_, x, o) =>
            {
                o.Increments!.FillGaussian(0, 0, new Batch(x.Count, 3));
                return SolveStatus.Success;
            }), problem, Grid, 2));

        // A solver that draws from more streams in the probe solve than in the recording solve.
        Refused<InvalidOperationException>(null, "Solver 'scripted' drew from 2 noise streams in the probe solve but 1 in the recording solve: its noise usage depends on the state (adaptive step attempts), so it has no single affine response.",
            () => AffineResponse.Measure(new ScriptedSolver((call, x, o) =>
            {
                for (var s = 0u; s <= call; s++) o.Increments!.FillGaussian(s, 0, new Batch(x.Count, x.Dimension));
                return SolveStatus.Success;
            }), problem, Grid, 2));

        // The same streams in both solves, at the state's dimension: accepted.
        var stochastic = AffineResponse.Measure(new ScriptedSolver((_, x, o) =>
        {
            o.Increments!.FillGaussian(3, 0, new Batch(x.Count, x.Dimension));
            return SolveStatus.Success;
        }), problem, Grid, 2);
        Assert.Equal(1, stochastic.Streams);
        var diagonal = AffineResponse.MeasureDiagonal(new ScriptedSolver((_, x, o) =>
        {
            o.Increments!.FillGaussian(3, 0, new Batch(x.Count, x.Dimension));
            return SolveStatus.Success;
        }), problem, Grid, 2);
        Assert.Equal(1, diagonal.Streams);
        Assert.Equal(0, AffineResponse.Measure(Identity(), problem, Grid, 2).Streams);
    }

    [Fact]
    public void GaussianDistance_checks_its_arguments()
    {
        var p = Diagonal(2);
        var q = Full2();
        Func<GaussianLaw, GaussianLaw, double>[] distances =
            [GaussianDistance.KullbackLeibler, GaussianDistance.Wasserstein2, GaussianDistance.MeanError, GaussianDistance.CovarianceError];
        foreach (var distance in distances)
        {
            Assert.Equal("p", Assert.Throws<ArgumentNullException>(() => distance(null!, q)).ParamName);
            Assert.Equal("q", Assert.Throws<ArgumentNullException>(() => distance(p, null!)).ParamName);
            Refused<ArgumentException>("q", "The laws have dimensions 2 and 3.", () => distance(p, Diagonal(3)));
            Refused<ArgumentException>("q", "The laws have dimensions 3 and 2.", () => distance(Diagonal(3), q));
            Assert.True(double.IsFinite(distance(p, q)));
            Assert.True(distance(p, q) > 0);
        }
    }

    [Fact]
    public void GaussianLaw_Full_checks_its_arguments()
    {
        var cov = new[,] { { 2.5, 0.3 }, { 0.3, 1.5 } };
        Assert.Equal("mean", Assert.Throws<ArgumentNullException>(() => GaussianLaw.Full(null!, cov)).ParamName);
        Assert.Equal("covariance", Assert.Throws<ArgumentNullException>(() => GaussianLaw.Full([0.37, 0.2], null!)).ParamName);
        Refused<ArgumentException>("mean", "A law needs at least one dimension.", () => GaussianLaw.Full([], new double[0, 0]));
        Assert.Equal(1, GaussianLaw.Full([0.37], new[,] { { 2.5 } }).Dimension);
        Refused<ArgumentException>("covariance", "The covariance is 3 x 2, expected 2 x 2.", () => GaussianLaw.Full([0.37, 0.2], new double[3, 2]));
        Refused<ArgumentException>("covariance", "The covariance is 2 x 3, expected 2 x 2.", () => GaussianLaw.Full([0.37, 0.2], new double[2, 3]));
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            Refused<ArgumentException>("covariance", $"The covariance has a non-finite entry {bad}.", () => GaussianLaw.Full([0.37, 0.2], new[,] { { 2.5, 0.3 }, { 0.3, bad } }));
            Refused<ArgumentException>("mean", $"The mean has a non-finite entry {bad}.", () => GaussianLaw.Full([0.37, bad], cov));
        }
        Refused<ArgumentException>("covariance", "The covariance is not symmetric at (1, 0).", () => GaussianLaw.Full([0.37, 0.2], new[,] { { 2.5, 0.3 }, { 0.3001, 1.5 } }));
        Refused<ArgumentException>("covariance", "The covariance is not symmetric at (2, 1).",
            () => GaussianLaw.Full([0.37, 0.2, 0.1], new[,] { { 2.5, 0.3, 0.1 }, { 0.3, 1.5, 0.2 }, { 0.1, 0.25, 1.0 } }));
        // Within the relative 1e-9: accepted; an all-zero covariance (difference 0, scale 0) is symmetric.
        Assert.Equal(0.3, GaussianLaw.Full([0.37, 0.2], new[,] { { 2.5, 0.3 }, { 0.3 + 1e-12, 1.5 } }).Covariance(0, 1));
        Assert.Equal(0.0, GaussianLaw.Full([0.37, 0.2], new double[2, 2]).Covariance(1, 0));
        Assert.False(GaussianLaw.Full([0.37, 0.2], cov).IsDiagonal);
    }

    [Fact]
    public void GaussianLaw_Diagonal_and_Isotropic_check_their_arguments()
    {
        Assert.Equal("mean", Assert.Throws<ArgumentNullException>(() => GaussianLaw.Diagonal(null!, [2.5])).ParamName);
        Assert.Equal("variances", Assert.Throws<ArgumentNullException>(() => GaussianLaw.Diagonal([0.37], null!)).ParamName);
        Refused<ArgumentException>("mean", "A law needs at least one dimension.", () => GaussianLaw.Diagonal([], []));
        Assert.Equal(1, GaussianLaw.Diagonal([0.37], [2.5]).Dimension);
        Refused<ArgumentException>("variances", "3 variances for a 2-dimensional mean.", () => GaussianLaw.Diagonal([0.37, 0.2], [2.5, 1.5, 0.5]));
        Refused<ArgumentException>("variances", "1 variances for a 2-dimensional mean.", () => GaussianLaw.Diagonal([0.37, 0.2], [2.5]));
        foreach (var bad in new[] { -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentException>("variances", $"A variance is {bad}.", () => GaussianLaw.Diagonal([0.37, 0.2], [2.5, bad]));
        Assert.Equal(0.0, GaussianLaw.Diagonal([0.37, 0.2], [2.5, 0.0]).Covariance(1, 1));
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentException>("mean", $"The mean has a non-finite entry {bad}.", () => GaussianLaw.Diagonal([0.37, bad], [2.5, 1.5]));
        Assert.True(GaussianLaw.Diagonal([0.37, 0.2], [2.5, 1.5]).IsDiagonal);

        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianLaw.Isotropic(0, 2.5)).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianLaw.Isotropic(-1, 2.5)).ParamName);
        Assert.Equal(2.5, GaussianLaw.Isotropic(1, 2.5).Covariance(0, 0));
    }

    [Fact]
    public void UnitImpulses_checks_its_arguments()
    {
        Assert.Equal("firstImpulse", Assert.Throws<ArgumentOutOfRangeException>(() => new UnitImpulses(-1, [0u], 2, true)).ParamName);
        Assert.Equal(0, new UnitImpulses(0, [0u], 2, true).FirstImpulse);
        Assert.Equal("streams", Assert.Throws<ArgumentNullException>(() => new UnitImpulses(3, null!, 2, true)).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new UnitImpulses(3, [0u], 0, true)).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new UnitImpulses(3, [0u], -1, true)).ParamName);
        Assert.Equal(1, new UnitImpulses(3, [0u], 1, true).Dimension);

        var impulses = new UnitImpulses(1, [5u], 2, true);
        Refused<ArgumentException>("destination", "A draw of dimension 3 from impulses of dimension 2.", () => impulses.FillGaussian(5, 0, new Batch(3, 3)));
        Refused<ArgumentException>("destination", "A draw of dimension 1 from impulses of dimension 2.", () => impulses.FillGaussian(5, 0, new Batch(3, 1)));
        var ok = new Batch(3, 2);
        impulses.FillGaussian(5, 0, ok);
        Assert.Equal(1.0, ok[1, 0]);
        Assert.Equal(1.0, ok[2, 1]);
    }

    [Fact]
    public void IncrementRecorder_refuses_draws_of_two_dimensions()
    {
        var recorder = new IncrementRecorder();
        recorder.FillGaussian(4, 0, new Batch(2, 2));
        Assert.Equal(2, recorder.Dimension);
        recorder.FillGaussian(1, 0, new Batch(3, 2));
        Refused<InvalidOperationException>(null, "The solver drew 2- and 3-dimensional increments.", () => recorder.FillGaussian(1, 0, new Batch(2, 3)));
        Refused<InvalidOperationException>(null, "The solver drew 2- and 1-dimensional increments.", () => recorder.FillGaussian(1, 0, new Batch(2, 1)));
        Assert.Equal([1u, 4u], recorder.Streams);
    }
}

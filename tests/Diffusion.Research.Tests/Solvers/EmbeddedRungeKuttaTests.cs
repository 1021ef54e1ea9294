using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

public class EmbeddedRungeKuttaTests
{
    private const double X0 = 0.7, Start = 0.3, End = 1.9;

    private static double Error(ISolver solver, TimeGrid grid, SolveOptions options)
    {
        var x = new Batch(1, 1);
        x[0, 0] = X0;
        var solution = solver.Solve(SamplingProblem.Of(new LinearTimeDependentOde()), x, grid, options);
        Assert.True(solution.IsSuccess, solution.Message);
        return Math.Abs(solution.Samples[0, 0] - LinearTimeDependentOde.Exact(X0, Start, End));
    }

    [Fact]
    public void TheBogackiShampineSolutionHasOrderThree()
    {
        // Fixed steps with the pair's solution weights: halving h divides the global error by 2^3.
        var fixedStep = new ExplicitRungeKutta(Tableau.BogackiShampine32);
        var coarse = Error(fixedStep, TimeGrid.Uniform(Start, End, 40), new SolveOptions());
        var fine = Error(fixedStep, TimeGrid.Uniform(Start, End, 80), new SolveOptions());
        Assert.InRange(Math.Log2(coarse / fine), 2.8, 3.2);
    }

    [Fact]
    public void ThePairIsAdaptiveWithExponentsFromItsErrorOrder()
    {
        var solver = new EmbeddedRungeKutta(Tableau.BogackiShampine32);
        Assert.Equal("bosh3", solver.Traits.Name);
        Assert.True(solver.Traits.IsAdaptive);
        Assert.Equal(3, solver.Traits.NfePerStep); // FSAL: 4 stages, 3 new evaluations per step
        Assert.Equal(1.0 / 3 - 0.75 * 0.04, solver.Controller.Alpha);
        Assert.Equal(PiController.DormandPrince.Alpha, PiController.ForErrorOrder(4).Alpha, 1e-15);
        // Tighter tolerances give smaller errors, within a modest multiple of the tolerance.
        var grid = TimeGrid.Uniform(Start, End, 1);
        var loose = Error(solver, grid, new SolveOptions().WithTolerances(1e-4, 1e-4));
        var tight = Error(solver, grid, new SolveOptions().WithTolerances(1e-7, 1e-7));
        Assert.True(tight < loose / 20, $"{loose} -> {tight}");
        Assert.True(tight < 1e-5, $"{tight}");
        Assert.Throws<ArgumentException>(() => new EmbeddedRungeKutta(Tableau.RungeKutta4));
    }
}

using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// Fitted order (diffrax test_integrate style): the slope of log(error) against log(dt) on ODEs with known
/// solutions must lie within 0.3 of the order each solver declares. Runs over every fixed-step entry of the
/// registry that works on a plain problem (stochastic ones see b = 0, where their weak order is their ODE order).
/// </summary>
public class OrderTests
{
    private static readonly int[] StepCounts = [10, 20, 40, 80];

    public static TheoryData<string> PlainFixedStepSolvers()
    {
        var data = new TheoryData<string>();
        var registry = SolverRegistry.CreateDefault();
        foreach (var name in registry.Names)
        {
            var solver = registry.Create(name);
            if (!solver.Traits.IsAdaptive && solver is not IDiffusionSampler) data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PlainFixedStepSolvers))]
    public void FittedOrderMatchesDeclaredOrderOnLinearTimeDependentOde(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name);
        // Forwards on [0, 2] and backwards on [2, 0.5]: integrators must work in both directions.
        foreach (var (s, t) in new[] { (0.0, 2.0), (2.0, 0.5) })
        {
            var slope = FittedSlope(solver, new LinearTimeDependentOde(), s, t, [1.0, -0.5], (x0, a, b) => LinearTimeDependentOde.Exact(x0, a, b));
            Assert.InRange(slope, solver.Traits.Order - 0.3, solver.Traits.Order + 0.3);
        }
    }

    [Theory]
    [MemberData(nameof(PlainFixedStepSolvers))]
    public void FittedOrderMatchesDeclaredOrderOnLogisticOde(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name);
        var slope = FittedSlope(solver, new LogisticOde(), 0.0, 3.0, [0.1, 0.6], LogisticOde.Exact);
        Assert.InRange(slope, solver.Traits.Order - 0.3, solver.Traits.Order + 0.3);
    }

    [Fact]
    public void DormandPrinceTableauHasOrderFiveAtFixedSteps()
    {
        var solver = new ExplicitRungeKutta(Tableau.DormandPrince45);
        var slope = FittedSlope(solver, new LogisticOde(), 0.0, 3.0, [0.1, 0.6], LogisticOde.Exact, [8, 16, 32, 64]);
        Assert.InRange(slope, 4.7, 5.3);
    }

    [Fact]
    public void DormandPrinceEmbeddedEstimateHasLocalOrderFive()
    {
        // The error estimate dt Σ E_j k_j of a single step scales like dt^5 (embedded order 4 => local error O(dt^5)).
        var tableau = Tableau.DormandPrince45;
        var steps = new List<double>();
        var errors = new List<double>();
        foreach (var h in new[] { 0.4, 0.2, 0.1, 0.05 })
        {
            var x = new Batch([0.1], 1, 1);
            var workspace = new Workspace(tableau.Stages + 1, 1, 1);
            RungeKuttaStages.Evaluate(new LogisticOde(), tableau, 0.0, h, x, workspace, firstStageReady: false);
            var e = new Batch(1, 1);
            RungeKuttaStages.Combine(tableau.E, h, null, workspace, e);
            steps.Add(h);
            errors.Add(Math.Abs(e[0, 0]));
        }
        Assert.InRange(OrderFit.Slope(steps, errors), 4.7, 5.3);
    }

    internal static double FittedSlope(ISolver solver, IDynamics dynamics, double start, double end, double[] x0, Func<double, double, double, double> exact, int[]? counts = null)
    {
        var steps = new List<double>();
        var errors = new List<double>();
        foreach (var n in counts ?? StepCounts)
        {
            var x = new Batch((double[])x0.Clone(), 1, x0.Length);
            var solution = solver.Solve(SamplingProblem.Of(dynamics), x, TimeGrid.Uniform(start, end, n), new SolveOptions().WithThreads(1));
            Assert.True(solution.IsSuccess, solution.Message);
            var error = 0.0;
            for (var d = 0; d < x0.Length; d++) error = Math.Max(error, Math.Abs(x[0, d] - exact(x0[d], start, end)));
            steps.Add(Math.Abs(end - start) / n);
            errors.Add(error);
        }
        return OrderFit.Slope(steps, errors);
    }
}

using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>Bad input throws before any loop; failures inside the loop are statuses, never exceptions or silent NaN.</summary>
public class FailureTests
{
    public static TheoryData<string> PlainSolvers() => GenericDeterminismTests.PlainSolvers();

    [Theory]
    [MemberData(nameof(PlainSolvers))]
    public void PoisonedDriftGivesNonFiniteWithTheTime(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name);
        var inner = solver.Traits.IsStochastic ? (Diffusion.Research.Sde.IDynamics)new OrnsteinUhlenbeck(1, 0.5) : new LogisticOde();
        var problem = SamplingProblem.Of(new PoisonedDynamics(inner, 0.5, backward: false));
        var x = new Batch(50, 2);
        x.Values.Fill(0.3);
        var solution = solver.Solve(problem, x, TimeGrid.Uniform(0, 1, 20), new SolveOptions().WithChunkSize(8));
        Assert.Equal(SolveStatus.NonFinite, solution.Status);
        // Fixed steps see the poison in the step starting at 0.5 or 0.55; adaptive ones shrink their step
        // towards the poisoned time before giving up (the step size collapses just below t = 0.5).
        var low = solver.Traits.IsAdaptive ? 0.5 - 1e-6 : 0.45;
        Assert.InRange(solution.ReachedTime, low, 0.55 + 1e-12);
        Assert.NotNull(solution.Message);
        Assert.True(solution.Statistics.Nfe > 0);
    }

    [Theory]
    [InlineData("dopri5")]
    [InlineData("ggf")]
    public void ImpossibleToleranceCollapsesOrRunsOutOfSteps(string name)
    {
        var solver = SolverRegistry.CreateDefault().Create(name);
        var problem = SamplingProblem.Of(name == "ggf" ? new OrnsteinUhlenbeck(1, 0.5) : new LogisticOde());
        var x = new Batch(4, 2);
        x.Values.Fill(0.3);
        var options = new SolveOptions().WithTolerances(1e-300, 1e-300).WithMaxSteps(200);
        var solution = solver.Solve(problem, x, TimeGrid.Uniform(0, 1, 10), options);
        Assert.Contains(solution.Status, new[] { SolveStatus.StepSizeCollapse, SolveStatus.MaxStepsExceeded });
        Assert.True(x.IsFinite());
        Assert.NotNull(solution.Message);
    }

    [Fact]
    public void TinyStepBudgetGivesMaxStepsExceeded()
    {
        var x = new Batch(4, 1);
        x.Values.Fill(0.3);
        var solution = new DormandPrince45().Solve(SamplingProblem.Of(new LogisticOde()), x, TimeGrid.Uniform(0, 10, 1000),
            new SolveOptions().WithMaxSteps(3));
        Assert.Equal(SolveStatus.MaxStepsExceeded, solution.Status);
        Assert.True(solution.ReachedTime < 10);
    }

    [Fact]
    public void OdeSolverRefusesAnSde()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new ExplicitRungeKutta(Tableau.RungeKutta4).Solve(SamplingProblem.Of(new OrnsteinUhlenbeck(1, 1)), new Batch(3, 1), TimeGrid.Uniform(0, 1, 4), new SolveOptions()));
        Assert.Contains("diffusion", e.Message);
    }

    [Fact]
    public void MismatchedDimensionThrowsBeforeTheLoop()
    {
        var problem = SamplingProblem.Of(new FixedDimensionDynamics(2));
        foreach (var name in SolverRegistry.CreateDefault().Names)
        {
            var solver = SolverRegistry.CreateDefault().Create(name);
            if (solver is IDiffusionSampler) continue;
            var e = Assert.Throws<ArgumentException>(() => solver.Solve(problem, new Batch(5, 3), TimeGrid.Uniform(0, 1, 4), new SolveOptions()));
            Assert.Contains("dimension", e.Message);
        }
    }

    [Fact]
    public void BadOptionsAndGridsThrow()
    {
        var solver = new EulerMaruyama();
        var problem = SamplingProblem.Of(new OrnsteinUhlenbeck(1, 1));
        var x = new Batch(5, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeGrid.Uniform(0, 1, -3));
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.Solve(problem, x, TimeGrid.Uniform(0, 1, 3), new SolveOptions().WithThreads(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.Solve(problem, x, TimeGrid.Uniform(0, 1, 3), new SolveOptions().WithChunkSize(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.Solve(problem, x, TimeGrid.Uniform(0, 1, 3), new SolveOptions().WithFirstParticle(-1)));
        Assert.Throws<ArgumentException>(() => solver.Solve(problem, new Batch(0, 1), TimeGrid.Uniform(0, 1, 3), new SolveOptions()));
        // Particles FirstParticle … FirstParticle + Count − 1 must lie below 2^62 (the noise counter range): the last one may be 2^62 − 1.
        ProblemGuard.CheckParticles(5, new SolveOptions().WithFirstParticle((1L << 62) - 5));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => solver.Solve(problem, x, TimeGrid.Uniform(0, 1, 3), new SolveOptions().WithFirstParticle((1L << 62) - 4)));
        Assert.StartsWith("The batch has no particles.", Assert.Throws<ArgumentException>("x", () => ProblemGuard.CheckParticles(0, new SolveOptions())).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => solver.Solve(problem, default, TimeGrid.Uniform(0, 1, 3), new SolveOptions()));
        Assert.Throws<ArgumentNullException>(() => solver.Solve(null!, x, TimeGrid.Uniform(0, 1, 3), new SolveOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DormandPrince45().Solve(SamplingProblem.Of(new LogisticOde()), x, TimeGrid.Uniform(0, 1, 3), new SolveOptions().WithTolerances(0, 1e-3)));
    }

    [Fact]
    public void ControllerRejectsBadSettings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DormandPrince45(PiController.DormandPrince.WithSafety(1.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveStochasticHeun(PiController.JolicoeurMartineau.WithExponents(-1, 0)));
    }
}

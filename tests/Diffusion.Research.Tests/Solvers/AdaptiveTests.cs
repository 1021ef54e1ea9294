using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

public class AdaptiveTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static double LogisticError(ISolver solver, double tolerance, out Solution solution)
    {
        double[] x0 = [0.05, 0.3, 0.6, 0.9];
        var x = new Batch((double[])x0.Clone(), 4, 1);
        solution = solver.Solve(SamplingProblem.Of(new LogisticOde()), x, TimeGrid.Uniform(0, 5, 10), new SolveOptions().WithTolerances(tolerance, tolerance));
        Assert.True(solution.IsSuccess, solution.Message);
        var error = 0.0;
        for (var i = 0; i < 4; i++) error = Math.Max(error, Math.Abs(x[i, 0] - LogisticOde.Exact(x0[i], 0, 5)));
        return error;
    }

    [Fact]
    public void DormandPrinceMeetsItsToleranceAndSpendsMoreWorkForLess()
    {
        var solver = new DormandPrince45();
        var loose = LogisticError(solver, 1e-4, out var s1);
        var tight = LogisticError(solver, 1e-8, out var s2);
        // Local error control keeps the global error within a small multiple of the tolerance on this
        // non-stiff problem (contractive for t > 0); 10x is generous for 5 time units.
        Assert.True(loose < 10 * 1e-4, $"error {loose}");
        Assert.True(tight < 10 * 1e-8, $"error {tight}");
        Assert.True(s2.Statistics.AcceptedSteps > s1.Statistics.AcceptedSteps);
        // FSAL: 7 evaluations for the first attempt, 6 for each later one, plus the two of the automatic starting step.
        var attempts = s2.Statistics.AcceptedSteps + s2.Statistics.RejectedSteps;
        Assert.Equal(2 + 1 + 6 * attempts, s2.Statistics.Nfe);
    }

    [Fact]
    public void DormandPrinceIntegratesBackwards()
    {
        var x = new Batch([1.0, -0.5], 1, 2);
        var solution = new DormandPrince45().Solve(SamplingProblem.Of(new LinearTimeDependentOde()), x, TimeGrid.Uniform(2, 0.5, 4),
            new SolveOptions().WithTolerances(1e-9, 1e-9));
        Assert.True(solution.IsSuccess);
        Assert.Equal(0.5, solution.ReachedTime);
        Assert.Equal(LinearTimeDependentOde.Exact(1.0, 2, 0.5), x[0, 0], 1e-7);
        Assert.Equal(LinearTimeDependentOde.Exact(-0.5, 2, 0.5), x[0, 1], 1e-7);
    }

    [Fact]
    public void GottaGoFastOnAnOdeIsASecondOrderAdaptiveMethod()
    {
        // With b = 0 the EM/Heun pair is an embedded Euler/Heun pair: the error must shrink with the tolerance.
        var loose = LogisticError(new AdaptiveStochasticHeun(), 1e-2, out var s1);
        var tight = LogisticError(new AdaptiveStochasticHeun(), 1e-5, out var s2);
        Assert.True(tight < loose / 10, $"{tight} vs {loose}");
        Assert.True(tight < 1e-3, $"error {tight}");
        Assert.True(s2.Statistics.AcceptedSteps > s1.Statistics.AcceptedSteps);
        Assert.Equal(2 + 2 * (s2.Statistics.AcceptedSteps + s2.Statistics.RejectedSteps), s2.Statistics.Nfe); // 2: the automatic starting step
    }

    [Fact]
    public void PiControllerShrinksOnRejectionAndDoesNotGrowRightAfterIt()
    {
        var c = PiController.DormandPrince;
        var reject = c.Decide(0.1, 4.0, 1.0, afterRejection: false);
        Assert.False(reject.Accepted);
        Assert.True(reject.NextStep < 0.1);
        var afterReject = c.Decide(0.1, 1e-6, 1.0, afterRejection: true);
        Assert.True(afterReject.Accepted);
        Assert.Equal(0.1, afterReject.NextStep);
        var grow = c.Decide(0.1, 1e-3, 1.0, afterRejection: false);
        Assert.True(grow.NextStep > 0.1 && grow.NextStep <= 1.0 + 1e-15);
    }

    /// <summary>
    /// GGF's tolerance follows the state (Jolicoeur-Martineau et al. 2021 Alg. 1: δ = max(ε_abs, ε_rel max(|x'|, |x'_prev|))
    /// with x'_prev the previous accepted proposal). On dx = −x dt from x_0 = 10⁴ to t = 10 (the state falls 22 000-fold) each
    /// accepted step's local error relative to the state is at most ε_rel (the estimate |x' − x''| bounds Heun's local error,
    /// and the step continues from x''), and relative errors add along a linear decaying path: |x(10)/x_exact − 1| ≤ N ε_rel
    /// with N the accepted steps. A scale frozen at the start would allow 10⁴ ε_rel absolute at the end, where x ≈ 0.45.
    /// </summary>
    [Fact]
    public void StochasticHeunToleranceFollowsADecayingState()
    {
        const double rtol = 1e-4;
        var x = new Batch([1e4], 1, 1);
        var solution = new AdaptiveStochasticHeun().Solve(SamplingProblem.Of(new Decay()), x, TimeGrid.Uniform(0, 10, 1),
            new SolveOptions().WithTolerances(rtol, 1e-12));
        Assert.True(solution.IsSuccess, solution.Message);
        var relative = Math.Abs(x.Values[0] / (1e4 * Math.Exp(-10)) - 1);
        output.WriteLine($"relative error {relative:E3}, {solution.Statistics.AcceptedSteps} accepted, {solution.Statistics.RejectedSteps} rejected");
        Assert.True(relative <= solution.Statistics.AcceptedSteps * rtol, $"relative error {relative}, {solution.Statistics.AcceptedSteps} steps");
    }

    private sealed class Decay : Diffusion.Research.Sde.IDynamics
    {
        public void Drift(double t, Batch x, Batch destination)
        {
            for (var i = 0; i < x.Values.Length; i++) destination.Values[i] = -x.Values[i];
        }

        public double Diffusion(double t) => 0;
    }
}

public class ChurnTests
{
    [Fact]
    public void GammaFollowsKarrasAlgorithmTwo()
    {
        var churn = new Churn(SChurn: 10, STMin: 0.05, STMax: 50);
        Assert.Equal(10.0 / 40, churn.Gamma(1.0, 40), 15);           // S_churn / N
        Assert.Equal(Math.Sqrt(2) - 1, churn.Gamma(1.0, 10), 15);    // capped at sqrt 2 − 1
        Assert.Equal(0.0, churn.Gamma(0.01, 40));                    // below S_tmin
        Assert.Equal(0.0, churn.Gamma(60, 40));                      // above S_tmax
        Assert.True(Churn.None.IsDeterministic);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Churn(STMin: 2, STMax: 1).Validate());
    }
}

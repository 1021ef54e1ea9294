using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/Control: the boundary, the parameter name and the message.</summary>
public class SolversControlContractTests
{
    /// <summary>dx/dt = −0.37 x.</summary>
    private sealed class Decay : IDynamics
    {
        public void Drift(double t, Batch x, Batch destination)
        {
            for (var i = 0; i < x.Values.Length; i++) destination.Values[i] = -0.37 * x.Values[i];
        }

        public double Diffusion(double t) => 0;
    }

    /// <summary>An adaptive solver that hands its controller to the base constructor as it is.</summary>
    private sealed class PassThrough(PiController controller) : AdaptiveSolver(controller)
    {
        public override SolverTraits Traits { get; } = new("pass", 1, 0, false, true, 1, "test double");

        protected override int Buffers => 1;

        protected override AttemptResult Attempt(SamplingProblem problem, double t, double dt, int attempt, SolveOptions options, long firstParticle, Batch x, Workspace workspace) =>
            throw new NotSupportedException();

        protected override void Commit(Batch x, Workspace workspace)
        {
        }
    }

    [Fact]
    public void StartingStepSize_checks_the_dynamics_and_the_error_order()
    {
        var x = new Batch(2, 2);
        x.Set(0, 0, 0.37);
        x.Set(0, 1, 2.5);
        x.Set(1, 0, -1.25);
        x.Set(1, 1, 0.5);
        Batch f0 = new(2, 2), x1 = new(2, 2), f1 = new(2, 2);
        Assert.Equal("dynamics", Assert.Throws<ArgumentNullException>(() => StartingStepSize.FirstGuess(null!, 0.25, x, f0, 1e-3, 1e-3)).ParamName);
        var h0 = StartingStepSize.FirstGuess(new Decay(), 0.25, x, f0, 1e-3, 1e-3);
        Assert.True(h0 > 0);
        Assert.Equal("dynamics", Assert.Throws<ArgumentNullException>(() => StartingStepSize.SecondGuess(null!, 0.25, h0, x, f0, x1, f1, 1e-3, 1e-3, 2)).ParamName);
        foreach (var bad in new[] { 0, -1, int.MinValue })
            Assert.Equal("errorOrder", Assert.Throws<ArgumentOutOfRangeException>(() => StartingStepSize.SecondGuess(new Decay(), 0.25, h0, x, f0, x1, f1, 1e-3, 1e-3, bad)).ParamName);
        Assert.True(StartingStepSize.SecondGuess(new Decay(), 0.25, h0, x, f0, x1, f1, 1e-3, 1e-3, 1) > 0);
    }

    [Fact]
    public void PiController_ForErrorOrder_checks_the_order()
    {
        foreach (var bad in new[] { 0, -1, int.MinValue })
            Assert.Equal("embeddedOrder", Assert.Throws<ArgumentOutOfRangeException>(() => PiController.ForErrorOrder(bad)).ParamName);
        Assert.Equal(0.5 - 0.75 * 0.04, PiController.ForErrorOrder(1).Alpha, 15);
    }

    [Fact]
    public void PiController_Validate_checks_every_setting()
    {
        var good = new PiController(0.37, 0.25, 0.04, 0.2, 2.5);
        good.Validate();
        foreach (var bad in new[] { 0.0, -0.37, 1.25, 1 + 1e-15, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("Safety", "Must lie in (0, 1].", () => (good with { Safety = bad }).Validate());
        (good with { Safety = 1 }).Validate();
        (good with { Safety = 1e-300 }).Validate();
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("Alpha", "Must be positive.", () => (good with { Alpha = bad }).Validate());
        (good with { Alpha = 1e-300 }).Validate();
        foreach (var bad in new[] { -0.37, -1e-300, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("Beta", "Must be >= 0.", () => (good with { Beta = bad }).Validate());
        (good with { Beta = 0 }).Validate();
        foreach (var bad in new[] { 0.0, -0.37, 1.25, 1 + 1e-15, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("MinFactor", "Must lie in (0, 1].", () => (good with { MinFactor = bad }).Validate());
        (good with { MinFactor = 1 }).Validate();
        (good with { MinFactor = 1e-300 }).Validate();
        foreach (var bad in new[] { 0.37, 1 - 1e-15, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("MaxFactor", "Must be finite and >= 1.", () => (good with { MaxFactor = bad }).Validate());
        (good with { MaxFactor = 1 }).Validate();
    }

    [Fact]
    public void AdaptiveSolver_constructor_checks_and_validates_the_controller()
    {
        Assert.Equal("controller", Assert.Throws<ArgumentNullException>(() => new PassThrough(null!)).ParamName);
        Refused<ArgumentOutOfRangeException>("Safety", "Must lie in (0, 1].", () => new PassThrough(PiController.DormandPrince.WithSafety(1.25)));
        Refused<ArgumentOutOfRangeException>("MaxFactor", "Must be finite and >= 1.", () => new DormandPrince45(PiController.DormandPrince.WithFactorBounds(0.2, 0.37)));
        Refused<ArgumentOutOfRangeException>("Alpha", "Must be positive.", () => new AdaptiveStochasticHeun(PiController.JolicoeurMartineau.WithExponents(0, 0)));
        var controller = PiController.DormandPrince.WithSafety(1);
        Assert.Same(controller, new PassThrough(controller).Controller);
    }
}

using Diffusion.Research.Numerics;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// The step-size controller against its formula term by term (Hairer–Wanner II §IV.2 eq 2.43, Hairer–Nørsett–Wanner I
/// §II.4): h_new = h · clamp(fac · E^(−α) · E_prev^(β), fac_min, fac_max), accepted iff E ≤ 1, the previous error only
/// on acceptance (floored at 1e-4), no growth after a rejection; and the error norm (HNW I eq II.4.11) in D = 3 where
/// the worst particle is not the first. Generic constants throughout (no 0, 1 or 1/2 where a bug could hide).
/// </summary>
public class ControllerFormulaTests
{
    private const double Safety = 0.83, Alpha = 0.23, Beta = 0.07, MinFactor = 0.31, MaxFactor = 4.7;
    private static readonly PiController Controller = new(Safety, Alpha, Beta, MinFactor, MaxFactor);
    private const double H = 0.037;

    private static void Decision(bool accepted, double factor, StepDecision decision)
    {
        Assert.Equal(accepted, decision.Accepted);
        Assert.Equal(H * factor, decision.NextStep, 1e-15);
    }

    [Fact]
    public void AcceptedStepUsesBothExponentsAndTheSafetyFactor()
    {
        // 0.83 · 0.05^(−0.23) · 0.52^(0.07) ≈ 1.58, inside [0.31, 4.7]
        var factor = Safety * Math.Pow(0.05, -Alpha) * Math.Pow(0.52, Beta);
        Assert.InRange(factor, 1.2, 2.0);
        Decision(true, factor, Controller.Decide(H, 0.05, 0.52, afterRejection: false));
        // Each exponent on its own: the ratio of two decisions isolates E^(−α) and E_prev^(β).
        var a = Controller.Decide(H, 0.05, 0.52, false).NextStep;
        var b = Controller.Decide(H, 0.11, 0.52, false).NextStep;
        Assert.Equal(Math.Pow(0.05 / 0.11, -Alpha), a / b, 1e-14);
        var c = Controller.Decide(H, 0.05, 0.87, false).NextStep;
        Assert.Equal(Math.Pow(0.52 / 0.87, Beta), a / c, 1e-14);
    }

    [Fact]
    public void RejectedStepIgnoresThePreviousErrorAndShrinks()
    {
        // E = 2.9 > 1: factor 0.83 · 2.9^(−0.23) ≈ 0.65 (no proportional term on a rejection)
        var factor = Safety * Math.Pow(2.9, -Alpha);
        Decision(false, factor, Controller.Decide(H, 2.9, 0.52, afterRejection: false));
        Decision(false, factor, Controller.Decide(H, 2.9, 0.013, afterRejection: true));
    }

    [Fact]
    public void ErrorOfExactlyOneIsAccepted()
    {
        Decision(true, Safety * Math.Pow(0.52, Beta), Controller.Decide(H, 1.0, 0.52, afterRejection: false));
        Assert.False(Controller.Decide(H, 1.0 + 1e-12, 0.52, afterRejection: false).Accepted);
    }

    [Fact]
    public void FactorIsClampedToItsBounds()
    {
        // 0.83 · 1000^(−0.23) ≈ 0.17 < 0.31
        Decision(false, MinFactor, Controller.Decide(H, 1000, 0.52, afterRejection: false));
        // 0.83 · (1e−9)^(−0.23) ≈ 100 > 4.7
        Decision(true, MaxFactor, Controller.Decide(H, 1e-9, 0.52, afterRejection: false));
        // E = 0: the largest growth, or none right after a rejection
        Decision(true, MaxFactor, Controller.Decide(H, 0.0, 0.52, afterRejection: false));
        Decision(true, 1.0, Controller.Decide(H, 0.0, 0.52, afterRejection: true));
    }

    [Fact]
    public void NoGrowthRightAfterARejectionButShrinkingStillAllowed()
    {
        Decision(true, 1.0, Controller.Decide(H, 0.05, 0.52, afterRejection: true));
        // accepted with factor below 1 (E = 0.9, E_prev = 0.2: 0.83 · 0.9^(−0.23) · 0.2^(0.07) ≈ 0.75): unchanged by the flag
        var factor = Safety * Math.Pow(0.9, -Alpha) * Math.Pow(0.2, Beta);
        Assert.InRange(factor, MinFactor, 1.0);
        Decision(true, factor, Controller.Decide(H, 0.9, 0.2, afterRejection: true));
        Decision(true, factor, Controller.Decide(H, 0.9, 0.2, afterRejection: false));
    }

    [Fact]
    public void PreviousErrorIsFlooredAt1EMinus4()
    {
        var factor = Safety * Math.Pow(0.4, -Alpha) * Math.Pow(1e-4, Beta);
        Decision(true, factor, Controller.Decide(H, 0.4, 1e-9, afterRejection: false));
        Decision(true, factor, Controller.Decide(H, 0.4, 1e-4, afterRejection: false));
    }

    [Fact]
    public void PresetsAreTheirPapersSettings()
    {
        // Hairer's DOPRI5: β = 0.04, α = 1/5 − 0.75 β, safety 0.9, factors [0.2, 10]
        Assert.Equal(0.2 - 0.75 * 0.04, PiController.DormandPrince.Alpha, 1e-15);
        Assert.Equal(new PiController(0.9, 0.17, 0.04, 0.2, 10.0), PiController.DormandPrince);
        // Jolicoeur-Martineau et al. 2021 Alg. 1: θ = 0.9, r = 0.9, no proportional part
        var jm = PiController.JolicoeurMartineau;
        Assert.Equal(new PiController(0.9, 0.9, 0.0, 0.1, 10.0), jm);
        Assert.Equal(0.025 * 0.9 * Math.Pow(0.43, -0.9), jm.Decide(0.025, 0.43, 0.6, false).NextStep, 1e-15);
        Assert.Equal(0.025 * 0.9 * Math.Pow(1.7, -0.9), jm.Decide(0.025, 1.7, 0.6, false).NextStep, 1e-15);
    }

    [Fact]
    public void ForErrorOrderIsHairersRuleForTheEmbeddedOrder()
    {
        // Hairer–Nørsett–Wanner I §II.4: α = 1/(q+1) − 0.75 β for an error estimate of order q; here q = 3, β = 0.05:
        // α = 0.25 − 0.0375 = 0.2125, safety 0.9, factors [0.2, 10].
        var third = PiController.ForErrorOrder(3, 0.05);
        Assert.Equal(0.2125, third.Alpha, 1e-15);
        Assert.Equal(new PiController(0.9, third.Alpha, 0.05, 0.2, 10.0), third);
        // The default β = 0.04 with q = 4 is the DOPRI5 preset (α = 0.17 to rounding).
        var dopri = PiController.ForErrorOrder(4);
        Assert.Equal(0.04, dopri.Beta);
        Assert.Equal(PiController.DormandPrince.Alpha, dopri.Alpha, 1e-15);
        // q = 1 is the smallest order; q = 0 has no error estimate.
        Assert.Equal(0.5 - 0.75 * 0.05, PiController.ForErrorOrder(1, 0.05).Alpha, 1e-15);
        Assert.Throws<ArgumentOutOfRangeException>(() => PiController.ForErrorOrder(0));
    }

    [Fact]
    public void CopiesChangeOnlyTheirFields()
    {
        Assert.Equal(new PiController(0.61, Alpha, Beta, MinFactor, MaxFactor), Controller.WithSafety(0.61));
        Assert.Equal(new PiController(Safety, 0.41, 0.09, MinFactor, MaxFactor), Controller.WithExponents(0.41, 0.09));
        Assert.Equal(new PiController(Safety, Alpha, Beta, 0.5, 2.5), Controller.WithFactorBounds(0.5, 2.5));
    }

    [Fact]
    public void ValidateAcceptsTheClosedEndsAndRejectsJustOutside()
    {
        Controller.Validate();
        new PiController(1.0, Alpha, 0.0, 1.0, 1.0).Validate(); // closed ends: Safety 1, β 0, fac_min = fac_max = 1
        PiController[] bad =
        [
            Controller.WithSafety(0.0), Controller.WithSafety(1.0 + 1e-12), Controller.WithSafety(double.NaN),
            Controller.WithExponents(0.0, Beta), Controller.WithExponents(double.PositiveInfinity, Beta), Controller.WithExponents(double.NaN, Beta),
            Controller.WithExponents(Alpha, -1e-12), Controller.WithExponents(Alpha, double.PositiveInfinity),
            Controller.WithFactorBounds(0.0, MaxFactor), Controller.WithFactorBounds(1.0 + 1e-12, MaxFactor),
            Controller.WithFactorBounds(MinFactor, 1.0 - 1e-12), Controller.WithFactorBounds(MinFactor, double.PositiveInfinity),
        ];
        foreach (var c in bad)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(c.Validate);
            Assert.StartsWith("Must", error.Message); // the user sees which bound was broken
        }
    }

    // Three particles in D = 3, rtol = 0.1, atol = 0.2. Particle 1 is the worst, so a norm that stops at the first particle fails.
    private static readonly Batch A = new([1.0, -3.0, 0.5, 0.0, 0.0, 4.0, 2.0, 2.0, 2.0], 3, 3);
    private static readonly Batch B = new([-2.0, 1.0, 0.5, 0.0, -6.0, 0.0, 1.0, 1.0, 1.0], 3, 3);
    private static readonly Batch E = new([0.2, 0.25, 0.05, -0.3, 0.8, -0.9, 0.0, 0.0, 0.0], 3, 3);

    [Fact]
    public void SumRuleInThreeDimensions()
    {
        // particle 0: max(|a|,|b|) = (2, 3, 0.5), sc = 0.2 + 0.1·(2, 3, 0.5) = (0.4, 0.5, 0.25), e/sc = (0.5, 0.5, 0.2): 0.54/3
        // particle 1: max = (0, 6, 4), sc = (0.2, 0.8, 0.6), e/sc = (−1.5, 1, −1.5): 5.5/3  <- the maximum
        Assert.Equal(Math.Sqrt(5.5 / 3), ErrorNorm.MaxOverParticles(E, A, B, B, 0.1, 0.2, ToleranceScale.Sum), 1e-15);
        Assert.Equal(Math.Sqrt(5.5 / 3), ErrorNorm.MaxOverParticles(E, B, A, A, 0.1, 0.2, ToleranceScale.Sum), 1e-15); // symmetric in a, b
    }

    [Fact]
    public void MaxRuleInThreeDimensions()
    {
        // particle 0: sc = max(0.2, (0.2, 0.3, 0.05)) = (0.2, 0.3, 0.2), e/sc = (1, 5/6, 1/4)
        // particle 1: sc = max(0.2, (0, 0.6, 0.4)) = (0.2, 0.6, 0.4), e/sc = (−1.5, 4/3, −2.25)  <- the maximum
        var expected = Math.Sqrt((2.25 + 16.0 / 9 + 2.25 * 2.25) / 3);
        Assert.Equal(expected, ErrorNorm.MaxOverParticles(E, A, B, B, 0.1, 0.2, ToleranceScale.Max), 1e-15);
        // Particle 0 alone (a batch of one) gives its own value: the loop visits every particle.
        var first = ErrorNorm.MaxOverParticles(E.Slice(0, 1), A.Slice(0, 1), B.Slice(0, 1), B.Slice(0, 1), 0.1, 0.2, ToleranceScale.Max);
        Assert.Equal(Math.Sqrt((1 + 25.0 / 36 + 1.0 / 16) / 3), first, 1e-15);
    }

    [Fact]
    public void NonFiniteCandidateInALaterParticleIsNaN()
    {
        var candidate = new Batch([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, double.NaN], 3, 3);
        Assert.True(double.IsNaN(ErrorNorm.MaxOverParticles(E, A, B, candidate, 0.1, 0.2, ToleranceScale.Sum)));
        var nanError = new Batch([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, double.NaN, 0.0], 3, 3);
        Assert.True(double.IsNaN(ErrorNorm.MaxOverParticles(nanError, A, B, B, 0.1, 0.2, ToleranceScale.Max)));
    }
}

using Diffusion.Research.Numerics;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>The error norm shared by dopri5 and ggf, against values worked by hand.</summary>
public class ErrorNormTests
{
    // Two particles in D = 2. a = (1, -2 | 0, 0), b = (3, 1 | 0, 0), rtol = 0.1, atol = 0.5.
    private static readonly Batch A = new([1.0, -2.0, 0.0, 0.0], 2, 2);
    private static readonly Batch B = new([3.0, 1.0, 0.0, 0.0], 2, 2);
    private static readonly Batch Error = new([0.4, 0.7, 0.25, 0.0], 2, 2);

    [Fact]
    public void SumRuleIsHairerNorsettWannerII411()
    {
        // sc = atol + rtol max(|a|, |b|): particle 0 (0.8, 0.7) -> ratios (0.5, 1) -> sqrt(1.25 / 2);
        // particle 1 (0.5, 0.5) -> (0.5, 0) -> sqrt(0.25 / 2); the maximum is particle 0's.
        var norm = ErrorNorm.MaxOverParticles(Error, A, B, B, 0.1, 0.5, ToleranceScale.Sum);
        Assert.Equal(Math.Sqrt(1.25 / 2), norm, 1e-15);
    }

    [Fact]
    public void MaxRuleIsJolicoeurMartineauAlgorithm1()
    {
        // δ = max(atol, rtol max(|a|, |b|)): particle 0 (0.5, 0.5) -> ratios (0.8, 1.4) -> sqrt(2.6 / 2);
        // particle 1 (0.5, 0.5) -> (0.5, 0) -> sqrt(0.25 / 2).
        var norm = ErrorNorm.MaxOverParticles(Error, A, B, B, 0.1, 0.5, ToleranceScale.Max);
        Assert.Equal(Math.Sqrt(2.6 / 2), norm, 1e-15);
    }

    [Fact]
    public void NonFiniteCandidateIsNaNAndOverflowIsInfinite()
    {
        var candidate = new Batch([3.0, 1.0, double.PositiveInfinity, 0.0], 2, 2);
        Assert.True(double.IsNaN(ErrorNorm.MaxOverParticles(Error, A, B, candidate, 0.1, 0.5, ToleranceScale.Sum)));
        var huge = new Batch([double.MaxValue, 0.0, 0.0, 0.0], 2, 2);
        Assert.Equal(double.PositiveInfinity, ErrorNorm.MaxOverParticles(huge, A, B, B, 0.1, 0.5, ToleranceScale.Max));
    }
}

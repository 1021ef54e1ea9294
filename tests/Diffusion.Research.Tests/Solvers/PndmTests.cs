using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// PNDM (Liu et al. 2022 Alg. 1): the solve's NFE counts the four evaluations of each pseudo Runge–Kutta start step. Its
/// order (registry-driven <see cref="SamplerOrderTests"/>) and agreement with diffusers' PNDMScheduler
/// (<see cref="GoldenSamplerTests"/>) are tested elsewhere.
/// </summary>
public class PndmTests
{
    [Theory]
    [InlineData(2, 8)]
    [InlineData(3, 12)]
    [InlineData(11, 11 + 9)]
    public void NfeCountsThePseudoRungeKuttaStart(int steps, long nfe)
    {
        var sde = SamplerQualityTests.Sde("vp");
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(GaussianMixture.Isotropic([1.0], [[0.4, -0.3]], [0.2]), sde.Kernel!), 0.0);
        var x = new Batch(4, 2);
        var solution = new Pndm().Solve(problem, x, TimeGrid.Uniform(1.0, 1e-2, steps), new SolveOptions());
        Assert.True(solution.IsSuccess);
        Assert.Equal(nfe, solution.Statistics.Nfe);
    }
}

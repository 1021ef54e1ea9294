using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of solvers/Diffusion.Research.Solvers/Restart: the boundary, the parameter name and the message.</summary>
public class SolversRestartContractTests
{
    [Fact]
    public void RestartSampler_constructor_checks_its_arguments()
    {
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentOutOfRangeException>("sigmaMin", "sigma_min must be finite and > 0.", () => new RestartSampler(bad, 2.5, 1, 2));
        Assert.Equal(1e-300, new RestartSampler(1e-300, 2.5, 1, 2).SigmaMin);
        foreach (var bad in new[] { 0.37, 0.25, 0.0, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("sigmaMax", "sigma_max must be finite and > sigma_min.", () => new RestartSampler(0.37, bad, 1, 2));
        Assert.Equal(0.37 + 1e-15, new RestartSampler(0.37, 0.37 + 1e-15, 1, 2).SigmaMax);
        foreach (var bad in new[] { -1, int.MinValue })
            Refused<ArgumentOutOfRangeException>("restarts", "the number of restarts K must be >= 0.", () => new RestartSampler(0.37, 2.5, bad, 2));
        Assert.Equal(0, new RestartSampler(0.37, 2.5, 0, 2).Restarts);
        foreach (var bad in new[] { 0, -1, int.MinValue })
            Refused<ArgumentOutOfRangeException>("restartSteps", "restart_steps must be >= 1.", () => new RestartSampler(0.37, 2.5, 1, bad));
        Assert.Equal(1, new RestartSampler(0.37, 2.5, 1, 1).RestartSteps);
    }

    [Fact]
    public void RestartSampler_refuses_a_jump_above_the_noise_level_at_T()
    {
        var kernel = Vp.Kernel!;
        var top = kernel.Sigma(Vp.T) / kernel.Alpha(Vp.T);
        var problem = SamplingProblem.Reverse(Vp, new ExactNoisedScore(ToyData.EightGaussians(), kernel), 0);
        var grid = TimeGrid.Uniform(1, 0.25, 3);
        var atEnd = kernel.Sigma(0.25) / kernel.Alpha(0.25);
        Batch X()
        {
            var x = new Batch(3, 2);
            Vp.Prior(2).Sample(x, new NoiseSource(3), 0);
            return x;
        }
        var above = 2 * top;
        Refused<ArgumentException>("sigma_max", $"restart: sigma_max = {above} lies above sigma/alpha at T ({top}); the forward jump cannot go there.",
            () => new RestartSampler(atEnd, above, 1, 1).Solve(problem, X(), grid, new SolveOptions()));
        // sigma_max exactly at the level of T is allowed.
        Assert.Equal(SolveStatus.Success, new RestartSampler(atEnd, top, 1, 1).Solve(problem, X(), grid, new SolveOptions()).Status);
        // No restarts, or a grid that never reaches sigma_min: the jump is never made, so no check.
        Assert.Equal(SolveStatus.Success, new RestartSampler(atEnd, above, 0, 1).Solve(problem, X(), grid, new SolveOptions()).Status);
        Assert.Equal(SolveStatus.Success, new RestartSampler(atEnd / 2, above, 1, 1).Solve(problem, X(), grid, new SolveOptions()).Status);
    }
}

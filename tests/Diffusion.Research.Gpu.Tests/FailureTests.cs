using Diffusion.Research.Gpu.Check;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Gpu.Tests;

/// <summary>
/// Particles that become non-finite: the fused kernels reduce the failing steps to the earliest one on the device (an
/// atomic minimum), which must be the step the CPU twin reports. Reverse-SDE Euler–Maruyama with l = 30 multiplies the
/// distance from the data by about 10² a step, so a particle starting at 10^e overflows after about (154 − e)/2 steps:
/// particles at different scales, the largest neither first nor last, fail at different steps.
/// </summary>
public sealed class FailureTests(EmulatedDevice fixture) : IClassFixture<EmulatedDevice>
{
    private static readonly int[] Exponents = [0, 100, 140, 60, 120, 20, 0, 80];

    private static (SamplingProblem Problem, TimeGrid Grid, Batch X) Blowup()
    {
        var sde = AgreementCase.CreateSde("vp");
        var mixture = AgreementCase.CreateData("isotropic2");
        var problem = SamplingProblem.Reverse(sde, new ExactNoisedScore(mixture, sde.Kernel!), 30.0);
        var x = new Batch(Exponents.Length, 2);
        sde.Prior(2).Sample(x, new NoiseSource(11), 0);
        for (var i = 0; i < x.Count; i++)
            for (var d = 0; d < 2; d++) x[i, d] *= Math.Pow(10, Exponents[i]);
        return (problem, TimeGrid.Uniform(sde.T, 1e-3, 40), x);
    }

    [Fact]
    public void The_device_reports_the_earliest_failing_step_of_any_particle_as_the_cpu_twin()
    {
        var (problem, grid, x) = Blowup();
        var solver = AgreementCase.CreateSolver("euler_maruyama");
        var options = new SolveOptions { Noise = new NoiseSource(3), Threads = 1, ChunkSize = 1 };
        var cpu = solver.Solve(problem, x.Clone(), grid, options);
        var device = new GpuSolver(fixture.Device, solver);
        var gpu = device.Solve(problem, x.Clone(), grid, options);
        Assert.Equal(SolveStatus.NonFinite, cpu.Status);
        Assert.Equal(SolveStatus.NonFinite, gpu.Status);
        Assert.True(cpu.Statistics.AcceptedSteps > 1, $"the CPU failed in step {cpu.Statistics.AcceptedSteps - 1}: the test needs a later step");
        Assert.Equal(cpu.Statistics, gpu.Statistics);
        Assert.Equal(cpu.ReachedTime, gpu.ReachedTime);
        Assert.Contains($"non-finite state in step {cpu.Statistics.AcceptedSteps - 1} ", gpu.Message);
        // Without the particle that fails first, the earliest failure is a later step, on the CPU and on the device.
        var rest = new Batch(x.Count - 1, 2);
        for (int i = 0, j = 0; i < x.Count; i++)
            if (Exponents[i] != 140) { rest[j, 0] = x[i, 0]; rest[j++, 1] = x[i, 1]; }
        var cpuRest = solver.Solve(problem, rest.Clone(), grid, options);
        using var resident = new DeviceBatch(fixture.Device, rest);
        var gpuRest = device.Solve(problem, resident, grid, options);
        Assert.True(cpuRest.Statistics.AcceptedSteps > cpu.Statistics.AcceptedSteps);
        Assert.Equal(cpuRest.Statistics, gpuRest.Statistics);
        Assert.Equal(SolveStatus.NonFinite, gpuRest.Status);
    }

    [Fact]
    public void A_particle_that_fails_in_the_first_step_is_reported_at_step_0()
    {
        var (problem, grid, x) = Blowup();
        for (var d = 0; d < 2; d++) x[5, d] = 1e160 * (d + 1); // |x|² overflows: the score is NaN at once
        var options = new SolveOptions { Noise = new NoiseSource(3) };
        var gpu = new GpuSolver(fixture.Device, AgreementCase.CreateSolver("euler_maruyama")).Solve(problem, x, grid, options);
        Assert.Equal(SolveStatus.NonFinite, gpu.Status);
        Assert.Equal(1, gpu.Statistics.AcceptedSteps);
        Assert.Equal(grid[0], gpu.ReachedTime);
    }
}

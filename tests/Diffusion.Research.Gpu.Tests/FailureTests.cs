using Diffusion.Research.Gpu.Check;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;
using ILGPU;
using ILGPU.Runtime;

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

    /// <summary>The predictor–corrector keeps a flag per particle across its launches. An MLP with tanh units has finite
    /// scores at an infinite x (tanh(±∞) = ±1), so the solve goes on after a particle overflows in the first predictor
    /// step, and the later corrector updates of that particle must not move its flag off step 0.</summary>
    [Fact]
    public void The_predictor_corrector_keeps_a_particles_first_failing_step()
    {
        var sde = VpSde.Linear(0.2, 18.0);
        var model = new MlpScoreModel(2, new ModelOptions { Width = 16, HiddenLayers = 2, Activation = Activation.Tanh, Seed = 5, EmbeddingFrequencies = 4 }, sde);
        var problem = SamplingProblem.Reverse(sde, model, 0.0);
        var solver = new PredictorCorrector(PredictorKind.ReverseDiffusion, 1, 0.16);
        var grid = TimeGrid.Uniform(sde.T, 1e-3, 6);
        var x = new Batch(8, 2);
        sde.Prior(2).Sample(x, new NoiseSource(2), 0);
        x[3, 0] = 1.7e308; // (2 − α) x overflows in the first predictor step
        var options = new SolveOptions { Noise = new NoiseSource(4) };
        var gpu = new GpuSolver(fixture.Device, solver).Solve(problem, x.Clone(), grid, options);
        Assert.Equal(SolveStatus.NonFinite, gpu.Status);
        Assert.Equal(1, gpu.Statistics.AcceptedSteps);
        var cpu = solver.Solve(problem, x.Clone(), grid, options);
        Assert.Equal(cpu.Statistics, gpu.Statistics);
    }

    private static void Finite(Index1D i, ArrayView<double> values, ArrayView<int> output) =>
        output[i] = TrajectoryKernels.IsFinite(values.SubView(i.X, 1), 1) ? 1 : 0;

    /// <summary>The kernels' finiteness test: the largest doubles are finite, infinities and NaN are not.</summary>
    [Fact]
    public void The_finiteness_test_keeps_the_largest_doubles()
    {
        double[] values = [0.0, -0.0, double.Epsilon, 1.5, double.MaxValue, -double.MaxValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN];
        var accelerator = fixture.Device.Accelerator;
        using var input = accelerator.Allocate1D(values);
        using var output = accelerator.Allocate1D<int>(values.Length);
        accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<int>>(Finite)(values.Length, input.View, output.View);
        accelerator.Synchronize();
        Assert.Equal([1, 1, 1, 1, 1, 1, 0, 0, 0], output.GetAsArray1D());
    }
}

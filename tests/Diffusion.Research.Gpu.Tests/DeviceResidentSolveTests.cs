using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Solvers;

namespace Diffusion.Research.Gpu.Tests;

/// <summary>Solving on particles that stay on the device gives what the host overload gives, and is checked the same way.</summary>
public sealed class DeviceResidentSolveTests(EmulatedDevice fixture) : IClassFixture<EmulatedDevice>
{
    private static readonly VpSde Sde = VpSde.Linear();

    private static SamplingProblem Problem(double lambda) =>
        SamplingProblem.Reverse(Sde, new ExactNoisedScore(ToyData.EightGaussians(), Sde), lambda);

    private static Batch Prior(int count, int dimension)
    {
        var x = new Batch(count, dimension);
        Sde.Prior(dimension).Sample(x, new NoiseSource(11), 0);
        return x;
    }

    [Theory]
    [InlineData(1.0)] // stochastic: the same Philox draws
    [InlineData(0.0)] // probability-flow ODE
    public void DeviceResidentSolveIsBitIdenticalToTheHostSolve(double lambda)
    {
        var solver = new GpuSolver(fixture.Device, new EulerMaruyama());
        var grid = TimeGrid.Uniform(1.0, 1e-3, 40);
        var options = new SolveOptions { Noise = new NoiseSource(5), FirstParticle = 4_294_967_290 };
        var host = Prior(37, 2);
        using var onDevice = new DeviceBatch(fixture.Device, host);
        var hostSolution = solver.Solve(Problem(lambda), host, grid, options);
        var deviceSolution = solver.Solve(Problem(lambda), onDevice, grid, options);
        Assert.True(deviceSolution.IsSuccess);
        Assert.Same(onDevice, deviceSolution.Samples);
        Assert.Equal(hostSolution.Statistics, deviceSolution.Statistics);
        Assert.Equal(hostSolution.ReachedTime, deviceSolution.ReachedTime);
        Assert.Equal(host.Values.ToArray(), onDevice.ToBatch().Values.ToArray());
        Assert.NotEqual(Prior(37, 2).Values.ToArray(), host.Values.ToArray()); // it did move
    }

    /// <summary>On a context with timing markers (the device check's) a fused solve records its kernel's time, within the solve's
    /// wall time and the same bits as without markers; on one without, none.</summary>
    [Fact]
    public void A_context_with_timing_markers_times_the_kernel_and_changes_nothing_else()
    {
        var grid = TimeGrid.Uniform(1.0, 1e-3, 30);
        var options = new SolveOptions { Noise = new NoiseSource(5) };
        using var timed = DeviceContext.CreateEmulated(checkBounds: false, profiling: true);
        Assert.True(timed.Profiles);
        Assert.False(fixture.Device.Profiles);
        var solver = new GpuSolver(timed, new EulerMaruyama());
        var x = Prior(64, 2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(solver.Solve(Problem(1.0), x, grid, options).IsSuccess);
        clock.Stop();
        Assert.NotNull(solver.LastKernelTime);
        Assert.InRange(solver.LastKernelTime!.Value, TimeSpan.FromTicks(1), clock.Elapsed);
        var plain = new GpuSolver(fixture.Device, new EulerMaruyama());
        var y = Prior(64, 2);
        plain.Solve(Problem(1.0), y, grid, options);
        Assert.Null(plain.LastKernelTime);
        Assert.Equal(y.Values.ToArray(), x.Values.ToArray());
    }

    [Fact]
    public void ABatchOfAnotherContextAWrongDimensionAndAnEmptyBatchAreRefused()
    {
        var solver = new GpuSolver(fixture.Device, new EulerMaruyama());
        var grid = TimeGrid.Uniform(1.0, 1e-3, 5);
        using var other = DeviceContext.CreateEmulated();
        using var foreign = new DeviceBatch(other, Prior(4, 2));
        var e = Assert.Throws<ArgumentException>(() => solver.Solve(Problem(1), foreign, grid, new SolveOptions()));
        Assert.Contains("another DeviceContext", e.Message);
        using var wide = new DeviceBatch(fixture.Device, Prior(4, 3));
        e = Assert.Throws<ArgumentException>(() => solver.Solve(Problem(1), wide, grid, new SolveOptions()));
        Assert.Contains("has dimension 3", e.Message);
        using var empty = new DeviceBatch(fixture.Device, new Batch(0, 2));
        Assert.StartsWith("The batch has no particles.", Assert.Throws<ArgumentException>("x", () => solver.Solve(Problem(1), empty, grid, new SolveOptions())).Message, StringComparison.Ordinal);
        // The noise counter range is checked for the whole batch, not only the first particle the shape checks use.
        using var four = new DeviceBatch(fixture.Device, Prior(4, 2));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => solver.Solve(Problem(1), four, grid, new SolveOptions { FirstParticle = (1L << 62) - 3 }));
    }
}

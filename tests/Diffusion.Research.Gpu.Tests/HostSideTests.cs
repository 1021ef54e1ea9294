using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Gpu.Tests;

/// <summary>The host side of the device path: what a failure to open CUDA becomes, empty batches, and the flop model the
/// performance figures are quoted against (docs/gpu.md).</summary>
public sealed class HostSideTests(EmulatedDevice fixture) : IClassFixture<EmulatedDevice>
{
    public static TheoryData<Exception> DriverFailures() =>
    [
        new DllNotFoundException("libcuda.so.1"), new TypeInitializationException("ILGPU.Runtime.Cuda.CudaAPI", null),
        new InvalidOperationException("driver too old"), new NotSupportedException("sm_35"), new EntryPointNotFoundException("cuInit"),
        // (a CudaException, the last kind, cannot be made without a driver: its constructor asks the driver for the text)
    ];

    [Theory]
    [MemberData(nameof(DriverFailures))]
    public void A_missing_or_broken_driver_is_an_unavailable_device_naming_the_cause(Exception failure)
    {
        var unavailable = DeviceContext.AsUnavailable(failure);
        Assert.NotNull(unavailable);
        Assert.Equal($"cannot open a CUDA device: {failure.Message}", unavailable.Message);
        Assert.Same(failure, unavailable.InnerException);
    }

    /// <summary>The CUDA probe behind `device: auto`: a device found, none, a driver failure (no device), a bug (thrown).</summary>
    [Fact]
    public void The_cuda_probe_counts_devices_and_treats_driver_failures_as_none()
    {
        Assert.True(DeviceContext.FindsDevice(() => 1));
        Assert.False(DeviceContext.FindsDevice(() => 0));
        Assert.False(DeviceContext.FindsDevice(() => throw new DllNotFoundException("libcuda.so.1")));
        Assert.Throws<ArgumentException>(() => DeviceContext.FindsDevice(() => throw new ArgumentException("a bug")));
    }

    [Fact]
    public void Other_exceptions_are_not_driver_failures()
    {
        Assert.Null(DeviceContext.AsUnavailable(new DeviceUnavailableException("no CUDA device found")));
        Assert.Null(DeviceContext.AsUnavailable(new ArgumentException("a bug")));
        Assert.Null(DeviceContext.AsUnavailable(new NullReferenceException()));
    }

    /// <summary>The emulated device says so, and names ILGPU's CPU accelerator as its driver (a CUDA device: the device check).</summary>
    [Fact]
    public void The_emulated_device_is_marked_emulated()
    {
        using var device = DeviceContext.CreateEmulated();
        Assert.True(device.IsEmulated);
        Assert.Equal("ILGPU CPU accelerator", device.Driver);
    }

    [Fact]
    public void An_empty_batch_goes_to_the_device_and_back()
    {
        using var empty = new DeviceBatch(fixture.Device, new Batch(0, 3));
        Assert.Equal((0, 3), (empty.Count, empty.Dimension));
        Assert.Equal(0, empty.View.Length);
        var back = empty.ToBatch();
        Assert.Equal((0, 3), (back.Count, back.Dimension));
    }

    [Fact]
    public void Every_device_spelling_parses_to_its_kind_and_back()
    {
        Assert.Equal(["cpu", "gpu", "auto", "gpu-emulated"], DeviceKinds.Names);
        Assert.Equal([DeviceKind.Cpu, DeviceKind.Gpu, DeviceKind.Auto, DeviceKind.GpuEmulated], DeviceKinds.Names.Select(n => DeviceKinds.Parse(n)!.Value));
        Assert.All(DeviceKinds.Names, n => Assert.Equal(n, DeviceKinds.Name(DeviceKinds.Parse(n)!.Value)));
        Assert.Null(DeviceKinds.Parse("tpu"));
        Assert.Null(DeviceKinds.Parse("GPU"));
        Assert.Null(DeviceKinds.Parse(""));
    }

    [Fact]
    public void The_ptx_listing_names_its_bad_arguments()
    {
        Assert.Equal("score", Assert.Throws<ArgumentNullException>(() => PtxListing.Compile("EulerMaruyama", null!)).ParamName);
        Assert.Equal("kernel", Assert.Throws<ArgumentException>(() => PtxListing.Compile("Nonsense", typeof(DeviceMixtureScore))).ParamName);
    }

    /// <summary>The closed forms against their itemised counts (the doc comments of FlopModel), at K = 7, D = 3: odd D, so the
    /// last Gaussian pair is half used and still costs a whole pair.</summary>
    [Fact]
    public void The_flop_model_adds_up_its_items()
    {
        const int k = 7, d = 3;
        long exp = DeviceMath.ExpFlops;
        var score = k * (3 * d + 3) + k * (2 + exp) + 2 * k + 2 * k * d + 2 + 3 * d;
        Assert.Equal(score, FlopModel.IsotropicMixtureScore(k, d));
        var step = score + 3 * d + 2 * d + 2 * DevicePhilox.GaussianPairFlops + 2 * d;
        Assert.Equal(step, FlopModel.EulerMaruyamaIsotropic(k, d));
        Assert.Equal(step + 1, FlopModel.EulerMaruyama(score + 1, d));
    }

    /// <summary>The driver resolver loads libcuda.so.1 for ILGPU's "cuda" import only (on Linux), nothing for other names or
    /// assemblies.</summary>
    [Fact]
    public void The_driver_resolver_answers_only_ilgpus_cuda_import()
    {
        var ilgpu = typeof(ILGPU.Context).Assembly;
        Assert.Equal(OperatingSystem.IsLinux() ? "libcuda.so.1" : null, DeviceContext.DriverLibrary(ilgpu, "cuda"));
        Assert.Equal(OperatingSystem.IsLinux() ? "libcuda.so.1" : null, DeviceContext.DriverLibrary(ilgpu, "nvcuda"));
        Assert.Null(DeviceContext.DriverLibrary(ilgpu, "cudart"));
        Assert.Null(DeviceContext.DriverLibrary(typeof(HostSideTests).Assembly, "cuda"));
    }

    /// <summary>A solve's outcome is the earlier of the earliest failing particle and the step a lock-step solve stopped at.</summary>
    [Fact]
    public void The_outcome_is_the_earliest_failure_or_stop()
    {
        var solver = new GpuSolver(fixture.Device, new Diffusion.Research.Solvers.EulerMaruyama());
        var grid = TimeGrid.Uniform(1.0, 1e-3, 10);
        Assert.Equal(SolveStatus.Success, solver.Outcome(grid, -1, null).Item1);
        foreach (var (failure, stop, expected) in new[] { (3, (int?)5, 3), (5, 3, 3), (-1, 4, 4), (6, null, 6), (0, 2, 0), (2, 0, 0) })
        {
            var (status, statistics, reached, message) = solver.Outcome(grid, failure, stop);
            Assert.Equal(SolveStatus.NonFinite, status);
            Assert.Equal(expected + 1, statistics.AcceptedSteps);
            Assert.Equal(grid[expected], reached);
            Assert.Contains($"step {expected} ", message);
        }
    }

    [Fact]
    public void The_tables_refuse_a_null_mixture() =>
        Assert.Throws<ArgumentNullException>(() => new MixtureScoreTables(null!));
}

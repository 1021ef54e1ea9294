using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Diffusion.Research.Gpu;

/// <summary>
/// An ILGPU context with one accelerator: the first CUDA device, or ILGPU's CPU accelerator for <c>gpu-emulated</c>.
/// Kernels are compiled once per context and cached by the solvers. Not thread-safe: one solve at a time.
/// </summary>
public sealed class DeviceContext : IDisposable
{
    // ILGPU binds the CUDA driver as "cuda" ("nvcuda" on Windows), which .NET probes as libcuda.so; a driver-only
    // installation (no CUDA toolkit, as on the target machines) has only libcuda.so.1. When the normal probe fails,
    // load the versioned driver library; never a toolkit stub.
    static DeviceContext() => AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveCudaDriver;

    private static IntPtr ResolveCudaDriver(Assembly assembly, string name) =>
        DriverLibrary(assembly, name) is { } file && NativeLibrary.TryLoad(file, out var handle) ? handle : IntPtr.Zero;

    // The file to try for ILGPU's CUDA driver import ("cuda"; "nvcuda" on Windows builds): libcuda.so.1 on Linux; null for
    // any other library or assembly, which the resolver leaves alone.
    internal static string? DriverLibrary(Assembly assembly, string name) =>
        assembly == typeof(Context).Assembly && name is ("cuda" or "nvcuda") && OperatingSystem.IsLinux() ? "libcuda.so.1" : null;

    private DeviceContext(Context context, Accelerator accelerator)
    {
        Context = context;
        Accelerator = accelerator;
        Name = accelerator.Name;
        Driver = accelerator is CudaAccelerator cuda ? $"CUDA driver {cuda.DriverVersion}, {cuda.Architecture}" : "ILGPU CPU accelerator";
    }

    /// <summary>The ILGPU context.</summary>
    public Context Context { get; }

    /// <summary>The accelerator kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>True on ILGPU's CPU accelerator (read from the accelerator itself).</summary>
    public bool IsEmulated => Accelerator is CPUAccelerator;

    /// <summary>The device's name as the driver reports it.</summary>
    public string Name { get; }

    /// <summary>The driver version and architecture (CUDA), or the emulator's name.</summary>
    public string Driver { get; }

    /// <summary>The ILGPU version this build uses.</summary>
    public static string IlgpuVersion { get; } = typeof(Context).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>A one-line description for consoles, manifests and run logs.</summary>
    public string Description => $"{Name} ({Driver}; ILGPU {IlgpuVersion})";

    /// <summary>True when a CUDA device can be opened here.</summary>
    public static bool IsCudaAvailable() => FindsDevice(() =>
    {
        using var context = Context.Create(b => b.Cuda());
        return context.GetCudaDevices().Count;
    });

    // True when countDevices counts at least one device; false when it counts none or fails as a missing or broken driver
    // fails (AsUnavailable); any other exception is a bug and propagates.
    internal static bool FindsDevice(Func<int> countDevices)
    {
        try
        {
            return countDevices() > 0;
        }
        catch (Exception e) when (AsUnavailable(e) is not null)
        {
            return false;
        }
    }

    /// <summary>The first CUDA device; throws <see cref="DeviceUnavailableException"/> where none can be opened.</summary>
    public static DeviceContext CreateCuda() => CreateCuda(profiling: false);

    /// <summary>The first CUDA device; with <paramref name="profiling"/> the stream takes timing markers, so that
    /// <see cref="GpuSolver"/> times its kernel launches on the device (the device check's kernel-only rows).</summary>
    internal static DeviceContext CreateCuda(bool profiling)
    {
        Context? context = null;
        try
        {
            context = Context.Create(b =>
            {
                b.Cuda().Optimize(OptimizationLevel.O2);
                if (profiling) b.Profiling();
            });
            if (context.GetCudaDevices().Count == 0)
                throw new DeviceUnavailableException("no CUDA device found (the NVIDIA driver is missing or sees no GPU); use device: gpu-emulated to run the GPU kernels on the CPU, or device: auto to fall back to the CPU solvers");
            return new DeviceContext(context, context.CreateCudaAccelerator(0));
        }
        catch (Exception e)
        {
            context?.Dispose();
            if (AsUnavailable(e) is { } unavailable) throw unavailable;
            throw;
        }
    }

    /// <summary>
    /// What an exception thrown while opening CUDA means: a missing or broken driver or runtime (no library, a failed
    /// initialisation, an unsupported or failing driver call) becomes a <see cref="DeviceUnavailableException"/> naming the
    /// cause; anything else, and a <see cref="DeviceUnavailableException"/> already, gives null (rethrown as it is).
    /// </summary>
    internal static DeviceUnavailableException? AsUnavailable(Exception e) =>
        e is not DeviceUnavailableException and (DllNotFoundException or TypeInitializationException or InvalidOperationException
            or NotSupportedException or EntryPointNotFoundException or CudaException)
            ? new DeviceUnavailableException($"cannot open a CUDA device: {e.Message}", e)
            : null;

    // ILGPU's default CPU device allows 16 threads per group; the grouped kernels launch DeviceLimits.GroupThreads. Four
    // threads per warp as the default device, enough warps per multiprocessor for one group, two multiprocessors.
    private static readonly CPUDevice EmulatedDevice = new(4, DeviceLimits.GroupThreads / 4, 2);

    /// <summary>ILGPU's CPU accelerator (the <c>gpu-emulated</c> device): the GPU kernels, run by CPU threads.</summary>
    public static DeviceContext CreateEmulated() => CreateEmulated(checkBounds: false);

    /// <summary>True when the context was created with timing markers (<see cref="CreateCuda(bool)"/>,
    /// <see cref="CreateEmulated(bool, bool)"/>).</summary>
    internal bool Profiles => Accelerator.Context.Properties.EnableProfiling;

    /// <summary>The emulated device; with <paramref name="checkBounds"/> every view and per-thread array access in a kernel is
    /// bounds-checked (ILGPU's assertions), so an index one past a vector fails the launch instead of touching a neighbour
    /// (the twin tests run this way).</summary>
    internal static DeviceContext CreateEmulated(bool checkBounds, bool profiling = false)
    {
        var context = Context.Create(b =>
        {
            b.CPU(EmulatedDevice).Optimize(OptimizationLevel.O1);
            if (checkBounds) b.Assertions();
            if (profiling) b.Profiling();
        });
        return new DeviceContext(context, context.CreateCPUAccelerator(0));
    }

    // Compiled kernels by method, score type and launch kind (false: one thread per particle, true: explicitly grouped).
    private readonly Dictionary<(DeviceMethod, Type, bool), Delegate> _kernels = [];

    /// <summary>The compiled kernel of <paramref name="method"/> for score type <typeparamref name="TScore"/> (compiled once per context).</summary>
    internal Action<Index1D, TrajectoryArguments, TScore> Kernel<TScore>(DeviceMethod method) where TScore : struct, IDeviceScore =>
        Compiled((method, typeof(TScore), false), () => Accelerator.LoadAutoGroupedStreamKernel<Index1D, TrajectoryArguments, TScore>(method switch
        {
            DeviceMethod.EulerMaruyama => TrajectoryKernels.EulerMaruyama,
            DeviceMethod.RungeKutta => TrajectoryKernels.RungeKutta,
            DeviceMethod.StochasticHeun => TrajectoryKernels.StochasticHeun,
            DeviceMethod.DpmSolver2 => TrajectoryKernels.DpmSolver2,
            DeviceMethod.Edm => TrajectoryKernels.Edm,
            DeviceMethod.AnnealedLangevin => TrajectoryKernels.AnnealedLangevin,
            DeviceMethod.PredictorCorrector => PredictorCorrectorKernels.Predict,
            DeviceMethod.CorrectorScores => PredictorCorrectorKernels.CorrectorScores,
            DeviceMethod.CorrectorUpdate => PredictorCorrectorKernels.CorrectorUpdate,
            _ => TrajectoryKernels.GaussianStep,
        }));

    /// <summary>The compiled explicitly grouped kernel of <paramref name="method"/> for the group score
    /// <typeparamref name="TScore"/> (<see cref="TrajectoryKernels.Grouped{TScore}"/>; compiled once per context).</summary>
    internal Action<KernelConfig, TrajectoryArguments, TScore> GroupedKernel<TScore>(DeviceMethod method) where TScore : struct, IGroupScore =>
        Compiled((method, typeof(TScore), true), () => Accelerator.LoadStreamKernel(TrajectoryKernels.Grouped<TScore>(method)));

    private T Compiled<T>((DeviceMethod, Type, bool) key, Func<T> compile) where T : Delegate
    {
        if (_kernels.TryGetValue(key, out var cached)) return (T)cached;
        var kernel = compile();
        _kernels[key] = kernel;
        return kernel;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}

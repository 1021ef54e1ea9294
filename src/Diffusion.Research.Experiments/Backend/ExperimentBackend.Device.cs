using System.Globalization;
using Diffusion.Research.Data;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Gpu;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>Where a cell samples (<c>sampler.device</c>): the device check and the solver wrapped for the device.</summary>
public sealed partial class ExperimentBackend
{
    /// <summary>Where one-off notices go (the CLI prints them): with <c>device: auto</c> and no CUDA device, that the CPU
    /// solvers run instead (said once per backend).</summary>
    public Action<string>? Notice { get; set; }

    // Device contexts, opened on first use and kept for the backend's lifetime (kernels compile once per context).
    private DeviceContext? _cuda, _emulated;
    private bool? _cudaAvailable;
    private bool _autoNoticeGiven;
    private const string AutoFallback = "cpu (device: auto found no CUDA device; the CPU solvers ran)";

    private bool CudaAvailable => _cudaAvailable ??= DeviceContext.IsCudaAvailable();

    /// <summary>
    /// Checks that the cell can run on <paramref name="device"/> (cpu, gpu, auto, gpu-emulated): for every device other than
    /// cpu the solver, the model, the data and the SDE must have a device kernel (no silent fallback), and gpu needs a CUDA
    /// device. Throws <see cref="ArgumentException"/> naming the key at fault.
    /// </summary>
    public void CheckDevice(CellSpec cell, string device)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(device);
        if (DeviceKinds.Parse(device) is not { } kind)
            throw new ArgumentException($"device must be one of {string.Join(", ", DeviceKinds.Names)}, got '{device}'.", "sampler.device");
        if (kind == DeviceKind.Cpu) return;
        if (cell.Conditional is not null)
            throw new ArgumentException($"guidance and measurement cells run on the CPU solvers only (the device kernels know neither guided scores nor posterior samplers); sampler.device '{device}' cannot run them.", "sampler.device");
        var solver = CreateSolver(cell);
        if (GpuSolver.Unsupported(solver) is { } reason)
            throw new ArgumentException($"{reason}; sampler.device '{device}' cannot run it.", "sampler.solver");
        if (cell.Model.Kind == "mlp")
        {
            if (cell.Model.Settings.Find("width")?.Value is Configuration.ConfigScalar w
                && double.TryParse(w.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var width) && width > DeviceLimits.MaxWidth)
                throw new ArgumentException($"the device MLP kernel handles width up to {DeviceLimits.MaxWidth}; sampler.device '{device}' cannot run width {w.Value}.", "model.width");
        }
        else if (cell.Model.Kind != "exact")
            throw new ArgumentException($"model kind '{cell.Model.Kind}' has no device kernel (sampler.device '{device}' runs the exact mixture score and mlp models).", "model.kind");
        if (CreateSde(cell) is not ILinearSde)
            throw new ArgumentException($"SDE '{cell.Sde.Kind}' is not linear; sampler.device '{device}' needs a linear SDE.", "sde.kind");
        var data = CreateData(cell);
        if (data.Dimension > DeviceLimits.MaxDimension || data is GaussianMixture { Components: > DeviceLimits.MaxComponents })
            throw new ArgumentException($"the device kernels handle dimension <= {DeviceLimits.MaxDimension} and <= {DeviceLimits.MaxComponents} mixture components; data '{cell.Data.Name}' is beyond that.", "data.name");
        // The device's exact score is that of a mixture given by its components (GpuSolver.Unsupported); the spectral data
        // sets keep a factored form of their own that only the CPU score evaluates.
        if (cell.Model.Kind == "exact" && data is not (GaussianMixture or Gaussian))
            throw new ArgumentException($"the device kernels' exact score takes Gaussian and Gaussian-mixture data given by their components (gaussian, mixture, 8gaussians, ...); data '{cell.Data.Name}' is scored on the CPU only, so sampler.device '{device}' cannot run it.", "data.name");
        if (kind == DeviceKind.Gpu && !CudaAvailable)
            throw new ArgumentException("sampler.device 'gpu' needs a CUDA device and none was found (no NVIDIA driver or no GPU); use 'gpu-emulated' to run the GPU kernels on the CPU, or 'auto' to fall back to the CPU solvers.", "sampler.device");
    }

    // The solver a run uses and the device description recorded for it (null: the plain CPU path).
    private (ISolver Solver, string? Device) OnDevice(ISolver solver, string device)
    {
        switch (DeviceKinds.Parse(device))
        {
            case DeviceKind.Gpu:
                _cuda ??= DeviceContext.CreateCuda();
                return (new GpuSolver(_cuda, solver), _cuda.Description);
            case DeviceKind.GpuEmulated:
                _emulated ??= DeviceContext.CreateEmulated();
                return (new GpuSolver(_emulated, solver), _emulated.Description);
            case DeviceKind.Auto when CudaAvailable:
                _cuda ??= DeviceContext.CreateCuda();
                return (new GpuSolver(_cuda, solver), _cuda.Description);
            case DeviceKind.Auto:
                if (!_autoNoticeGiven)
                {
                    _autoNoticeGiven = true;
                    Notice?.Invoke("device: auto found no CUDA device; sampling runs on the CPU solvers (recorded in runs.jsonl and manifest.json).");
                }
                return (solver, AutoFallback);
            default:
                return (solver, null);
        }
    }
}

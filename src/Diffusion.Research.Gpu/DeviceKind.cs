namespace Diffusion.Research.Gpu;

/// <summary>Where sampling runs (<c>sampler.device</c> in YAML, <c>--device</c> on the CLI).</summary>
public enum DeviceKind
{
    /// <summary>The CPU solvers (the default).</summary>
    Cpu,

    /// <summary>The fused kernels on a CUDA device; an error where none exists.</summary>
    Gpu,

    /// <summary>CUDA when a device exists, else the CPU solvers (said once on the console and in the manifest).</summary>
    Auto,

    /// <summary>The fused kernels on ILGPU's CPU accelerator: same kernels as <see cref="Gpu"/>, for tests and laptops.</summary>
    GpuEmulated,
}

namespace Diffusion.Research.Gpu.Tests;

/// <summary>One CPU-accelerator context shared by a test class (kernels compile once per context), with every view and
/// per-thread array access in the kernels bounds-checked.</summary>
public sealed class EmulatedDevice : IDisposable
{
    public DeviceContext Device { get; } = DeviceContext.CreateEmulated(checkBounds: true);

    public void Dispose() => Device.Dispose();
}

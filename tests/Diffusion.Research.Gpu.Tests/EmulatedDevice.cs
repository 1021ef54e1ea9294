namespace Diffusion.Research.Gpu.Tests;

/// <summary>One CPU-accelerator context shared by a test class (kernels compile once per context).</summary>
public sealed class EmulatedDevice : IDisposable
{
    public DeviceContext Device { get; } = DeviceContext.CreateEmulated();

    public void Dispose() => Device.Dispose();
}

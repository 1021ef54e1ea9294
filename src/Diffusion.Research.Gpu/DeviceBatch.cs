using Diffusion.Research.Numerics;
using ILGPU;
using ILGPU.Runtime;

namespace Diffusion.Research.Gpu;

/// <summary>N particles of dimension D resident on a device (row-major, like <see cref="Batch"/>).</summary>
public sealed class DeviceBatch : IDisposable
{
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _buffer;

    /// <summary>Copies <paramref name="source"/> to <paramref name="device"/>.</summary>
    public DeviceBatch(DeviceContext device, Batch source)
    {
        ArgumentNullException.ThrowIfNull(device);
        Count = source.Count;
        Dimension = source.Dimension;
        _buffer = device.Accelerator.Allocate1D<double>(Math.Max(1L, (long)Count * Dimension));
        if (source.Length > 0) _buffer.View.SubView(0, source.Length).CopyFromCPU(source.Values.ToArray());
    }

    /// <summary>Rows.</summary>
    public int Count { get; }

    /// <summary>Columns.</summary>
    public int Dimension { get; }

    /// <summary>The device view (N × D values).</summary>
    public ArrayView<double> View => _buffer.View.SubView(0, (long)Count * Dimension);

    /// <summary>Copies the particles back into <paramref name="destination"/> (same shape).</summary>
    public void CopyTo(Batch destination)
    {
        if (destination.Count != Count || destination.Dimension != Dimension)
            throw new ArgumentException($"Destination is {destination}, the device batch {Count} x {Dimension}.", nameof(destination));
        if (destination.Length == 0) return;
        var host = new double[destination.Length];
        View.CopyToCPU(host);
        host.CopyTo(destination.Values);
    }

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}

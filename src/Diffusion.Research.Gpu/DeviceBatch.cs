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
        Device = device;
        Count = source.Count;
        Dimension = source.Dimension;
        _buffer = device.Accelerator.Allocate1D<double>(Math.Max(1L, (long)Count * Dimension));
        if (source.Length == 0) return;
        // Straight from the batch's memory (no intermediate array: the host path of gpu-check lost a third of its time to copies).
        var stream = device.Accelerator.DefaultStream;
        ReadOnlySpan<double> values = source.Values;
        _buffer.View.SubView(0, source.Length).CopyFromCPU(stream, values);
        stream.Synchronize();
    }

    /// <summary>The device context the particles live on.</summary>
    public DeviceContext Device { get; }

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
        var stream = _buffer.Accelerator.DefaultStream;
        var values = destination.Values;
        _buffer.View.SubView(0, destination.Length).CopyToCPU(stream, values);
        stream.Synchronize();
    }

    /// <summary>The particles copied to a new host batch.</summary>
    public Batch ToBatch()
    {
        var batch = new Batch(Count, Dimension);
        CopyTo(batch);
        return batch;
    }

    // The first particle as a one-row host batch (for the solver's shape checks, after the empty batch is refused).
    internal Batch FirstRow()
    {
        if (Count == 0) throw new InvalidOperationException("An empty device batch has no first row.");
        var row = new double[Dimension];
        View.SubView(0, Dimension).CopyToCPU(row);
        return new Batch(row, 1, Dimension);
    }

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}

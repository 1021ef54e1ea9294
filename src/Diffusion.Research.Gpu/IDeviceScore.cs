using ILGPU;

namespace Diffusion.Research.Gpu;

/// <summary>
/// A score model as a kernel sees it: s(x, t) for one particle, where the time enters only through a precomputed
/// <em>slot</em> (the host tabulates every time the solve evaluates the score at; see <see cref="GpuSolver"/>).
/// Implemented by unmanaged structs so that the trajectory kernels specialise on it (no virtual calls on the device).
/// </summary>
public interface IDeviceScore
{
    /// <summary>Doubles of per-thread scratch <see cref="Score"/> needs.</summary>
    int ScratchLength { get; }

    /// <summary>Writes s(x, t_slot) into <paramref name="destination"/> (D values) for the particle <paramref name="x"/> (D values).</summary>
    void Score(int slot, ArrayView<double> x, ArrayView<double> destination, ArrayView<double> scratch);
}

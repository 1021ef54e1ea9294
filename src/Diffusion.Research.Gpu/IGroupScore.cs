namespace Diffusion.Research.Gpu;

/// <summary>
/// A score that a thread group evaluates together (shared memory, group barriers) for the group's
/// <see cref="DeviceLimits.GroupParticles"/> particles: the trajectory kernels run it explicitly grouped
/// (<see cref="TrajectoryKernels.Grouped{TScore}"/>), <see cref="DeviceLimits.GroupThreads"/> threads per group, thread r
/// stepping the group's particle r mod GroupParticles. Every thread of the group calls <see cref="IDeviceScore.Score"/> at
/// the same points of the solve (the kernels keep control flow uniform: no early exit, padding rows stepped on zeros),
/// with <c>scratch</c> the group's shared memory (<see cref="DeviceLimits.GroupShared"/> doubles) instead of per-thread
/// memory. The threads of one particle pass the same x and get the same s.
/// </summary>
public interface IGroupScore : IDeviceScore
{
}

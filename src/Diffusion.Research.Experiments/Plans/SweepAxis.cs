using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// One axis of a sweep: one or more dotted keys (more than one for a zipped group) that take their i-th values
/// together. The sweep is the cartesian product of its axes, first axis slowest.
/// </summary>
internal sealed record SweepAxis(IReadOnlyList<ConfigScalar> Keys, IReadOnlyList<IReadOnlyList<ConfigNode>> Values)
{
    public int Length => Values[0].Count;
}

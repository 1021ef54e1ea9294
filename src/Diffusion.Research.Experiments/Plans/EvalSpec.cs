namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The <c>eval:</c> block: how many particles to sample, how many reference samples, which metrics, how many points a
/// 2-D scatter figure shows (0: none), and whether each run also scores exact data samples against its reference
/// (<see cref="NoiseFloor"/>: the two-sample noise floor of every metric, shown under the table).
/// </summary>
public sealed record EvalSpec(int Particles, int Reference, IReadOnlyList<string> Metrics, int Scatter, bool NoiseFloor = false);

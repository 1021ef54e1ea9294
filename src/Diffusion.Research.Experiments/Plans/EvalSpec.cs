namespace Diffusion.Research.Experiments.Plans;

/// <summary>The <c>eval:</c> block: how many particles to sample, how many reference samples, which metrics, and how many points a 2-D scatter figure shows (0: none).</summary>
public sealed record EvalSpec(int Particles, int Reference, IReadOnlyList<string> Metrics, int Scatter);

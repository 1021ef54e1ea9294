using Diffusion.Research.Numerics;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>A named sample-quality metric: <c>Compute(samples, reference)</c>, lower is better.</summary>
public sealed record MetricFunction(string Name, string Description, Func<Batch, Batch, double> Compute);

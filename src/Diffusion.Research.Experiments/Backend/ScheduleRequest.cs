using Diffusion.Research.Sde;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>What a time schedule needs to build a sampling grid from T down to t_eps.</summary>
public sealed record ScheduleRequest(ISde Sde, double TEps, int Steps, IReadOnlyDictionary<string, double> Parameters);

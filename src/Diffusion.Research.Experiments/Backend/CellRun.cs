namespace Diffusion.Research.Experiments.Backend;

/// <summary>What a backend needs to run one repeat of a cell: the repeat index, the experiment seed and the thread count.</summary>
public sealed record CellRun(int Repeat, ulong Seed, int Threads)
{
    /// <summary>The CLI's <c>--device</c>, which overrides every cell's <c>sampler.device</c>; null when not given.</summary>
    public string? Device { get; init; }
}

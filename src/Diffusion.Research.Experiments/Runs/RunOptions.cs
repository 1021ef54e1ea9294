namespace Diffusion.Research.Experiments;

/// <summary>Options of <c>diffusion run</c>: the results root (results go to Root/NAME), recompute everything, the shard, threads.</summary>
public sealed record RunOptions(string OutputRoot, bool Force, Shard Shard, int Threads)
{
    /// <summary>The CLI's <c>--device</c> (overrides every cell's <c>sampler.device</c>); null when not given.</summary>
    public string? Device { get; init; }

    /// <summary>Defaults: results/, resume, whole sweep, all processors.</summary>
    public static RunOptions Default { get; } = new("results", false, Shard.All, Environment.ProcessorCount);

    /// <summary>Copy with another results root.</summary>
    public RunOptions WithOutputRoot(string root) => this with { OutputRoot = root };
    /// <summary>Copy with force on or off.</summary>
    public RunOptions WithForce(bool force) => this with { Force = force };
    /// <summary>Copy with another shard.</summary>
    public RunOptions WithShard(Shard shard) => this with { Shard = shard };
    /// <summary>Copy with another thread count.</summary>
    public RunOptions WithThreads(int threads) => this with { Threads = threads };
}

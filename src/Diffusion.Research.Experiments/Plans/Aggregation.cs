namespace Diffusion.Research.Experiments.Plans;

/// <summary>How a table cell summarises its repeats.</summary>
public enum Aggregation
{
    /// <summary>Mean ± sample standard deviation (n − 1).</summary>
    MeanStd,
    /// <summary>Mean.</summary>
    Mean,
    /// <summary>Median.</summary>
    Median,
    /// <summary>Minimum.</summary>
    Min,
    /// <summary>Maximum.</summary>
    Max,
}

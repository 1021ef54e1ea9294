namespace Diffusion.Research.Experiments.Conditional;

/// <summary>The conditional-generation settings of a cell: a guidance block, a measurement block, or neither.</summary>
public sealed record ConditionalSpec(GuidanceSpec? Guidance, MeasurementSpec? Measurement)
{
    /// <summary>True when neither block is set (the cell is an ordinary unconditional one).</summary>
    public bool IsEmpty => Guidance is null && Measurement is null;
}

namespace Diffusion.Research.Experiments.Output;

/// <summary>
/// One cell of a result table: the values of its successful repeats, the mean NFE, how many repeats were expected,
/// and the first failure (status and reason), if any.
/// </summary>
public sealed record TableEntry(IReadOnlyList<double> Values, double MeanNfe, int Expected, int Recorded, string? Failure)
{
    /// <summary>Whether nothing has been recorded for the entry.</summary>
    public bool IsEmpty => Recorded == 0;
}

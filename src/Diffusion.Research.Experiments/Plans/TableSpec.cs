namespace Diffusion.Research.Experiments.Plans;

/// <summary>
/// The <c>table:</c> block: dotted config keys that make the rows and the columns, the value shown (a metric name or
/// <c>nfe</c>, <c>accepted</c>, <c>rejected</c>), the aggregation over repeats and a .NET number format (invariant culture).
/// </summary>
public sealed record TableSpec(IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, string Value, Aggregation Aggregation, string Format);

namespace Diffusion.Research.Experiments.Plans;

/// <summary>A validated experiment: its cells in sweep order, the repeats and the table to render.</summary>
public sealed record ExperimentPlan(
    string Name,
    string Description,
    ulong Seed,
    int Repeats,
    IReadOnlyList<CellSpec> Cells,
    TableSpec Table,
    string SourceFile,
    string SourceText,
    string ConfigHash);

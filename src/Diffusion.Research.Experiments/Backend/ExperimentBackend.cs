using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>The backend over the framework's registries (wired when the data, sde and solvers branches land).</summary>
public sealed class ExperimentBackend : IExperimentBackend
{
    /// <inheritdoc />
    public ComponentCatalog Catalog { get; } = new();

    /// <summary>The default backend.</summary>
    public static ExperimentBackend CreateDefault() => new();

    /// <inheritdoc />
    public void Check(CellSpec cell) { }

    /// <inheritdoc />
    public CellResult Run(CellSpec cell, CellRun run) => throw new NotSupportedException();
}

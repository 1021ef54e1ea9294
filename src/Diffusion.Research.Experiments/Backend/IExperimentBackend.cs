using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Experiments.Backend;

/// <summary>
/// What turns a resolved cell into numbers: the names it accepts, a cheap validity check and the run itself.
/// The sweep machinery (loader, runner, renderers) sees only this, so tests can fake it.
/// </summary>
public interface IExperimentBackend
{
    /// <summary>The names experiment files may use, by category.</summary>
    ComponentCatalog Catalog { get; }

    /// <summary>
    /// Checks a cell without running it (e.g. builds the SDE and solver). Throws <see cref="ArgumentException"/> whose
    /// <see cref="ArgumentException.ParamName"/> is the dotted key at fault (e.g. "sde.parameters.beta_max").
    /// </summary>
    void Check(CellSpec cell);

    /// <summary>Runs one repeat of a cell. Failures of the numerics come back as a failed result, not an exception.</summary>
    CellResult Run(CellSpec cell, CellRun run);
}

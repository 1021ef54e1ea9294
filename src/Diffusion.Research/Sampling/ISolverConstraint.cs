using Diffusion.Research.Kernels;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Sampling;

/// <summary>
/// A solver whose settings hold only for some SDEs and grids (Restart sampling's σ̂_max must lie below σ/α at T, where
/// its forward jump lands): the constraint, checked without a score or particles, so that an experiment refuses the
/// setting when its config is checked (a config error at the setting's key) instead of failing the cell when it runs.
/// The solver checks it again before every solve.
/// </summary>
public interface ISolverConstraint
{
    /// <summary>Throws an <see cref="ArgumentException"/> whose ParamName is the solver parameter at fault (its name in the
    /// solver registry, e.g. <c>sigma_max</c>) when the solver's settings cannot run on <paramref name="sde"/>, with the
    /// perturbation kernel <paramref name="kernel"/>, over <paramref name="grid"/>.</summary>
    void CheckConstraint(ISde sde, IKernel kernel, TimeGrid grid);
}

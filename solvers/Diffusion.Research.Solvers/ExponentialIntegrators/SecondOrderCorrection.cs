namespace Diffusion.Research.Solvers;

/// <summary>
/// How a second-order exponential-integrator step weights the first difference D1 of the model outputs
/// (dpm_solver_pytorch's <c>solver_type</c>; Lu et al. 2022b §4 and App. B).
/// </summary>
public enum SecondOrderCorrection
{
    /// <summary>The paper's choice: D1 weighted by φ1/2 (Lu et al. 2022 Alg. 1 with r = 1/2; 2022b Alg. 2); k-diffusion's "midpoint".</summary>
    DpmSolver,

    /// <summary>The first-order Taylor weight φ2 = φ1/h ± 1 (dpm_solver_pytorch "taylor", k-diffusion's "heun", the order-2 warm-up step of k-diffusion's 3M).</summary>
    Taylor,
}

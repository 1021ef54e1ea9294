using ILGPU;

namespace Diffusion.Research.Gpu;

/// <summary>
/// What every fused trajectory kernel reads: the particles (row-major N × D, updated in place), the grid's step sizes,
/// per time slot the host-tabulated scalars, the noise key and the failure flags. Slot layout per solver family:
/// see <see cref="GpuSolver"/>.
/// </summary>
public struct TrajectoryArguments
{
    /// <summary>Particles, row-major N × D; overwritten with the result.</summary>
    public ArrayView<double> X;

    /// <summary>dt_i = t_{i+1} − t_i, one per step.</summary>
    public ArrayView<double> Dts;

    /// <summary>Per slot, <see cref="SlotWidth"/> scalars (f, g for the reverse family; p, q, c for the Gaussian step; ...).</summary>
    public ArrayView<double> Coefficients;

    /// <summary>Explicit Runge–Kutta: A (s × s, row-major, zero above the diagonal) then B (s); empty otherwise.</summary>
    public ArrayView<double> Tableau;

    /// <summary>Fused kernels: one value, the earliest step at which any particle became non-finite (set to int.MaxValue
    /// before the launch; each failing particle takes the minimum atomically, so the result does not depend on thread order).
    /// The predictor–corrector's lock-step kernels: per particle, the step at which it became non-finite (and stopped), or −1.</summary>
    public ArrayView<int> Failed;

    /// <summary>The key of the solve's NoiseSource.</summary>
    public ulong Seed;

    /// <summary>Global index of row 0 (SolveOptions.FirstParticle).</summary>
    public long FirstParticle;

    /// <summary>Number of steps n.</summary>
    public int Steps;

    /// <summary>D.</summary>
    public int Dimension;

    /// <summary>Scalars per slot in <see cref="Coefficients"/>.</summary>
    public int SlotWidth;

    /// <summary>Runge–Kutta stages s (1 for one-stage methods).</summary>
    public int Stages;

    /// <summary>Lock-step kernels (predictor–corrector): the step this launch performs.</summary>
    public int Step;

    /// <summary>Lock-step kernels: the corrector update k (1-based), or the predictor variant (0 reverse diffusion, 1 Euler–Maruyama).</summary>
    public int Variant;

    /// <summary>Lock-step kernels: the Langevin step ε of this corrector update.</summary>
    public double Epsilon;

    /// <summary>Lock-step kernels: per particle the score (N × D), then the noise (N × D), then the score norms (N) and noise norms (N).</summary>
    public ArrayView<double> Work;

    /// <summary>The l of the reverse family dx = [f − (1+l²)/2 g² s] dt + l g dW̄ (001 eq 85; Song et al. 2021,
    /// eq (6)).</summary>
    public double Lambda;

    /// <summary>The constants of the device log and sin/cos for the Gaussian draws (<see cref="MathConstants.Taylor"/>).</summary>
    public MathConstants Constants;
}

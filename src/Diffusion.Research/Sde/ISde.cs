using Diffusion.Research.Data;
using Diffusion.Research.Kernels;

namespace Diffusion.Research.Sde;

/// <summary>
/// A forward noising SDE dx = f(x, t) dt + g(t) dW on [0, T] (003 §4.1, eq 4.1.1; 000 "SDE" section; Song et al. 2021,
/// eqs (5)–(6) and eq (5)).
/// </summary>
public interface ISde : IDynamics
{
    /// <summary>Terminal time T.</summary>
    double T { get; }

    /// <summary>The closed-form perturbation kernel p_t(x_t | x_0) when the drift is affine; otherwise null.</summary>
    IKernel? Kernel { get; }

    /// <summary>The reference distribution at time T that sampling starts from, in <paramref name="dimension"/> dimensions.</summary>
    IDistribution Prior(int dimension);
}

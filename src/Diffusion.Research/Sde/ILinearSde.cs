namespace Diffusion.Research.Sde;

/// <summary>
/// A forward SDE that is linear in x, dx = f(t) x dt + g(t) dW (003 §4.3.3 and Lemma 4.4.1; 001 eq 65; Särkkä and Solin 2019,
/// §6.1; Song et al. 2021, App. B).
/// Its perturbation kernel follows from the moment ODEs d log α/dt = f, dσ²/dt = 2 f σ² + g²
/// (001 eq 66; Särkkä and Solin 2019, §6.1; Song et al. 2021, App. B), which <see cref="Kernels.MomentOdeKernel"/> integrates
/// numerically.
/// </summary>
public interface ILinearSde : ISde
{
    /// <summary>The scalar drift coefficient f(t) (the drift is f(t)·x).</summary>
    double DriftCoefficient(double t);
}

namespace Diffusion.Research.Solvers;

/// <summary>
/// The φ-functions of the exponential integrators in λ (Lu et al. 2022 eq 3.6 and App. B; 2022b eq 10),
/// written as dpm_solver_pytorch evaluates them so that the two agree to rounding:
/// expm1(x) = e^x − 1 (the shared <see cref="Sde.ElementaryFunctions.Expm1"/>), φ2(x) = expm1(x)/x − 1, φ3(x) = φ2(x)/x − 1/2.
/// </summary>
internal static class PhiFunctions
{
    /// <summary>λ = log(α/σ) = log-SNR/2 at time t (003 Lemma 4.4.1; Kingma et al. 2021; Lu et al. 2022, §2).</summary>
    public static double Lambda(Kernels.IKernel kernel, double t) => Math.Log(kernel.Alpha(t)) - Math.Log(kernel.Sigma(t));
}

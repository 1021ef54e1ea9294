namespace Diffusion.Research.Kernels;

/// <summary>
/// A Gaussian perturbation kernel p_t(x_t | x_0) = N(alpha_t x_0, sigma_t^2 I)
/// (003 Lemma 4.4.1; 001 VE/VP kernels; Kingma et al. 2021; Lu et al. 2022, §2; Song et al. 2021, eq (29)). Sampling,
/// log-density, conditional score, SNR, between-time
/// and posterior kernels are built on these two functions (see KernelExtensions).
/// </summary>
public interface IKernel
{
    /// <summary>Signal scale alpha_t.</summary>
    double Alpha(double t);

    /// <summary>Noise standard deviation sigma_t.</summary>
    double Sigma(double t);
}

using Diffusion.Research.Kernels;
using Diffusion.Research.Sampling;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The numbers of step i of the EDM sampler (Karras et al. 2022, Alg. 2) on a grid in time: α_t, α_s,
/// σ_{i+1} = σ_s/α_s, the churned level σ̂ with its time t̂ and α(t̂), and the churn noise scale
/// sqrt(σ̂² − σ_i²) S_noise (0: no churn), with σ_i = σ_t/α_t and σ̂ = σ_i (1 + γ_i) capped at σ(T) (Alg. 2 lines 4–6).
/// One definition for <see cref="EdmHeun"/> and the GPU kernels, so both step with the same numbers.
/// </summary>
public readonly record struct EdmStep(double AlphaT, double AlphaS, double SigmaNext, double SigmaHat, double THat, double AlphaHat, double Noise)
{
    /// <summary>Step <paramref name="i"/> of <paramref name="grid"/> for the forward SDE <paramref name="sde"/> with kernel <paramref name="kernel"/>.</summary>
    public static EdmStep Of(ISde sde, IKernel kernel, TimeGrid grid, int i, Churn churn)
    {
        ArgumentNullException.ThrowIfNull(sde);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(churn);
        double t = grid[i], s = grid[i + 1];
        double alphaT = kernel.Alpha(t), alphaS = kernel.Alpha(s);
        double sigma = kernel.Sigma(t) / alphaT, sigmaNext = kernel.Sigma(s) / alphaS;
        var sigmaHat = sigma;
        var tHat = t;
        var noise = 0.0;
        var gamma = churn.Gamma(sigma, grid.Steps);
        if (gamma > 0)
        {
            var sigmaTop = kernel.Sigma(sde.T) / kernel.Alpha(sde.T);
            sigmaHat = Math.Min(sigma * (1 + gamma), sigmaTop);
            if (sigmaHat > sigma)
            {
                tHat = sigmaHat == sigmaTop ? sde.T : kernel.TimeAtSigmaRatio(sigmaHat, t, sde.T);
                noise = Math.Sqrt(sigmaHat * sigmaHat - sigma * sigma) * churn.SNoise;
            }
            else sigmaHat = sigma;
        }
        return new EdmStep(alphaT, alphaS, sigmaNext, sigmaHat, tHat, kernel.Alpha(tHat), noise);
    }
}

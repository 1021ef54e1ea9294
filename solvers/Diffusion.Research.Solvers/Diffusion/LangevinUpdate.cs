using System.Numerics.Tensors;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The unadjusted Langevin update x ← x + ε s(x) + sqrt(2ε) z (001 eq 95 with Δt = 2ε; 003 §3.4.3; 004 §10.2;
/// Roberts and Tweedie 1996; Song and Ermon 2019, Alg. 1; Song et al. 2021, Algs 1–5), shared by the annealed Langevin
/// sampler and the predictor–corrector corrector.
/// </summary>
public static class LangevinUpdate
{
    /// <summary>One update with the same step ε for every particle.</summary>
    public static void Apply(Batch x, Batch score, Batch z, double epsilon)
    {
        TensorPrimitives.MultiplyAdd(score.Values, epsilon, x.Values, x.Values);
        TensorPrimitives.MultiplyAdd(z.Values, Math.Sqrt(2 * epsilon), x.Values, x.Values);
    }

    /// <summary>
    /// The corrector step of Song et al. 2021, Alg. 4–5: ε = 2 a (r ||z|| / ||s||)², with the norms averaged
    /// over the batch as in their reference code (per-particle norms are unstable in low dimension, where a
    /// particle near a mode has a tiny score). Returns 0 when the mean score norm is 0.
    /// </summary>
    public static double SignalToNoiseStep(double meanNoiseNorm, double meanScoreNorm, double snr, double a)
    {
        if (!(meanScoreNorm > 0)) return 0;
        var ratio = snr * meanNoiseNorm / meanScoreNorm;
        return 2 * a * ratio * ratio;
    }
}

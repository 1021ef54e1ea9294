using Diffusion.Research.Likelihood;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Nn.Likelihood;

/// <summary>
/// Log-likelihoods of neural score models through the core's <see cref="ProbabilityFlowLikelihood"/>
/// (PF-ODE augmented with the divergence, 003 Eq 4.2.7; 002; Song et al. 2021, §4.3; Grathwohl et al. 2019): exact divergence by
/// autodiff, or the
/// Hutchinson–Skilling estimate. Results in nats and bits per dimension (<see cref="LikelihoodResult"/>).
/// </summary>
public static class NeuralLikelihood
{
    /// <summary>With the exact divergence (D backward passes per evaluation).</summary>
    public static ProbabilityFlowLikelihood Exact(ILinearSde sde, INeuralScoreModel model) =>
        ProbabilityFlowLikelihood.Exact(sde, model, new NeuralScoreDivergence(model));

    /// <summary>With the Hutchinson estimate (<paramref name="probes"/> probes per particle, carried in the ODE state).</summary>
    public static ProbabilityFlowLikelihood Hutchinson(ILinearSde sde, INeuralScoreModel model, NoiseSource noise, int probes = 1,
        ProbeDistribution distribution = ProbeDistribution.Rademacher) =>
        ProbabilityFlowLikelihood.Hutchinson(sde, new HutchinsonDivergence(model, noise, probes, distribution));
}

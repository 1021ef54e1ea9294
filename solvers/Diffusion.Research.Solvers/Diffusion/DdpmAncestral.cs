using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Ancestral sampling (DDPM, Ho et al. 2020; 003 §2.2; 004 Alg. 18.2) for any affine kernel, so VP gives
/// DDPM and VE the SMLD ancestral sampler of Song et al. 2021 (their eq 47). From t to s &lt; t:
/// x̂_0 = (x + σ_t² s(x, t)) / α_t (Tweedie, 003 §3), x_s ~ N(μ, v) with μ the posterior mean of
/// 003 Lemma 4.4.2 (Kingma et al. 2021), μ = α_{t|s} σ_s²/σ_t² x + α_s σ_{t|s}²/σ_t² x̂_0 (for VP: (x + β s)/sqrt(1 − β), 000
/// DDPM sampling; Ho et al. 2020, Alg. 2).
/// The variance interpolates, log v = (1 − v_w) log σ̃² + v_w log σ_{t|s}², between the posterior
/// variance σ̃² = σ_{t|s}² σ_s²/σ_t² (v_w = 0, Ho's β̃, the choice of 003 §2.2.5) and σ_{t|s}² (v_w = 1, Ho's β),
/// as in Nichol &amp; Dhariwal 2021. Noise is added on every step, the last included: the result is a
/// sample of p_{t_end} (when σ at the grid end is 0 the posterior variance vanishes there, as in Ho's algorithm).
/// </summary>
public sealed class DdpmAncestral : DiffusionSampler
{
    /// <summary>The sampler with variance weight <paramref name="varianceWeight"/> in [0, 1] (0: posterior variance β̃).</summary>
    public DdpmAncestral(double varianceWeight = 0, int discreteBetas = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(discreteBetas);
        if (discreteBetas == 1) throw new ArgumentOutOfRangeException(nameof(discreteBetas), discreteBetas, "discrete_betas needs N >= 2 (0: continuous kernel).");
        DiscreteBetas = discreteBetas;
        if (!(varianceWeight >= 0 && varianceWeight <= 1))
            throw new ArgumentOutOfRangeException(nameof(varianceWeight), varianceWeight, "The variance weight must lie in [0, 1] (0: posterior variance, 1: beta).");
        VarianceWeight = varianceWeight;
        Traits = new SolverTraits("ddpm", 1, 0.5, IsStochastic: true, IsAdaptive: false, NfePerStep: 1,
            "Ancestral sampling (DDPM for VP, SMLD ancestral for VE) from the Gaussian posterior of the kernel.");
    }

    /// <summary>0: posterior variance σ̃² (β̃); 1: σ_{t|s}² (β); in between: geometric interpolation.</summary>
    public double VarianceWeight { get; }

    /// <summary>
    /// score_sde compatibility (0: off): for the linear VP SDE, the step takes β_i from linspace(β_min/N, β_max/N, N) at
    /// index floor(t (N − 1)) and is x_s = (x + β_i s)/sqrt(1 − β_i) + sqrt(β_i) z (score_sde
    /// <c>AncestralSamplingPredictor.vpsde_update_fn</c>; Ho et al. 2020 Alg. 2 with σ² = β), instead of the kernel posterior
    /// between the grid times; <see cref="VarianceWeight"/> is then unused.
    /// </summary>
    public int DiscreteBetas { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override void Validate(DiffusionProblem problem, Batch x, TimeGrid grid)
    {
        if (DiscreteBetas > 0) DiscreteBetaTable.Schedule(problem.Sde, DiscreteBetas, Traits.Name);
    }

    /// <inheritdoc />
    protected override int Buffers => GaussianStep.Buffers;

    /// <inheritdoc />
    protected override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var kernel = problem.Kernel;
        double t = step.Time, s = step.NextTime;
        if (DiscreteBetas > 0)
        {
            var beta = DiscreteBetaTable.Beta((Sde.LinearBetaSchedule)((Sde.VpSde)problem.Sde).Schedule, DiscreteBetas, t);
            var scale = 1 / Math.Sqrt(1 - beta);
            GaussianStep.Apply(problem, step, x, workspace, scale, beta * scale, Math.Sqrt(beta));
            return;
        }
        // 003 Lemma 4.4.2: Kingma et al. 2021; for DDPM, Ho et al. 2020, eqs (6)–(7).
        var posterior = kernel.Posterior(s, t); // 003 Lemma 4.4.2: NoisyWeight x_t + DataWeight x_0, Variance
        var alphaT = kernel.Alpha(t);
        var sigmaT = kernel.Sigma(t);
        // μ = a x + b x̂_0 with x̂_0 = (x + σ_t² score)/α_t  =>  μ = (a + b/α_t) x + (b σ_t²/α_t) score
        var xWeight = posterior.NoisyWeight + posterior.DataWeight / alphaT;
        var scoreWeight = posterior.DataWeight * sigmaT * sigmaT / alphaT;
        var variance = Variance(kernel, s, t, posterior.Variance);
        GaussianStep.Apply(problem, step, x, workspace, xWeight, scoreWeight, variance > 0 ? Math.Sqrt(variance) : 0);
    }

    private double Variance(IKernel kernel, double s, double t, double posteriorVariance)
    {
        if (VarianceWeight == 0) return posteriorVariance;
        var upper = kernel.Between(s, t).Variance; // σ_{t|s}² (003 eq 4.4.5; Kingma et al. 2021)
        if (VarianceWeight == 1 || posteriorVariance == 0) return VarianceWeight == 1 ? upper : 0;
        return Math.Exp((1 - VarianceWeight) * Math.Log(posteriorVariance) + VarianceWeight * Math.Log(upper));
    }

    /// <summary>Registers ddpm (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(80)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => new DdpmAncestral(p["variance_weight"], p.Integer("discrete_betas")),
            ParameterSpec.Real("variance_weight", 0, "0: posterior variance (beta tilde), 1: beta"),
            ParameterSpec.Integer("discrete_betas", 0, "N > 0: score_sde's discrete VP betas linspace(beta_min/N, beta_max/N, N) at floor(t (N-1)); 0: kernel posterior"));
}

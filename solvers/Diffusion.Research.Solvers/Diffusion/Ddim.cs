using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// DDIM (Song, Meng, Ermon 2021, eq 12) for any affine kernel: with x̂_0 = (x + σ_t² s)/α_t and
/// ε̂ = −σ_t s (003 §3, score/ε conversion), x_s = α_s x̂_0 + sqrt(σ_s² − c²) ε̂ + c z with
/// c = η σ̃ and σ̃² = σ_{t|s}² σ_s²/σ_t² the posterior variance (003 Lemma 4.4.2; Kingma et al. 2021). η = 0 is deterministic
/// (first order in the step on the probability-flow ODE); η = 1 is exactly ancestral sampling with the
/// posterior variance (<see cref="DdpmAncestral"/> with weight 0).
/// </summary>
public sealed class Ddim : DiffusionSampler
{
    /// <summary>DDIM with stochasticity <paramref name="eta"/> in [0, 1].</summary>
    public Ddim(double eta = 0)
    {
        if (!(eta >= 0 && eta <= 1)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must lie in [0, 1].");
        Eta = eta;
        Traits = new SolverTraits("ddim", 1, eta == 0 ? 0 : 0.5, IsStochastic: eta != 0, IsAdaptive: false, NfePerStep: 1,
            "DDIM (eta = 0: deterministic, first order; eta = 1: DDPM ancestral).");
    }

    /// <summary>η.</summary>
    public double Eta { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int Buffers => GaussianStep.Buffers;

    /// <inheritdoc />
    protected override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var kernel = problem.Kernel;
        double t = step.Time, s = step.NextTime;
        double alphaT = kernel.Alpha(t), sigmaT = kernel.Sigma(t), alphaS = kernel.Alpha(s), sigmaS = kernel.Sigma(s);
        var c = Eta == 0 ? 0.0 : Eta * kernel.Posterior(s, t).StandardDeviation;
        var direction = Math.Sqrt(Math.Max(0, sigmaS * sigmaS - c * c));
        // x_s = α_s (x + σ_t² score)/α_t − sqrt(σ_s² − c²) σ_t score + c z
        GaussianStep.Apply(problem, step, x, workspace, alphaS / alphaT, alphaS * sigmaT * sigmaT / alphaT - direction * sigmaT, c);
    }

    /// <summary>Registers ddim (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(90)]
    internal static void Register(SolverRegistry r) => r.Register(p => new Ddim(p["eta"]), ParameterSpec.Real("eta", 0, "stochasticity in [0, 1]"));
}

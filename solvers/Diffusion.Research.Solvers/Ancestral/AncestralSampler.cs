using System.Numerics.Tensors;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The ancestral samplers of k-diffusion (Crowson; after Karras et al. 2022 §4 and Song et al. 2021 App. F),
/// written in the EDM noise level σ̂ = σ_t/α_t and the scaled state x̂ = x/α_t: a step from σ̂ to σ̂' splits the
/// target variance as σ̂'² = σ_down² + σ_up² with σ_up = min(σ̂', η σ̂' sqrt(σ̂² − σ̂'²)/σ̂) (k-diffusion
/// <c>get_ancestral_step</c>; η = 1 is the DDPM posterior variance in VE form), integrates the probability-flow
/// ODE deterministically from σ̂ to σ_down (<see cref="Integrate"/>), and adds σ_up s_noise z.
/// Noise of step i is stream i. With η = 0 the step is the deterministic ODE step.
/// </summary>
public abstract class AncestralSampler : DiffusionSampler
{
    /// <summary>The sampler with stochasticity <paramref name="eta"/> ≥ 0 and noise scale <paramref name="sNoise"/>.</summary>
    protected AncestralSampler(double eta, double sNoise)
    {
        if (!(eta >= 0) || !double.IsFinite(eta)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must be finite and >= 0.");
        if (!(sNoise >= 0) || !double.IsFinite(sNoise)) throw new ArgumentOutOfRangeException(nameof(sNoise), sNoise, "s_noise must be finite and >= 0.");
        Eta = eta;
        SNoise = sNoise;
    }

    /// <summary>η (1: full ancestral noise, 0: deterministic).</summary>
    public double Eta { get; }

    /// <summary>Scale of the added noise (k-diffusion <c>s_noise</c>).</summary>
    public double SNoise { get; }

    /// <summary>Whether noise is drawn.</summary>
    protected bool IsStochastic => Eta > 0 && SNoise > 0;

    /// <summary>
    /// The traits of a member of the family: weak order <paramref name="order"/>; stochastic with strong order 1/2 (the
    /// ancestral noise of every step) when noise is drawn, else the deterministic ODE solver of the same order (strong
    /// order not applicable: 0).
    /// </summary>
    protected SolverTraits AncestralTraits(string name, int order, int nfePerStep, string description) =>
        new(name, order, IsStochastic ? 0.5 : 0, IsStochastic, IsAdaptive: false, nfePerStep, description);

    /// <summary>(σ_down, σ_up) for a step from σ̂ to σ̂' (k-diffusion <c>get_ancestral_step</c>).</summary>
    internal static (double Down, double Up) Split(double sigmaFrom, double sigmaTo, double eta)
    {
        if (eta == 0) return (sigmaTo, 0);
        var up = Math.Min(sigmaTo, eta * Math.Sqrt(sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo) / (sigmaFrom * sigmaFrom)));
        return (Math.Sqrt(sigmaTo * sigmaTo - up * up), up);
    }

    /// <summary>Buffers <see cref="Integrate"/> needs beyond the sampler's own two (0: score scratch, 1: noise).</summary>
    protected abstract int IntegratorRegisters { get; }

    /// <inheritdoc />
    protected sealed override int Buffers => 2 + IntegratorRegisters;

    /// <summary>
    /// Moves <paramref name="xHat"/> (the scaled state at σ̂(t)) along the PF-ODE to the level <paramref name="sigmaDown"/>
    /// (0 &lt; σ_down ≤ σ̂(t); at σ_down = 0 the sampler takes the Euler step itself, k-diffusion's rule for every ancestral sampler); <paramref name="epsilon"/> holds ε̂(x, t) = (x̂ − D(x̂; σ̂))/σ̂ on entry, register 0 is scratch, registers from 2 are free.
    /// </summary>
    protected abstract void Integrate(DiffusionProblem problem, StepInfo step, Batch xHat, Batch epsilon, double sigmaHat, double sigmaDown, Workspace workspace);

    /// <inheritdoc />
    protected sealed override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var kernel = problem.Kernel;
        var rows = x.Count;
        double t = step.Time, s = step.NextTime;
        double alphaT = kernel.Alpha(t), alphaS = kernel.Alpha(s);
        double sigmaHat = kernel.Sigma(t) / alphaT, sigmaNext = kernel.Sigma(s) / alphaS;
        var (down, up) = Split(sigmaHat, sigmaNext, IsStochastic ? Eta : 0);
        var eps = workspace.Buffer(0, rows);
        // ε̂ = −σ_t s(x, t) = (x̂ − D)/σ̂ (003 §3; Efron 2011; Karras et al. 2022, eq (3)), then x̂ = x/α_t in place.
        problem.PredictNoise(t, x, eps);
        TensorPrimitives.Multiply(x.Values, 1 / alphaT, x.Values);
        if (down == 0)
            TensorPrimitives.MultiplyAdd(eps.Values, -sigmaHat, x.Values, x.Values); // Euler to σ = 0 (Karras et al. 2022 eq 3): x̂ − σ̂ ε̂ = D
        else
            Integrate(problem, step, x, eps, sigmaHat, down, workspace);
        if (up > 0) step.AddNoise((uint)step.Index, up * SNoise, workspace.Buffer(1, rows), x); // + σ_up s_noise z
        TensorPrimitives.Multiply(x.Values, alphaS, x.Values);
    }
}

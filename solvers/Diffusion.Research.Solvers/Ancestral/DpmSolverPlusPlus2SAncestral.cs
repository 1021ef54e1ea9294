using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// DPM-Solver++(2S) ancestral (k-diffusion <c>sample_dpmpp_2s_ancestral</c>): a DPM-Solver++(2S) step
/// (Lu et al. 2022b Alg. 1, r = 1/2) in λ = −log σ̂ from σ̂ to σ_down, h = log(σ̂/σ_down), σ_1 = σ̂ e^{−h/2}:
/// x̂' = (σ_1/σ̂) x̂ − expm1(−h/2) D(x̂; σ̂), x̂ ← (σ_down/σ̂) x̂ − expm1(−h) D(x̂'; σ_1); an Euler step where σ_down = 0;
/// then σ_up noise. Two evaluations per step; η = 0 is DPM-Solver++(2S) (order 2).
/// </summary>
public sealed class DpmSolverPlusPlus2SAncestral : AncestralSampler
{
    /// <summary>The sampler with <paramref name="eta"/> (default 1) and <paramref name="sNoise"/> (default 1).</summary>
    public DpmSolverPlusPlus2SAncestral(double eta = 1, double sNoise = 1)
        : base(eta, sNoise)
    {
        Traits = AncestralTraits("dpmpp_2s_ancestral", order: 2, nfePerStep: 2,
            "DPM-Solver++(2S) ancestral (k-diffusion): 2S step to sigma_down, then sigma_up noise.");
    }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int IntegratorRegisters => 2;

    /// <inheritdoc />
    protected override void Integrate(DiffusionProblem problem, StepInfo step, Batch xHat, Batch epsilon, double sigmaHat, double sigmaDown, Workspace workspace)
    {
        var rows = xHat.Count;
        var h = Math.Log(sigmaHat) - Math.Log(sigmaDown);
        var sigma1 = Math.Exp(-(-Math.Log(sigmaHat) + 0.5 * h));
        // D = x̂ − σ̂ ε̂ (Karras et al. 2022 eq 3); x̂' = (σ_1/σ̂) x̂ − expm1(−h/2) (x̂ − σ̂ ε̂)
        var probe = workspace.Buffer(2, rows);
        var e = Sde.ElementaryFunctions.Expm1(-0.5 * h);
        TensorPrimitives.Multiply(xHat.Values, sigma1 / sigmaHat - e, probe.Values);
        TensorPrimitives.MultiplyAdd(epsilon.Values, e * sigmaHat, probe.Values, probe.Values);
        var eps2 = workspace.Buffer(3, rows);
        problem.PredictNoiseAtLevel(sigma1, step.Time, probe, workspace.Buffer(0, rows), eps2); // ε̂ (register 0) is no longer needed
        // x̂ ← (σ_down/σ̂) x̂ − expm1(−h) (x̂' − σ_1 ε̂')
        var e1 = Sde.ElementaryFunctions.Expm1(-h);
        TensorPrimitives.Multiply(xHat.Values, sigmaDown / sigmaHat, xHat.Values);
        TensorPrimitives.MultiplyAdd(probe.Values, -e1, xHat.Values, xHat.Values);
        TensorPrimitives.MultiplyAdd(eps2.Values, e1 * sigma1, xHat.Values, xHat.Values);
    }

    /// <summary>Registers dpmpp_2s_ancestral (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(250)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => new DpmSolverPlusPlus2SAncestral(p["eta"], p["s_noise"]), ParameterSpec.Real("eta", 1, "ancestral noise (0: DPM-Solver++(2S) in sigma)"), ParameterSpec.Real("s_noise", 1, "noise scale"));
}

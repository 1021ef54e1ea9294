using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// DPM-2 ancestral (k-diffusion <c>sample_dpm_2_ancestral</c>): the σ̂-space midpoint rule of DPM-Solver-2
/// (Lu et al. 2022 Alg. 1 with r = 1/2, in Karras et al. 2022's ODE form): σ_mid = sqrt(σ̂ σ_down),
/// x̂' = x̂ + (σ_mid − σ̂) ε̂(x̂, σ̂), x̂ ← x̂ + (σ_down − σ̂) ε̂(x̂', σ_mid); a first-order Euler step where σ_down = 0.
/// Then σ_up noise. Two evaluations per step; η = 0 is k-diffusion's <c>sample_dpm_2</c> without churn (order 2).
/// </summary>
public sealed class Dpm2Ancestral : AncestralSampler
{
    /// <summary>The sampler with <paramref name="eta"/> (default 1) and <paramref name="sNoise"/> (default 1).</summary>
    public Dpm2Ancestral(double eta = 1, double sNoise = 1)
        : base(eta, sNoise)
    {
        Traits = AncestralTraits("dpm_2_ancestral", order: 2, nfePerStep: 2,
            "DPM-2 ancestral (k-diffusion): sigma-space midpoint step to sigma_down, then sigma_up noise; eta = 0 is k-diffusion's dpm_2.");
    }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int IntegratorRegisters => 2;

    /// <inheritdoc />
    protected override void Integrate(DiffusionProblem problem, StepInfo step, Batch xHat, Batch epsilon, double sigmaHat, double sigmaDown, Workspace workspace)
    {
        var rows = xHat.Count;
        var sigmaMid = Math.Exp(0.5 * (Math.Log(sigmaHat) + Math.Log(sigmaDown)));
        var probe = workspace.Buffer(2, rows);
        TensorPrimitives.MultiplyAdd(epsilon.Values, sigmaMid - sigmaHat, xHat.Values, probe.Values);
        var eps2 = workspace.Buffer(3, rows);
        problem.PredictNoiseAtLevel(sigmaMid, step.Time, probe, probe, eps2); // ε̂(x̂', σ_mid)
        TensorPrimitives.MultiplyAdd(eps2.Values, sigmaDown - sigmaHat, xHat.Values, xHat.Values);
    }

    /// <summary>Registers dpm_2_ancestral (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(240)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => new Dpm2Ancestral(p["eta"], p["s_noise"]), ParameterSpec.Real("eta", 1, "ancestral noise (0: dpm_2)"), ParameterSpec.Real("s_noise", 1, "noise scale"));
}

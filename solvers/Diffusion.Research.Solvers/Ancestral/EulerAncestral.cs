using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Euler ancestral (k-diffusion <c>sample_euler_ancestral</c>): an Euler step of dx̂/dσ̂ = ε̂ from σ̂ to σ_down
/// (Karras et al. 2022 eq 3 / Alg. 2 line 8 without the correction), then σ_up noise (<see cref="AncestralSampler"/>).
/// η = 0 is Euler in σ̂ (first order; the DDIM step in σ̂-Euler form, Karras et al. 2022 App. B.1).
/// </summary>
public sealed class EulerAncestral : AncestralSampler
{
    /// <summary>The sampler with <paramref name="eta"/> (default 1) and <paramref name="sNoise"/> (default 1).</summary>
    public EulerAncestral(double eta = 1, double sNoise = 1)
        : base(eta, sNoise)
    {
        Traits = AncestralTraits("euler_ancestral", order: 1, nfePerStep: 1,
            "Euler ancestral (k-diffusion): Euler in sigma to sigma_down, then sigma_up noise; eta = 0 is Euler in sigma.");
    }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int IntegratorRegisters => 0;

    /// <inheritdoc />
    protected override void Integrate(DiffusionProblem problem, StepInfo step, Batch xHat, Batch epsilon, double sigmaHat, double sigmaDown, Workspace workspace) =>
        TensorPrimitives.MultiplyAdd(epsilon.Values, sigmaDown - sigmaHat, xHat.Values, xHat.Values);

    /// <summary>Registers euler_ancestral (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(230)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => new EulerAncestral(p["eta"], p["s_noise"]), ParameterSpec.Real("eta", 1, "ancestral noise (0: Euler in sigma)"), ParameterSpec.Real("s_noise", 1, "noise scale"));
}

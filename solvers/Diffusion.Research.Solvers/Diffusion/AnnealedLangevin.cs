using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Annealed Langevin dynamics (NCSN; Song &amp; Ermon 2019, Alg. 1; 003 §3.4.3; 000 SMLD sampling):
/// the noise levels are the grid times after the first, σ_i = σ(t_i) of the kernel; at each level
/// <see cref="StepsPerLevel"/> updates x ← x + (α_i/2) s(x, t_i) + sqrt(α_i) z with
/// α_i = ε σ_i² / σ_L², σ_L = σ(t_end) the smallest level (Song and Ermon 2019, Alg. 1; 003 writes η_ℓ = α_ℓ/2 = δ σ_ℓ²/σ_1² with its
/// σ_1 the smallest). Noise: stream M i + k for update k at level i.
/// </summary>
public sealed class AnnealedLangevin : DiffusionSampler
{
    /// <summary>The sampler with base step <paramref name="epsilon"/> and <paramref name="stepsPerLevel"/> updates per noise level.</summary>
    public AnnealedLangevin(double epsilon = 2e-5, int stepsPerLevel = 100)
    {
        if (!(epsilon > 0) || !double.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "The base step must be finite and > 0.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerLevel);
        Epsilon = epsilon;
        StepsPerLevel = stepsPerLevel;
        Traits = new SolverTraits("ald", 1, 0.5, IsStochastic: true, IsAdaptive: false, NfePerStep: stepsPerLevel,
            "Annealed Langevin dynamics (NCSN; Song & Ermon 2019): M Langevin steps per noise level, step eps sigma_i^2/sigma_L^2.");
    }

    /// <summary>ε, the step at the smallest level.</summary>
    public double Epsilon { get; }

    /// <summary>M, Langevin updates per level.</summary>
    public int StepsPerLevel { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int Buffers => 2;

    /// <inheritdoc />
    protected override void Step(DiffusionProblem problem, StepInfo step, Batch x, Workspace workspace)
    {
        var kernel = problem.Kernel;
        var level = step.NextTime;
        var sigma = kernel.Sigma(level);
        var sigmaMin = kernel.Sigma(step.Grid.End); // σ_L: the grid decreases, so its end is the smallest level
        var alpha = Epsilon * sigma * sigma / (sigmaMin * sigmaMin);
        var score = workspace.Buffer(0, x.Count);
        var z = workspace.Buffer(1, x.Count);
        for (var k = 0; k < StepsPerLevel; k++)
        {
            problem.Score.Score(level, x, score);
            step.FillGaussian((uint)(step.Index * StepsPerLevel + k), z);
            LangevinUpdate.Apply(x, score, z, 0.5 * alpha); // x + (α/2) s + sqrt(α) z
        }
    }

    /// <summary>Registers ald (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(70)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => new AnnealedLangevin(p["eps"], p.Integer("steps_per_level")),
            ParameterSpec.Real("eps", 2e-5, "step at the smallest level") with { Argument = "epsilon" }, ParameterSpec.Integer("steps_per_level", 100, "Langevin updates per level M"));
}

using Diffusion.Research.Kernels;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Linear multistep (Adams–Bashforth on a variable grid; k-diffusion <c>sample_lms</c>, after Karras et al. 2022's ODE)
/// on dx̂/dσ̂ = ε̂ = (x̂ − D(x̂; σ̂))/σ̂ in the EDM noise level σ̂ = σ_t/α_t and x̂ = x/α_t:
/// x̂_{i+1} = x̂_i + Σ_{j&lt;k} c_j ε̂_{i−j},  c_j = ∫_{σ̂_i}^{σ̂_{i+1}} ℓ_j(τ) dτ,  ℓ_j the Lagrange basis on σ̂_i, …, σ̂_{i−k+1}
/// (Hairer, Nørsett, Wanner I, §III.1 eq 1.5 on a variable grid), k = min(order, i + 1) (warm-up with lower orders).
/// The integrals are exact: 3-point Gauss–Legendre integrates the cubic basis of order 4 exactly
/// (k-diffusion uses adaptive quadrature with epsrel 1e-4, exact for these polynomials as well). One evaluation per step.
/// </summary>
public sealed class LinearMultistep : EpsilonMultistep
{
    /// <summary>LMS of order <paramref name="order"/> (1–4; 4 is k-diffusion's default).</summary>
    public LinearMultistep(int order = 4)
    {
        if (order is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(order), order, "order must lie in 1..4.");
        Order = order;
        Traits = new SolverTraits("lms", order, 0, IsStochastic: false, IsAdaptive: false, NfePerStep: 1,
            "Linear multistep in sigma (k-diffusion lms): Lagrange basis integrated over each step, order up to 4.");
    }

    /// <summary>Order (1–4).</summary>
    public int Order { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    // 0..3: ε̂ of the last four grid points (ring by step index).
    /// <inheritdoc />
    protected override int Buffers => 4;

    // Gauss–Legendre 3-point nodes and weights on [−1, 1] (Abramowitz & Stegun 25.4.29).
    private static readonly double[] Nodes = [-Math.Sqrt(0.6), 0, Math.Sqrt(0.6)];
    private static readonly double[] Weights = [5.0 / 9, 8.0 / 9, 5.0 / 9];

    /// <summary>c_j = ∫ from <paramref name="nodes"/>[0] to <paramref name="to"/> of the Lagrange basis ℓ_j on <paramref name="nodes"/> (j = 0 is the newest node).</summary>
    public static double Coefficient(ReadOnlySpan<double> nodes, int j, double to)
    {
        double a = nodes[0], half = 0.5 * (to - a), sum = 0;
        for (var q = 0; q < Nodes.Length; q++)
        {
            var tau = a + half * (Nodes[q] + 1);
            var prod = 1.0;
            for (var k = 0; k < nodes.Length; k++)
                if (k != j) prod *= (tau - nodes[k]) / (nodes[j] - nodes[k]);
            sum += Weights[q] * prod;
        }
        return half * sum;
    }

    /// <inheritdoc />
    protected override double Node(IKernel kernel, double time) => kernel.Sigma(time) / kernel.Alpha(time);

    /// <inheritdoc />
    protected override double Weight(IKernel kernel, ReadOnlySpan<double> nodes, int j, double to) => Coefficient(nodes, j, to);

    /// <inheritdoc />
    protected override int StepOrder(StepInfo step, int available) => Math.Min(Order, available);

    /// <summary>Registers lms (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(220)]
    internal static void Register(SolverRegistry r) => r.Register(p => new LinearMultistep(p.Integer("order")), ParameterSpec.Integer("order", 4, "order 1-4"));
}

using Diffusion.Research.Kernels;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// tAB-DEIS (Zhang &amp; Chen 2022, eq 14 with the Lagrange extrapolation of eq 15 in t): the exponential integrator of the
/// probability-flow ODE in x̂ = x/α_t, dx̂/dt = ε̂(x, t) dρ/dt with ρ = σ_t/α_t (the DDIM ODE, their eq 11), and ε̂
/// extrapolated by the Lagrange polynomial through the last k grid times in t:
/// x̂_{i+1} = x̂_i + Σ_{j&lt;k} C_ij ε̂_{i−j},  C_ij = ∫_{t_i}^{t_{i+1}} ρ'(τ) ℓ_j(τ) dτ
///        = ρ(t_{i+1}) ℓ_j(t_{i+1}) − ρ(t_i) ℓ_j(t_i) − ∫_{t_i}^{t_{i+1}} ρ(τ) ℓ_j'(τ) dτ
/// (by parts, so that only ρ is needed; 8-point Gauss–Legendre for the smooth remainder, as DEIS computes its
/// coefficients by quadrature). k = min(order, i + 1) (lower-order warm-up). One evaluation per step.
/// The same construction with the Lagrange basis in ρ instead of t is ρAB-DEIS, which is <see cref="LinearMultistep"/>.
/// </summary>
public sealed class DeisTimeAdamsBashforth : EpsilonMultistep
{
    // Gauss–Legendre 8-point nodes and weights on [−1, 1] (Abramowitz & Stegun Table 25.4).
    private static readonly double[] Nodes =
        [-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498, 0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363];
    private static readonly double[] GaussWeights =
        [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620, 0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

    /// <summary>tAB-DEIS of order <paramref name="order"/> (1–3).</summary>
    public DeisTimeAdamsBashforth(int order = 3)
    {
        if (order is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be 1, 2 or 3.");
        Order = order;
        Traits = new SolverTraits("deis", order, 0, IsStochastic: false, IsAdaptive: false, NfePerStep: 1,
            "tAB-DEIS (Zhang & Chen 2022): exponential integrator, eps extrapolated by Lagrange polynomials in t, order 1-3.");
    }

    /// <summary>Order k (1–3).</summary>
    public int Order { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int Buffers => 3;

    private static double Rho(IKernel kernel, double t) => kernel.Sigma(t) / kernel.Alpha(t);

    // ℓ_j(τ) and ℓ_j'(τ) on the nodes.
    private static double Basis(ReadOnlySpan<double> nodes, int j, double tau)
    {
        var prod = 1.0;
        for (var k = 0; k < nodes.Length; k++)
            if (k != j) prod *= (tau - nodes[k]) / (nodes[j] - nodes[k]);
        return prod;
    }

    private static double BasisDerivative(ReadOnlySpan<double> nodes, int j, double tau)
    {
        var sum = 0.0;
        for (var m = 0; m < nodes.Length; m++)
        {
            if (m == j) continue;
            var prod = 1.0 / (nodes[j] - nodes[m]);
            for (var k = 0; k < nodes.Length; k++)
                if (k != j && k != m) prod *= (tau - nodes[k]) / (nodes[j] - nodes[k]);
            sum += prod;
        }
        return sum;
    }

    /// <summary>C_ij for the Lagrange nodes <paramref name="nodes"/> (nodes[0] = t_i) and the step to <paramref name="to"/>.</summary>
    internal static double Coefficient(IKernel kernel, ReadOnlySpan<double> nodes, int j, double to)
    {
        double a = nodes[0], half = 0.5 * (to - a);
        var boundary = Rho(kernel, to) * Basis(nodes, j, to) - Rho(kernel, a) * Basis(nodes, j, a);
        if (nodes.Length == 1) return boundary; // ℓ_0 = 1: C = ρ(t_{i+1}) − ρ(t_i), the DDIM step
        var integral = 0.0;
        for (var q = 0; q < Nodes.Length; q++)
        {
            var tau = a + half * (Nodes[q] + 1);
            integral += GaussWeights[q] * Rho(kernel, tau) * BasisDerivative(nodes, j, tau);
        }
        return boundary - half * integral;
    }

    /// <inheritdoc />
    protected override double Node(IKernel kernel, double time) => time;

    /// <inheritdoc />
    protected override double Weight(IKernel kernel, ReadOnlySpan<double> nodes, int j, double to) => Coefficient(kernel, nodes, j, to);

    /// <inheritdoc />
    protected override int StepOrder(StepInfo step, int available) => Math.Min(Order, available);

    /// <summary>Registers deis, with log_rho = 1 the <see cref="DeisLogRho"/> variant (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(170)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => p.Integer("log_rho") != 0 ? new DeisLogRho(p.Integer("order")) : new DeisTimeAdamsBashforth(p.Integer("order")),
            ParameterSpec.Integer("order", 3, "order 1-3"),
            ParameterSpec.Integer("log_rho", 0, "1: log-rho DEIS of diffusers' DEISMultistepScheduler (eps interpolated in log rho, lower-order final steps) instead of tAB"));
}

using Diffusion.Research.Kernels;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Log-ρ multistep DEIS, the variant diffusers' <c>DEISMultistepScheduler</c> calls "deis": the DDIM ODE in x̂ = x/α_t,
/// dx̂ = ε̂ dρ with ρ = σ_t/α_t (Zhang &amp; Chen 2022 eq 11), integrated exactly over each step with ε̂ replaced by the
/// Lagrange polynomial through the last k values in u = log ρ (their eq 14 with the extrapolation of eq 15 taken in log ρ
/// instead of t, as <see cref="DeisTimeAdamsBashforth"/> does):
/// x̂_{i+1} = x̂_i + Σ_{j&lt;k} C_ij ε̂_{i−j},  C_ij = ∫_{ρ_i}^{ρ_{i+1}} ℓ_j(log ρ) dρ = [e^u (ℓ_j − ℓ_j' + ℓ_j'')]_{u_i}^{u_{i+1}}
/// (substituting ρ = e^u and integrating by parts; ℓ_j has degree k − 1 ≤ 2, so the series stops). k = 1 is the DDIM step.
/// Warm-up k = min(order, i + 1); with <c>lowerOrderFinal</c> also k ≤ N − i (order 1 on the last step, at most 2 on the one
/// before), which diffusers applies only when N &lt; 15 (docs/errata.md). One evaluation per step.
/// </summary>
public sealed class DeisLogRho : EpsilonMultistep
{
    /// <summary>Log-ρ DEIS of order <paramref name="order"/> (1–3).</summary>
    public DeisLogRho(int order = 3, bool lowerOrderFinal = true)
    {
        if (order is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be 1, 2 or 3.");
        Order = order;
        LowerOrderFinal = lowerOrderFinal;
        Traits = new SolverTraits("deis_logrho", order, 0, IsStochastic: false, IsAdaptive: false, NfePerStep: 1,
            "Log-rho DEIS (diffusers DEISMultistepScheduler): eps interpolated by Lagrange polynomials in log rho, integrated exactly in rho, order 1-3.");
    }

    /// <summary>Order k (1–3).</summary>
    public int Order { get; }

    /// <summary>Whether the last steps lower the order to the number of steps left.</summary>
    public bool LowerOrderFinal { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int Buffers => 3;

    private static double LogRho(IKernel kernel, double t) => Math.Log(kernel.Sigma(t) / kernel.Alpha(t));

    /// <summary>e^u (ℓ_j(u) − ℓ_j'(u) + ℓ_j''(u)): an antiderivative of ℓ_j(u) e^u for ℓ_j of degree ≤ 2 on <paramref name="nodes"/>.</summary>
    private static double Antiderivative(ReadOnlySpan<double> nodes, int j, double u)
    {
        double value = 1, first = 0, second = 0, denominator = 1;
        // ℓ_j = Π_{m≠j} (u − u_m) / Π_{m≠j} (u_j − u_m); the numerator's derivatives by the product rule.
        Span<double> roots = stackalloc double[2];
        var r = 0;
        for (var m = 0; m < nodes.Length; m++)
        {
            if (m == j) continue;
            roots[r++] = nodes[m];
            denominator *= nodes[j] - nodes[m];
        }
        if (r == 1) { value = u - roots[0]; first = 1; }
        else if (r == 2) { value = (u - roots[0]) * (u - roots[1]); first = 2 * u - roots[0] - roots[1]; second = 2; }
        return Math.Exp(u) * (value - first + second) / denominator;
    }

    /// <inheritdoc />
    protected override double Node(IKernel kernel, double time) => LogRho(kernel, time);

    /// <inheritdoc />
    protected override double Weight(IKernel kernel, ReadOnlySpan<double> nodes, int j, double to) =>
        Antiderivative(nodes, j, to) - Antiderivative(nodes, j, nodes[0]);

    /// <inheritdoc />
    protected override int StepOrder(StepInfo step, int available)
    {
        var k = Math.Min(Order, available);
        if (LowerOrderFinal) k = Math.Min(k, step.Grid.Steps - step.Index);
        return k;
    }
}

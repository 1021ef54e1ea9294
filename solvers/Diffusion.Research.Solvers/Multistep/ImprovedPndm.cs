using Diffusion.Research.Kernels;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// iPNDM (Zhang &amp; Chen 2022, "DEIS", §5 and App. on PNDM): the pseudo linear multistep step of PNDM (Liu et al. 2022,
/// eq 12: the DDIM transfer driven by the Adams–Bashforth-4 combination of noise predictions) with a lower-order
/// Adams–Bashforth warm-up instead of PNDM's pseudo-Runge–Kutta start. In the EDM level σ̂ = σ_t/α_t and x̂ = x/α_t the DDIM
/// transfer is x̂' = x̂ + (σ̂' − σ̂) ε' (Song, Meng, Ermon 2021 eq 14), with
/// ε' = ε_i (k = 1), (3ε_i − ε_{i−1})/2, (23ε_i − 16ε_{i−1} + 5ε_{i−2})/12, (55ε_i − 59ε_{i−1} + 37ε_{i−2} − 9ε_{i−3})/24,
/// k = min(order, i + 1): the constant-step Adams–Bashforth weights (Hairer, Nørsett, Wanner I, Table III.1.1), used on
/// any grid. On a grid whose σ̂-steps vary smoothly (ratios 1 + O(h)) the constant weights leave a local error O(h³):
/// global order 2 whatever k (measured; docs/solvers.md). <see cref="LinearMultistep"/> is the variable-step version.
/// One evaluation per step.
/// </summary>
public sealed class ImprovedPndm : EpsilonMultistep
{
    private static readonly double[][] Weights =
    [
        [1.0],
        [3.0 / 2, -1.0 / 2],
        [23.0 / 12, -16.0 / 12, 5.0 / 12],
        [55.0 / 24, -59.0 / 24, 37.0 / 24, -9.0 / 24],
    ];

    /// <summary>iPNDM of order <paramref name="order"/> (1–4; 4 is the paper's).</summary>
    public ImprovedPndm(int order = 4)
    {
        if (order is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(order), order, "order must lie in 1..4.");
        Order = order;
        Traits = new SolverTraits("ipndm", Math.Min(order, 2), 0, IsStochastic: false, IsAdaptive: false, NfePerStep: 1,
            "iPNDM (Zhang & Chen 2022): constant-step Adams-Bashforth on eps in sigma, lower-order warm-up (order 2 on grids not uniform in sigma).");
    }

    /// <summary>Adams–Bashforth order (1–4).</summary>
    public int Order { get; }

    /// <inheritdoc />
    public override SolverTraits Traits { get; }

    /// <inheritdoc />
    protected override int Buffers => 4;

    /// <inheritdoc />
    protected override double Node(IKernel kernel, double time) => kernel.Sigma(time) / kernel.Alpha(time);

    /// <inheritdoc />
    protected override double Weight(IKernel kernel, ReadOnlySpan<double> nodes, int j, double to) => (to - nodes[0]) * Weights[nodes.Length - 1][j];

    /// <inheritdoc />
    protected override int StepOrder(StepInfo step, int available) => Math.Min(Order, available);

    /// <summary>Registers ipndm (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(180)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => new ImprovedPndm(p.Integer("order")), ParameterSpec.Integer("order", 4, "Adams-Bashforth order 1-4"));
}

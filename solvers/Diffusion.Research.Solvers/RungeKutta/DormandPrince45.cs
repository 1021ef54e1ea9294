using Diffusion.Research.Registries;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Adaptive Dormand–Prince 5(4) for ODEs (Dormand &amp; Prince 1980; Hairer–Nørsett–Wanner I §II.4–5): the
/// <see cref="EmbeddedRungeKutta"/> solver of <see cref="Tableau.DormandPrince45"/> (FSAL, 6 drift evaluations per step
/// after the first) with Hairer's PI settings <see cref="PiController.DormandPrince"/> by default.
/// </summary>
public sealed class DormandPrince45 : EmbeddedRungeKutta
{
    /// <summary>Dormand–Prince with <paramref name="controller"/> (default: <see cref="PiController.DormandPrince"/>).</summary>
    public DormandPrince45(PiController? controller = null)
        : base(Tableau.DormandPrince45, controller ?? PiController.DormandPrince, "dopri5",
            "Adaptive Dormand-Prince 5(4) (ODE, order 5, FSAL, PI step control on rtol/atol).")
    {
    }

    /// <summary>Registers dopri5 (the registry reads name and description from the traits; <see cref="SolverRegistry.CreateDefault"/>).</summary>
    [SolverRegistration(20)]
    internal static void Register(SolverRegistry r) =>
        r.Register(p => new DormandPrince45(PiController.DormandPrince.WithSafety(p["safety"])), ParameterSpec.Real("safety", 0.9, "step-size safety factor"));
}

using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Solvers by name: a <see cref="ParameterRegistry{T}"/> (the framework's one registry shape) filled by
/// <see cref="CreateDefault"/> with the whole zoo. Registering a solver is one call to
/// <see cref="ParameterRegistry{T}.Register"/>: name, one-line description, factory, typed parameters with defaults.
/// </summary>
public sealed class SolverRegistry : ParameterRegistry<ISolver>
{
    /// <summary>An empty registry.</summary>
    public SolverRegistry()
        : base("solver")
    {
    }

    /// <summary>A registry holding every solver of this assembly.</summary>
    public static SolverRegistry CreateDefault()
    {
        var r = new SolverRegistry();
        r.Register("euler", "Explicit Euler on the drift (ODE, order 1; sampling: PF-ODE, lambda = 0).", _ => new ExplicitRungeKutta(Tableau.Euler));
        r.Register("heun", "Heun / explicit trapezoid (ODE, order 2).", _ => new ExplicitRungeKutta(Tableau.Heun));
        r.Register("rk4", "Classical Runge-Kutta (ODE, order 4).", _ => new ExplicitRungeKutta(Tableau.RungeKutta4));
        r.Register("dopri5", "Adaptive Dormand-Prince 5(4) with PI control (ODE; uses rtol/atol of the options).",
            p => new DormandPrince45(PiController.DormandPrince.WithSafety(p["safety"])),
            ParameterSpec.Real("safety", 0.9, "step-size safety factor"));
        r.Register("euler_maruyama", "Euler-Maruyama (SDE; weak order 1, strong 1/2, 1 for additive noise).", _ => new EulerMaruyama());
        r.Register("stochastic_heun", "Stochastic Heun for additive noise (weak order 2, strong 1).", _ => new StochasticHeun());
        r.Register("ggf", "Adaptive SDE solver of Jolicoeur-Martineau et al. 2021 (uses rtol/atol of the options).",
            p => new GottaGoFast(PiController.JolicoeurMartineau.WithSafety(p["safety"]).WithExponents(p["exponent"], 0)),
            ParameterSpec.Real("safety", 0.9, "theta in h <- theta h E^-r"), ParameterSpec.Real("exponent", 0.9, "r in h <- theta h E^-r"));
        r.Register("pc", "Predictor-corrector: reverse-diffusion predictor + Langevin corrector (Song et al. 2021 Alg. 1-5).",
            p => new PredictorCorrector(PredictorKind.ReverseDiffusion, p.Integer("corrector_steps"), p["snr"]),
            ParameterSpec.Real("snr", 0.16, "corrector signal-to-noise ratio r"), ParameterSpec.Integer("corrector_steps", 1, "Langevin updates per step"));
        r.Register("pc_em", "Predictor-corrector: Euler-Maruyama predictor + Langevin corrector.",
            p => new PredictorCorrector(PredictorKind.EulerMaruyama, p.Integer("corrector_steps"), p["snr"]),
            ParameterSpec.Real("snr", 0.16, "corrector signal-to-noise ratio r"), ParameterSpec.Integer("corrector_steps", 1, "Langevin updates per step"));
        r.Register("ald", "Annealed Langevin dynamics (NCSN; Song & Ermon 2019): levels = grid times, step eps sigma_i^2/sigma_min^2.",
            p => new AnnealedLangevin(p["eps"], p.Integer("steps_per_level")),
            ParameterSpec.Real("eps", 2e-5, "step at the smallest level"), ParameterSpec.Integer("steps_per_level", 100, "Langevin updates per level M"));
        r.Register("ddpm", "Ancestral sampling from the kernel posterior (DDPM for VP, SMLD ancestral for VE).",
            p => new DdpmAncestral(p["variance_weight"]),
            ParameterSpec.Real("variance_weight", 0, "0: posterior variance (beta tilde), 1: beta"));
        r.Register("ddim", "DDIM (Song, Meng, Ermon 2021); eta = 0 deterministic, eta = 1 ancestral.",
            p => new Ddim(p["eta"]),
            ParameterSpec.Real("eta", 0, "stochasticity in [0, 1]"));
        r.Register("dpm_solver_2", "DPM-Solver-2 (Lu et al. 2022): second-order exponential integrator in log-SNR.", _ => new DpmSolver2());
        r.Register("edm", "EDM sampler (Karras et al. 2022 Alg. 2): Heun in sigma with optional churn.",
            p => new EdmHeun(new Churn(p["s_churn"], p["s_tmin"], p["s_tmax"], p["s_noise"])),
            ParameterSpec.Real("s_churn", 0, "total churn (0: deterministic)"), ParameterSpec.Real("s_tmin", 0, "lowest churned sigma"),
            ParameterSpec.Real("s_tmax", double.PositiveInfinity, "highest churned sigma"), ParameterSpec.Real("s_noise", 1, "churn noise scale"));
        return r;
    }
}

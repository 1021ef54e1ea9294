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
            p => new PredictorCorrector(PredictorKind.ReverseDiffusion, p.Integer("corrector_steps"), p["snr"], null, p.Integer("corrector_first") != 0, p.Integer("discrete_betas")),
            ParameterSpec.Real("snr", 0.16, "corrector signal-to-noise ratio r"), ParameterSpec.Integer("corrector_steps", 1, "Langevin updates per step"),
            ParameterSpec.Integer("corrector_first", 0, "1: corrector at t_i before the predictor (score_sde order); 0: after, at t_(i+1)"),
            ParameterSpec.Integer("discrete_betas", 0, "N > 0: score_sde's discrete VP betas linspace(beta_min/N, beta_max/N, N) at floor(t (N-1)); 0: continuous kernel"));
        r.Register("pc_em", "Predictor-corrector: Euler-Maruyama predictor + Langevin corrector.",
            p => new PredictorCorrector(PredictorKind.EulerMaruyama, p.Integer("corrector_steps"), p["snr"], null, p.Integer("corrector_first") != 0, p.Integer("discrete_betas")),
            ParameterSpec.Real("snr", 0.16, "corrector signal-to-noise ratio r"), ParameterSpec.Integer("corrector_steps", 1, "Langevin updates per step"),
            ParameterSpec.Integer("corrector_first", 0, "1: corrector at t_i before the predictor (score_sde order); 0: after, at t_(i+1)"),
            ParameterSpec.Integer("discrete_betas", 0, "N > 0: score_sde's discrete VP betas linspace(beta_min/N, beta_max/N, N) at floor(t (N-1)); 0: continuous kernel"));
        r.Register("ald", "Annealed Langevin dynamics (NCSN; Song & Ermon 2019): levels = grid times, step eps sigma_i^2/sigma_min^2.",
            p => new AnnealedLangevin(p["eps"], p.Integer("steps_per_level")),
            ParameterSpec.Real("eps", 2e-5, "step at the smallest level"), ParameterSpec.Integer("steps_per_level", 100, "Langevin updates per level M"));
        r.Register("ddpm", "Ancestral sampling from the kernel posterior (DDPM for VP, SMLD ancestral for VE).",
            p => new DdpmAncestral(p["variance_weight"], p.Integer("discrete_betas")),
            ParameterSpec.Real("variance_weight", 0, "0: posterior variance (beta tilde), 1: beta"),
            ParameterSpec.Integer("discrete_betas", 0, "N > 0: score_sde's discrete VP betas linspace(beta_min/N, beta_max/N, N) at floor(t (N-1)); 0: kernel posterior"));
        r.Register("ddim", "DDIM (Song, Meng, Ermon 2021); eta = 0 deterministic, eta = 1 ancestral.",
            p => new Ddim(p["eta"]),
            ParameterSpec.Real("eta", 0, "stochasticity in [0, 1]"));
        r.Register("dpm_solver_2", "DPM-Solver-2 (Lu et al. 2022): second-order exponential integrator in log-SNR.", _ => new DpmSolver2());
        r.Register("edm", "EDM sampler (Karras et al. 2022 Alg. 2): Heun in sigma with optional churn.",
            p => new EdmHeun(new Churn(p["s_churn"], p["s_tmin"], p["s_tmax"], p["s_noise"])),
            ParameterSpec.Real("s_churn", 0, "total churn (0: deterministic)"), ParameterSpec.Real("s_tmin", 0, "lowest churned sigma"),
            ParameterSpec.Real("s_tmax", double.PositiveInfinity, "highest churned sigma"), ParameterSpec.Real("s_noise", 1, "churn noise scale"));
        RegisterLowNfeSamplers(r);
        return r;
    }

    // The low-NFE zoo (issue 10): exponential integrators, multistep and ancestral samplers.
    private static void RegisterLowNfeSamplers(SolverRegistry r)
    {
        static SecondOrderCorrection Correction(ParameterValues p) => p.Integer("taylor") == 0 ? SecondOrderCorrection.DpmSolver : SecondOrderCorrection.Taylor;
        var lof = ParameterSpec.Integer("lower_order_final", 1, "1: lower-order final steps on grids of fewer than 10 steps (dpm_solver_pytorch); 0: never");
        var d2 = ParameterSpec.Integer("upstream_d2", 0, "third order: 1 the reference implementations' D2 (second-order consistent, docs/errata.md), 0 the Taylor-consistent D2");
        var taylor = ParameterSpec.Integer("taylor", 0, "order-2 weight: 0 the paper's phi1/2 (dpmsolver, midpoint), 1 the Taylor phi2 (taylor, heun)");
        r.Register("dpm_solver_multistep", "Multistep DPM-Solver, noise prediction, order 1-3 (Lu et al. 2022b App. B). [order 3, 1 NFE/step]",
            p => new DpmSolverMultistep("dpm_solver_multistep", p.Integer("order"), ModelPrediction.Noise, Correction(p), p.Integer("lower_order_final") != 0, 0, p.Integer("upstream_d2") != 0),
            ParameterSpec.Integer("order", 3, "order 1-3"), lof, taylor, d2);
        r.Register("dpm_solver_singlestep", "Singlestep DPM-Solver-k, noise prediction, k = 1-3 (Lu et al. 2022 Alg. 1-2). [order 3, 3 NFE/step]",
            p => new DpmSolverSinglestep("dpm_solver_singlestep", p.Integer("order"), ModelPrediction.Noise),
            ParameterSpec.Integer("order", 3, "order 1-3 (NFE per step)"));
        r.Register("dpmpp_2s", "DPM-Solver++(2S): singlestep, data prediction (Lu et al. 2022b Alg. 1). [order 2, 2 NFE/step]",
            _ => new DpmSolverSinglestep("dpmpp_2s", 2, ModelPrediction.Data));
        r.Register("dpmpp_3s", "DPM-Solver++(3S): singlestep third order, data prediction (Lu et al. 2022b App. B). [order 3, 3 NFE/step]",
            _ => new DpmSolverSinglestep("dpmpp_3s", 3, ModelPrediction.Data));
        r.Register("dpmpp_2m", "DPM-Solver++(2M): multistep, data prediction (Lu et al. 2022b Alg. 2). [order 2, 1 NFE/step]",
            p => new DpmSolverMultistep("dpmpp_2m", 2, ModelPrediction.Data, Correction(p), p.Integer("lower_order_final") != 0), lof, taylor);
        r.Register("dpmpp_3m", "DPM-Solver++(3M): multistep third order, data prediction (Lu et al. 2022b App. B). [order 3, 1 NFE/step]",
            p => new DpmSolverMultistep("dpmpp_3m", 3, ModelPrediction.Data, Correction(p), p.Integer("lower_order_final") != 0, 0, p.Integer("upstream_d2") != 0), lof, taylor, d2);
        r.Register("dpmpp_2m_sde", "DPM-Solver++(2M) SDE with eta (Lu et al. 2022b; k-diffusion sample_dpmpp_2m_sde, midpoint). [stochastic, weak order 2, 1 NFE/step]",
            p => new DpmSolverMultistep("dpmpp_2m_sde", 2, ModelPrediction.Data, Correction(p), p.Integer("lower_order_final") != 0, p["eta"]),
            ParameterSpec.Real("eta", 1, "SDE stochasticity (> 0)"), lof, taylor);
        r.Register("dpmpp_3m_sde", "DPM-Solver++(3M) SDE with eta (k-diffusion sample_dpmpp_3m_sde). [stochastic, weak order 2, 1 NFE/step]",
            p => new DpmSolverMultistep("dpmpp_3m_sde", 3, ModelPrediction.Data, SecondOrderCorrection.Taylor, p.Integer("lower_order_final") != 0, p["eta"], p.Integer("upstream_d2") != 0),
            ParameterSpec.Real("eta", 1, "SDE stochasticity (> 0)"), lof, d2);
        foreach (var (name, variant) in new[] { ("unipc_bh1", UniPcVariant.Bh1), ("unipc_bh2", UniPcVariant.Bh2) })
            r.Register(name, $"UniPC with B(h) {variant.ToString().ToLowerInvariant()}: UniP-p predictor + UniC corrector, data prediction (Zhao et al. 2023). [order 2, 4 with lower_order_final = 0; 1 NFE/step]",
                p => new UniPc(name, p.Integer("order"), variant, p.Integer("noise_prediction") != 0 ? ModelPrediction.Noise : ModelPrediction.Data, p.Integer("lower_order_final") != 0),
                ParameterSpec.Integer("order", 3, "predictor order 1-3"), ParameterSpec.Integer("noise_prediction", 0, "1: noise prediction (UniPC's Alg. 3)"),
                ParameterSpec.Integer("lower_order_final", 1, "1: order min(p, n - i) in step i (uni_pc.py)"));
        r.Register("deis", "tAB-DEIS (Zhang & Chen 2022): exponential integrator with eps extrapolated in t, order 1-3. [order 3, 1 NFE/step]",
            p => p.Integer("log_rho") != 0 ? new DeisLogRho(p.Integer("order")) : new DeisTimeAdamsBashforth(p.Integer("order")),
            ParameterSpec.Integer("order", 3, "order 1-3"),
            ParameterSpec.Integer("log_rho", 0, "1: log-rho DEIS of diffusers' DEISMultistepScheduler (eps interpolated in log rho, lower-order final steps) instead of tAB"));
        r.Register("ipndm", "iPNDM (Zhang & Chen 2022): constant-step Adams-Bashforth-4 on eps in sigma with lower-order warm-up. [order 2, 1 NFE/step]",
            p => new ImprovedPndm(p.Integer("order")), ParameterSpec.Integer("order", 4, "Adams-Bashforth order 1-4"));
        r.Register("restart", "Restart sampling (Xu et al. 2023 Alg. 1): EDM Heun, K forward jumps sigma_min -> sigma_max each followed by Heun back. [stochastic, order 2, 2 NFE/step]",
            p => new RestartSampler(p["sigma_min"], p["sigma_max"], p.Integer("restarts"), p.Integer("restart_steps")),
            ParameterSpec.Real("sigma_min", 0.06, "sigma/alpha at or below which the restart interval starts (first such grid time)"),
            ParameterSpec.Real("sigma_max", 0.3, "sigma/alpha at the top of the restart interval"),
            ParameterSpec.Integer("restarts", 2, "number of restarts K (0: the EDM Heun sampler)"),
            ParameterSpec.Integer("restart_steps", 5, "Heun steps per restart interval (2 NFE each)"));
        r.Register("pndm", "PNDM (Liu et al. 2022 Alg. 1): 3 pseudo Runge-Kutta steps (4 NFE each), then the pseudo linear multistep with the DDIM transfer. [order 2, 1 NFE/step]",
            _ => new Pndm());
        r.Register("dpm_solver_adaptive", "Adaptive DPM-Solver-12/23 (Lu et al. 2022 Alg. 4/5): lower/higher-order pair in lambda, step control theta h E^(-1/k); rtol/atol from the solve options. [order 3, 3 NFE/step]",
            p => new AdaptiveDpmSolver(p.Integer("order"), p.Integer("data_prediction") != 0 ? ModelPrediction.Data : ModelPrediction.Noise, p["h_init"], p["theta"], p["t_err"], p.Integer("float32_step") != 0),
            ParameterSpec.Integer("order", 3, "2 (DPM-Solver-12) or 3 (DPM-Solver-23)"), ParameterSpec.Integer("data_prediction", 0, "1: DPM-Solver++ updates"),
            ParameterSpec.Real("h_init", 0.05, "first step in lambda"), ParameterSpec.Real("theta", 0.9, "safety factor"),
            ParameterSpec.Real("t_err", 1e-5, "stop when |t - t_end| <= t_err"),
            ParameterSpec.Integer("float32_step", 0, "1: round E^(-1/k) to float32 as dpm_solver_pytorch does"));
        r.Register("lms", "Linear multistep in sigma (k-diffusion lms), Lagrange basis integrated over each step. [order 4, 1 NFE/step]",
            p => new LinearMultistep(p.Integer("order")), ParameterSpec.Integer("order", 4, "order 1-4"));
        r.Register("euler_ancestral", "Euler ancestral in sigma with eta (k-diffusion). [stochastic, weak order 1, 1 NFE/step]",
            p => new EulerAncestral(p["eta"], p["s_noise"]), ParameterSpec.Real("eta", 1, "ancestral noise (0: Euler in sigma)"), ParameterSpec.Real("s_noise", 1, "noise scale"));
        r.Register("dpm_2_ancestral", "DPM-2 ancestral in sigma with eta (k-diffusion). [stochastic, weak order 2, 2 NFE/step]",
            p => new Dpm2Ancestral(p["eta"], p["s_noise"]), ParameterSpec.Real("eta", 1, "ancestral noise (0: dpm_2)"), ParameterSpec.Real("s_noise", 1, "noise scale"));
        r.Register("dpmpp_2s_ancestral", "DPM-Solver++(2S) ancestral with eta (k-diffusion). [stochastic, weak order 2, 2 NFE/step]",
            p => new DpmSolverPlusPlus2SAncestral(p["eta"], p["s_noise"]), ParameterSpec.Real("eta", 1, "ancestral noise (0: DPM-Solver++(2S) in sigma)"), ParameterSpec.Real("s_noise", 1, "noise scale"));
    }
}

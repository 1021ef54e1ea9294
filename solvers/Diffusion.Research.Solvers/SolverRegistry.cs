using System.Globalization;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Solvers by name: an instance (not a global), filled by <see cref="CreateDefault"/> with the whole zoo.
/// Registering a solver is one call to <see cref="Register"/>. <see cref="Create"/> fills in the documented
/// defaults and rejects unknown parameters with the list of valid ones.
/// </summary>
public sealed class SolverRegistry
{
    private readonly Dictionary<string, SolverRegistration> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    /// <summary>Names in registration order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>True when <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => name is not null && _entries.ContainsKey(name);

    /// <summary>Adds a solver; throws when the name is taken or a parameter is listed twice.</summary>
    public SolverRegistry Register(string name, string description, Func<IReadOnlyDictionary<string, double>, ISolver> factory, params SolverParameter[] parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(parameters);
        if (_entries.ContainsKey(name)) throw new ArgumentException($"Solver '{name}' is already registered.", nameof(name));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in parameters)
            if (!seen.Add(p.Name)) throw new ArgumentException($"Solver '{name}' lists parameter '{p.Name}' twice.", nameof(parameters));
        _entries[name] = new SolverRegistration(name, description, parameters, factory);
        _names.Add(name);
        return this;
    }

    /// <summary>The entry for <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> listing the known names.</summary>
    public SolverRegistration Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_entries.TryGetValue(name, out var entry)) return entry;
        throw new KeyNotFoundException($"Unknown solver '{name}'. Known solvers: {string.Join(", ", _names)}.");
    }

    /// <summary>One line: the description and the parameters with their defaults.</summary>
    public string Describe(string name)
    {
        var entry = Get(name);
        if (entry.Parameters.Count == 0) return $"{entry.Name}: {entry.Description}";
        var ps = string.Join(", ", entry.Parameters.Select(p => $"{p.Name}={p.Default.ToString(CultureInfo.InvariantCulture)} ({p.Description})"));
        return $"{entry.Name}: {entry.Description} Parameters: {ps}.";
    }

    /// <summary>Builds solver <paramref name="name"/>; absent parameters take their defaults, unknown ones throw.</summary>
    public ISolver Create(string name, IReadOnlyDictionary<string, double>? parameters = null)
    {
        var entry = Get(name);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in entry.Parameters) values[p.Name] = p.Default;
        if (parameters is not null)
        {
            foreach (var (key, value) in parameters)
            {
                if (!values.ContainsKey(key))
                {
                    var valid = entry.Parameters.Count == 0 ? "it takes no parameters" : "valid: " + string.Join(", ", entry.Parameters.Select(p => p.Name));
                    throw new ArgumentException($"Solver '{name}' has no parameter '{key}' ({valid}).", nameof(parameters));
                }
                if (double.IsNaN(value))
                    throw new ArgumentOutOfRangeException(nameof(parameters), value, $"Parameter '{key}' of solver '{name}' is NaN.");
                values[key] = value;
            }
        }
        return entry.Factory(values);
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
            new SolverParameter("safety", 0.9, "step-size safety factor"));
        r.Register("euler_maruyama", "Euler-Maruyama (SDE; weak order 1, strong 1/2, 1 for additive noise).", _ => new EulerMaruyama());
        r.Register("stochastic_heun", "Stochastic Heun for additive noise (weak order 2, strong 1).", _ => new StochasticHeun());
        r.Register("ggf", "Adaptive SDE solver of Jolicoeur-Martineau et al. 2021 (uses rtol/atol of the options).",
            p => new GottaGoFast(PiController.JolicoeurMartineau.WithSafety(p["safety"]).WithExponents(p["exponent"], 0)),
            new SolverParameter("safety", 0.9, "theta in h <- theta h E^-r"), new SolverParameter("exponent", 0.9, "r in h <- theta h E^-r"));
        r.Register("pc", "Predictor-corrector: reverse-diffusion predictor + Langevin corrector (Song et al. 2021 Alg. 1-5).",
            p => new PredictorCorrector(PredictorKind.ReverseDiffusion, Integer(p, "corrector_steps"), p["snr"]),
            new SolverParameter("snr", 0.16, "corrector signal-to-noise ratio r"), new SolverParameter("corrector_steps", 1, "Langevin updates per step"));
        r.Register("pc_em", "Predictor-corrector: Euler-Maruyama predictor + Langevin corrector.",
            p => new PredictorCorrector(PredictorKind.EulerMaruyama, Integer(p, "corrector_steps"), p["snr"]),
            new SolverParameter("snr", 0.16, "corrector signal-to-noise ratio r"), new SolverParameter("corrector_steps", 1, "Langevin updates per step"));
        r.Register("ald", "Annealed Langevin dynamics (NCSN; Song & Ermon 2019): levels = grid times, step eps sigma_i^2/sigma_min^2.",
            p => new AnnealedLangevin(p["eps"], Integer(p, "steps_per_level")),
            new SolverParameter("eps", 2e-5, "step at the smallest level"), new SolverParameter("steps_per_level", 100, "Langevin updates per level M"));
        r.Register("ddpm", "Ancestral sampling from the kernel posterior (DDPM for VP, SMLD ancestral for VE).",
            p => new DdpmAncestral(p["variance_weight"]),
            new SolverParameter("variance_weight", 0, "0: posterior variance (beta tilde), 1: beta"));
        r.Register("ddim", "DDIM (Song, Meng, Ermon 2021); eta = 0 deterministic, eta = 1 ancestral.",
            p => new Ddim(p["eta"]),
            new SolverParameter("eta", 0, "stochasticity in [0, 1]"));
        r.Register("dpm_solver_2", "DPM-Solver-2 (Lu et al. 2022): second-order exponential integrator in log-SNR.", _ => new DpmSolver2());
        r.Register("edm", "EDM sampler (Karras et al. 2022 Alg. 2): Heun in sigma with optional churn.",
            p => new EdmHeun(new Churn(p["s_churn"], p["s_tmin"], p["s_tmax"], p["s_noise"])),
            new SolverParameter("s_churn", 0, "total churn (0: deterministic)"), new SolverParameter("s_tmin", 0, "lowest churned sigma"),
            new SolverParameter("s_tmax", double.PositiveInfinity, "highest churned sigma"), new SolverParameter("s_noise", 1, "churn noise scale"));
        return r;
    }

    private static int Integer(IReadOnlyDictionary<string, double> parameters, string key)
    {
        var value = parameters[key];
        if (value != Math.Floor(value) || value < 0 || value > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(parameters), value, $"Parameter '{key}' must be a non-negative integer.");
        return (int)value;
    }
}

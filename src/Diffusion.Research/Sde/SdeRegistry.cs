namespace Diffusion.Research.Sde;

/// <summary>
/// Forward SDEs by name, for the YAML layer: name → one-line description → factory from parameters
/// (IReadOnlyDictionary&lt;string, double&gt;; missing keys take the documented defaults, unknown keys throw).
/// An instance, not a global: <see cref="CreateDefault"/> returns a new registry with the built-in SDEs.
/// </summary>
public sealed class SdeRegistry
{
    private readonly Dictionary<string, SdeRegistration> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _names = new();

    /// <summary>The built-in SDEs: ve, vp, vp-cosine, subvp, flow-matching, ou.</summary>
    public static SdeRegistry CreateDefault()
    {
        var r = new SdeRegistry();
        r.Register("ve", "Variance exploding, geometric sigma(t) = sigma_min (sigma_max/sigma_min)^t on [0, 1], exact kernel, prior N(0, sigma_max^2 I)",
            new Dictionary<string, double> { ["sigma_min"] = 0.01, ["sigma_max"] = 10.0 },
            p => new VeSde(p["sigma_min"], p["sigma_max"]));
        r.Register("vp", "Variance preserving, linear beta(t) = beta_min + t (beta_max - beta_min) on [0, 1], prior N(0, I)",
            new Dictionary<string, double> { ["beta_min"] = 0.1, ["beta_max"] = 20.0 },
            p => VpSde.Linear(p["beta_min"], p["beta_max"]));
        r.Register("vp-cosine", "Variance preserving, cosine schedule of Nichol & Dhariwal (offset s, beta clipped at beta_max) on [0, 1], prior N(0, I)",
            new Dictionary<string, double> { ["s"] = 0.008, ["beta_max"] = 999.0 },
            p => VpSde.Cosine(p["s"], p["beta_max"]));
        r.Register("subvp", "Sub-VP (Song et al. 2021), linear beta, sigma_t = 1 - exp(-B(t)) on [0, 1], prior N(0, I)",
            new Dictionary<string, double> { ["beta_min"] = 0.1, ["beta_max"] = 20.0 },
            p => SubVpSde.Linear(p["beta_min"], p["beta_max"]));
        r.Register("flow-matching", "Rectified-flow kernel alpha = 1 - t, sigma = t as a linear SDE on [0, T], T < 1, prior N(0, T^2 I)",
            new Dictionary<string, double> { ["T"] = 0.999 },
            p => AffineSde.FlowMatching(p["T"]));
        r.Register("ou", "Ornstein-Uhlenbeck dx = -theta x dt + s dW on [0, T], prior N(0, s^2/(2 theta) I)",
            new Dictionary<string, double> { ["theta"] = 0.5, ["s"] = 1.0, ["T"] = 10.0 },
            p => new OrnsteinUhlenbeckSde(p["theta"], p["s"], p["T"]));
        return r;
    }

    /// <summary>Registered names in registration order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Adds an SDE; throws if the name is taken.</summary>
    public void Register(string name, string description, IReadOnlyDictionary<string, double> defaults,
        Func<IReadOnlyDictionary<string, double>, ISde> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(factory);
        if (_entries.ContainsKey(name))
            throw new ArgumentException($"An SDE named '{name}' is already registered.", nameof(name));
        _entries[name] = new SdeRegistration(name, description, new Dictionary<string, double>(defaults), factory);
        _names.Add(name);
    }

    /// <summary>True when <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => name is not null && _entries.ContainsKey(name);

    /// <summary>The registration of <paramref name="name"/>.</summary>
    public SdeRegistration Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_entries.TryGetValue(name, out var entry))
            throw new ArgumentException($"Unknown SDE '{name}'. Known: {string.Join(", ", _names)}.", nameof(name));
        return entry;
    }

    /// <summary>The one-line description of <paramref name="name"/>.</summary>
    public string Describe(string name) => Get(name).Description;

    /// <summary>Builds <paramref name="name"/> with the defaults overridden by <paramref name="parameters"/> (null: all defaults).</summary>
    public ISde Create(string name, IReadOnlyDictionary<string, double>? parameters = null)
    {
        var entry = Get(name);
        var merged = new Dictionary<string, double>(entry.Defaults, StringComparer.Ordinal);
        if (parameters is not null)
        {
            foreach (var (key, value) in parameters)
            {
                if (!entry.Defaults.ContainsKey(key))
                    throw new ArgumentException(
                        $"SDE '{name}' has no parameter '{key}'. Valid: {string.Join(", ", entry.Defaults.Keys)}.", nameof(parameters));
                if (!double.IsFinite(value))
                    throw new ArgumentException($"Parameter '{key}' of SDE '{name}' is {value}.", nameof(parameters));
                merged[key] = value;
            }
        }
        return entry.Factory(merged);
    }
}

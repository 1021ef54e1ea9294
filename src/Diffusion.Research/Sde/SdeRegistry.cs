using Diffusion.Research.Registries;

namespace Diffusion.Research.Sde;

/// <summary>
/// Forward SDEs by name (the values of <c>sde.kind</c>): a <see cref="ParameterRegistry{T}"/>, the framework's one
/// registry shape. <see cref="CreateDefault"/> returns a new registry with the built-in SDEs.
/// </summary>
public sealed class SdeRegistry : ParameterRegistry<ISde>
{
    /// <summary>An empty registry.</summary>
    public SdeRegistry()
        : base("SDE")
    {
    }

    /// <summary>The built-in SDEs: ve, vp, vp-cosine, subvp, flow-matching, ou.</summary>
    public static SdeRegistry CreateDefault()
    {
        var r = new SdeRegistry();
        r.Register("ve", "Variance exploding, geometric sigma(t) = sigma_min (sigma_max/sigma_min)^t on [0, 1], exact kernel, prior N(0, sigma_max^2 I)",
            p => new VeSde(p["sigma_min"], p["sigma_max"]),
            ParameterSpec.Real("sigma_min", 0.01, "sigma at t = 0"), ParameterSpec.Real("sigma_max", 10.0, "sigma at t = 1"));
        r.Register("vp", "Variance preserving, linear beta(t) = beta_min + t (beta_max - beta_min) on [0, 1], prior N(0, I)",
            p => VpSde.Linear(p["beta_min"], p["beta_max"]),
            ParameterSpec.Real("beta_min", 0.1, "beta at t = 0"), ParameterSpec.Real("beta_max", 20.0, "beta at t = 1"));
        r.Register("vp-cosine", "Variance preserving, cosine schedule of Nichol & Dhariwal (offset s, beta clipped at beta_max) on [0, 1], prior N(0, I)",
            p => VpSde.Cosine(p["s"], p["beta_max"]),
            ParameterSpec.Real("s", 0.008, "offset s"), ParameterSpec.Real("beta_max", 999.0, "clip of beta(t)"));
        r.Register("subvp", "Sub-VP (Song et al. 2021), linear beta, sigma_t = 1 - exp(-B(t)) on [0, 1], prior N(0, I)",
            p => SubVpSde.Linear(p["beta_min"], p["beta_max"]),
            ParameterSpec.Real("beta_min", 0.1, "beta at t = 0"), ParameterSpec.Real("beta_max", 20.0, "beta at t = 1"));
        r.Register("flow-matching", "Rectified-flow kernel alpha = 1 - t, sigma = t as a linear SDE on [0, T], T < 1, prior N(0, T^2 I)",
            p => AffineSde.FlowMatching(p["T"]),
            ParameterSpec.Real("T", 0.999, "end time, below 1"));
        r.Register("ou", "Ornstein-Uhlenbeck dx = -theta x dt + s dW on [0, T], prior N(0, s^2/(2 theta) I)",
            p => new OrnsteinUhlenbeckSde(p["theta"], p["s"], p["T"]),
            ParameterSpec.Real("theta", 0.5, "mean-reversion rate"), ParameterSpec.Real("s", 1.0, "diffusion coefficient"), ParameterSpec.Real("T", 10.0, "end time"));
        return r;
    }
}

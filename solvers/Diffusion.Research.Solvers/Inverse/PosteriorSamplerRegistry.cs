using Diffusion.Research.Conditional;
using Diffusion.Research.Registries;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Solvers;

/// <summary>
/// Posterior samplers for a linear-Gaussian measurement by name (the framework's one registry shape): each entry builds an
/// <see cref="ISolver"/> from a <see cref="PosteriorSamplerContext"/> (the measurement, the inner solver of the zoo and the
/// method's parameters, bound against the entry's schema).
/// </summary>
public sealed class PosteriorSamplerRegistry : Registry<PosteriorSamplerContext, ISolver>
{
    /// <summary>An empty registry.</summary>
    public PosteriorSamplerRegistry()
        : base("measurement method")
    {
    }

    /// <summary>replacement, repaint and dps.</summary>
    public static PosteriorSamplerRegistry CreateDefault()
    {
        var r = new PosteriorSamplerRegistry();
        r.Add("replacement", "Inpainting by replacement of the observed coordinates (Song et al. 2021 App. I.2).",
            c => new ReplacementSampler(c.Measurement, c.Inner));
        r.Add("repaint", "RePaint (Lugmayr et al. 2022 Alg. 1, jump length 1) with U resamplings per step.",
            c => new RePaintSampler(c.Measurement, c.Inner, c.Parameters.Integer("resamplings")),
            ParameterSpec.Integer("resamplings", 10, "U: forward-backward passes per step"));
        r.Add("dps", "Diffusion posterior sampling (Chung et al. 2023 Alg. 1).",
            c => new DiffusionPosteriorSampling(c.Measurement, c.Inner, c.Parameters["zeta"], StepRule(c.Parameters.Integer("step_rule"))),
            ParameterSpec.Real("zeta", 1.0, "step size ζ"),
            ParameterSpec.Integer("step_rule", 1, "0: ζ_i = ζ (Alg. 1); 1: ζ / ‖y − A x̂_0‖ (Chung et al.'s experiments); 2: ζ (1+l²) g² |dt| / (4 s²) (Gaussian likelihood)"));
        return r;
    }

    private static DpsStepRule StepRule(int value) => value is >= 0 and <= 2
        ? (DpsStepRule)value
        : throw new ParameterException("step_rule", $"step_rule must be 0 (constant), 1 (normalised) or 2 (likelihood), got {value}.");

    /// <summary>Builds <paramref name="name"/> for the measurement and inner solver, binding <paramref name="parameters"/> (null: defaults).</summary>
    public ISolver Create(string name, LinearMeasurement measurement, ISolver inner, IReadOnlyDictionary<string, double>? parameters)
    {
        var entry = Entry(name);
        return entry.Factory(new PosteriorSamplerContext(measurement, inner,
            ParameterValues.BindScalars($"{Kind} '{name}'", entry.Parameters, parameters)));
    }
}

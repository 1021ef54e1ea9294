using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Sde;

/// <summary>Every built-in linear SDE with a closed-form kernel, for theory-driven tests.</summary>
public static class BuiltInSdes
{
    public static IEnumerable<object[]> Names() => All().Select(p => new object[] { p.Key });

    public static ILinearSde Get(string name) => All()[name];

    public static Dictionary<string, ILinearSde> All() => new()
    {
        ["ve"] = new VeSde(0.01, 10),
        ["ve-wide"] = new VeSde(0.002, 80),
        ["vp"] = VpSde.Linear(),
        ["vp-cosine"] = VpSde.Cosine(),
        ["vp-cosine-unclipped-range"] = VpSde.Cosine(0.008, 50),
        ["subvp"] = SubVpSde.Linear(),
        ["flow-matching"] = AffineSde.FlowMatching(0.999),
        ["ou"] = new OrnsteinUhlenbeckSde(0.7, 1.3, 5),
        // an affine kernel without analytic derivatives (finite differences inside AffineSde)
        ["affine-fd"] = new AffineSde(t => Math.Exp(-t * t), t => Math.Sin(t) * (1 + 0.5 * t), 1.5),
    };
}

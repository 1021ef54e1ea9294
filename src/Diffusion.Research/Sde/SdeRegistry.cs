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

    /// <summary>The built-in SDEs: ve, vp, vp-cosine, vp-discrete-linear, vp-discrete-scaled-linear, vp-discrete-cosine, subvp, flow-matching, ou.</summary>
    public static SdeRegistry CreateDefault()
    {
        var r = new SdeRegistry(); // each SDE registers itself from a static member in its own file
        VeSde.Register(r);
        VpSde.Register(r); // vp, vp-cosine, vp-discrete-linear, vp-discrete-scaled-linear, vp-discrete-cosine
        SubVpSde.Register(r);
        AffineSde.Register(r); // flow-matching
        OrnsteinUhlenbeckSde.Register(r); // ou
        return r;
    }
}

namespace Diffusion.Research.Nn.Losses;

/// <summary>Distribution of the Hutchinson probes u (E[u] = 0, E[u uᵀ] = I; 003 "Hutchinson identity";
/// Song, Garg, Shi and Ermon 2019; Hutchinson 1989).</summary>
public enum ProbeKind
{
    /// <summary>Independent ±1 entries (the lowest-variance choice for the trace; 002 Hutchinson–Skilling; Hutchinson 1989;
    /// Grathwohl et al. 2019).</summary>
    Rademacher,
    /// <summary>Independent standard normal entries.</summary>
    Gaussian,
}

namespace Diffusion.Research.Scores;

/// <summary>How <see cref="PerturbedScore"/> scales its error field.</summary>
public enum PerturbationKind
{
    /// <summary>e(x, t) = ε·u(x, t): root-mean-square size ε.</summary>
    Absolute,

    /// <summary>e(x, t) = ε·‖s(x, t)‖·u(x, t): root-mean-square size ε relative to the exact score at each point.</summary>
    Relative,
}

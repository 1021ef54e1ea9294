namespace Diffusion.Research.Solvers;

/// <summary>
/// The stochastic "churn" of Karras et al. 2022 (Alg. 2, lines 4–6): before step i the noise level is raised
/// from σ_i to σ̂ = σ_i (1 + γ_i) by adding fresh noise of variance σ̂² − σ_i² (scaled by S_noise), with
/// γ_i = min(S_churn/n, √2 − 1) when σ_i ∈ [S_tmin, S_tmax] and 0 otherwise. Written once, used by
/// <see cref="EdmHeun"/> (and by any EDM-style sampler that needs it).
/// </summary>
/// <param name="SChurn">Total churn S_churn (0: deterministic).</param>
/// <param name="STMin">Lowest σ that is churned.</param>
/// <param name="STMax">Highest σ that is churned.</param>
/// <param name="SNoise">Scale of the added noise (slightly above 1 in the paper's tuned settings).</param>
public sealed record Churn(double SChurn = 0, double STMin = 0, double STMax = double.PositiveInfinity, double SNoise = 1)
{
    /// <summary>No churn: the deterministic sampler (Karras Alg. 1).</summary>
    public static Churn None { get; } = new();

    /// <summary>True when no noise is ever added.</summary>
    public bool IsDeterministic => SChurn == 0;

    /// <summary>γ_i for noise level <paramref name="sigma"/> on a grid of <paramref name="steps"/> steps (Karras Alg. 2 line 4).</summary>
    public double Gamma(double sigma, int steps) =>
        SChurn > 0 && sigma >= STMin && sigma <= STMax ? Math.Min(SChurn / steps, Math.Sqrt(2) - 1) : 0.0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for negative churn or noise scale, or S_tmin &gt; S_tmax.</summary>
    public void Validate()
    {
        if (!(SChurn >= 0) || !double.IsFinite(SChurn)) throw new ArgumentOutOfRangeException(nameof(SChurn), SChurn, "S_churn must be finite and >= 0.");
        if (!(STMin >= 0)) throw new ArgumentOutOfRangeException(nameof(STMin), STMin, "S_tmin must be >= 0.");
        if (!(STMax >= STMin)) throw new ArgumentOutOfRangeException(nameof(STMax), STMax, "S_tmax must be >= S_tmin.");
        if (!(SNoise >= 0) || !double.IsFinite(SNoise)) throw new ArgumentOutOfRangeException(nameof(SNoise), SNoise, "S_noise must be finite and >= 0.");
    }
}

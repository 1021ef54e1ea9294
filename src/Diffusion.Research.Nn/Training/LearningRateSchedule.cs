namespace Diffusion.Research.Nn.Training;

/// <summary>
/// Linear warm-up over <see cref="WarmupSteps"/> steps, then (optionally) cosine decay to
/// <see cref="MinimumRate"/> at <see cref="TotalSteps"/>: η_k = η_min + (η − η_min) · ½(1 + cos(π p)), p = progress after warm-up.
/// </summary>
public sealed record LearningRateSchedule(double BaseRate, int WarmupSteps, int TotalSteps, bool Cosine, double MinimumRate = 0.0)
{
    /// <summary>The rate of step <paramref name="step"/> (0-based).</summary>
    public double Rate(int step)
    {
        if (WarmupSteps > 0 && step < WarmupSteps) return BaseRate * (step + 1) / WarmupSteps;
        if (!Cosine) return BaseRate;
        var span = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Clamp((double)(step - WarmupSteps) / span, 0.0, 1.0);
        return MinimumRate + (BaseRate - MinimumRate) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
    }

    /// <summary>Throws for unusable values.</summary>
    public void Validate()
    {
        if (!(BaseRate > 0) || !double.IsFinite(BaseRate)) throw new ArgumentOutOfRangeException(nameof(BaseRate), BaseRate, "The learning rate must be positive.");
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupSteps, nameof(WarmupSteps));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TotalSteps, nameof(TotalSteps));
        if (!(MinimumRate >= 0) || MinimumRate > BaseRate) throw new ArgumentOutOfRangeException(nameof(MinimumRate), MinimumRate, "Need 0 <= minimum rate <= base rate.");
    }
}

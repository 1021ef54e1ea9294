// TEMPORARY stand-in for the `sde` branch's Prediction enum (same name, namespace and members), so this
// branch builds before `git merge sde`. Delete this file when merging sde.
namespace Diffusion.Research.Scores;

/// <summary>What a network predicts: the score, the noise ε, the clean data x₀, or the velocity v = α ε − σ x₀.</summary>
public enum Prediction
{
    /// <summary>∇ log p_t.</summary>
    Score,
    /// <summary>ε.</summary>
    Epsilon,
    /// <summary>x₀.</summary>
    Data,
    /// <summary>v = α ε − σ x₀.</summary>
    Velocity,
}

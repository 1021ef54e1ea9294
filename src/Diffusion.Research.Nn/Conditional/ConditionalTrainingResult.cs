namespace Diffusion.Research.Nn.Conditional;

/// <summary>What a <see cref="ConditionalScoreModelTrainer"/> run reports: the mean loss of its last 10% of steps, and how many of its
/// <paramref name="Labels"/> training labels label dropout replaced by the null class (<paramref name="Dropped"/> / Labels ≈ p_uncond).</summary>
public sealed record ConditionalTrainingResult(double TailLoss, long Dropped, long Labels);

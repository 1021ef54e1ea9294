namespace Diffusion.Research.Nn.Training;

/// <summary>A progress report: the step just finished (1-based), the total, its loss, the learning rate and the gradient norm before clipping.</summary>
public sealed record TrainingProgress(int Step, int Steps, double Loss, double LearningRate, double GradientNorm);

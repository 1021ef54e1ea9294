namespace Diffusion.Research.Nn.Training;

/// <summary>What an optimiser factory builds from: the options (betas, momentum, weight decay) and the parameters it updates.</summary>
public sealed record OptimizerContext(TrainingOptions Options, IReadOnlyList<Parameter> Parameters);

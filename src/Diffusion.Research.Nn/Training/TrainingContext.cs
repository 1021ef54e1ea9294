using Diffusion.Research.Kernels;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Nn.Training;

/// <summary>What registry factories build from: the options, the forward SDE and its kernel.</summary>
public sealed record TrainingContext(TrainingOptions Options, ISde Sde, IKernel Kernel);

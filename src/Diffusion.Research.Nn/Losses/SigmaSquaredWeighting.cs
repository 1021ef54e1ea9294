using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Training;

namespace Diffusion.Research.Nn.Losses;

/// <summary>λ(t) = σ_t²: DSM in score space becomes the ε-regression ‖ε_θ − ε‖² (000 "DSM", λ(σ) = σ² in the NCSN sum; 001
/// eq 41; Vincent 2011; Song and Ermon 2019, §4.2).</summary>
public sealed class SigmaSquaredWeighting(IKernel kernel) : ILossWeighting
{
    private readonly IKernel _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));

    /// <inheritdoc />
    public string Name => "sigma2";

    /// <inheritdoc />
    public double Weight(double t)
    {
        var s = _kernel.Sigma(t);
        return s * s;
    }

    /// <summary>Registers the weighting sigma2 (<see cref="TrainingRegistries.CreateDefault"/>).</summary>
    internal static void Register(TrainingRegistries r) =>
        r.Weightings.Register("sigma2", "lambda(t) = sigma_t^2 (DSM = eps regression; 001 eq 41)", c => new SigmaSquaredWeighting(c.Kernel));
}

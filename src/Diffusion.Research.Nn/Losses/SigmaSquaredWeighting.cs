using Diffusion.Research.Kernels;

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
}

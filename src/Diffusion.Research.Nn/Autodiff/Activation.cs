namespace Diffusion.Research.Nn.Autodiff;

/// <summary>Pointwise nonlinearities of the networks.</summary>
public enum Activation
{
    /// <summary>x σ(x).</summary>
    Silu,
    /// <summary>tanh x.</summary>
    Tanh,
    /// <summary>log(1 + eˣ).</summary>
    Softplus,
}

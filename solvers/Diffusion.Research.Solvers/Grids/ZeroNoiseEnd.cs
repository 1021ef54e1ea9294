namespace Diffusion.Research.Solvers;

/// <summary>
/// What a multi-stage solver does on a grid that ends where σ = 0 (t = 0; the k-diffusion and EDM convention of a
/// final noise level 0). Its last stage would evaluate the score where the data density has no smoothing.
/// </summary>
public enum ZeroNoiseEnd
{
    /// <summary>Take the last step with Euler, first order (Karras et al. 2022 Alg. 1 lines 7–8; k-diffusion <c>sample_heun</c>).</summary>
    FirstOrderLastStep,

    /// <summary>Refuse the grid with an <see cref="System.ArgumentException"/>.</summary>
    Refuse,
}

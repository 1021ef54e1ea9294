namespace Diffusion.Research.Solvers;

/// <summary>The predictor of a <see cref="PredictorCorrector"/> sampler (Song et al. 2021, §4.2 and App. G).</summary>
public enum PredictorKind
{
    /// <summary>Reverse diffusion: x_s = (2 − α_{t|s}) x + σ_{t|s}² s(x, t) + σ_{t|s} z (Song et al. 2021, eq 46 / App. E).</summary>
    ReverseDiffusion,

    /// <summary>Euler–Maruyama on the reverse SDE dx = [f − g² s] dt + g dW̄ (004 §10.1; Kloeden and Platen 1992, §10.2).</summary>
    EulerMaruyama,
}

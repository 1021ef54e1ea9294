namespace Diffusion.Research.Gpu;

/// <summary>The hidden-layer activations of the device MLP scores (Diffusion.Research.Nn.Autodiff.Activation), with the
/// device exp and log.</summary>
internal static class MlpActivation
{
    /// <summary>
    /// <paramref name="activation"/> 0: SiLU v σ(v) with σ = 1/(1 + e^−v) (Elfwing et al. 2018); 1: tanh through e^{−2|v|};
    /// 2: softplus max(v, 0) + log(1 + e^{−|v|}).
    /// </summary>
    public static double Apply(int activation, double v, MathConstants c)
    {
        if (activation == 0) return v * (1.0 / (1.0 + DeviceMath.Exp(-v, c)));
        if (activation == 1)
        {
            var t = DeviceMath.Exp(-2.0 * Math.Abs(v), c);
            var r = (1.0 - t) / (1.0 + t);
            return v < 0 ? -r : r;
        }
        return Math.Max(v, 0.0) + DeviceMath.Log(1.0 + DeviceMath.Exp(-Math.Abs(v), c), c); // Log, not LogNormal: a NaN v must stay NaN
    }
}

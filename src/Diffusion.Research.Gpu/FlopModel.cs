namespace Diffusion.Research.Gpu;

/// <summary>
/// Floating-point operations per particle-step of the fused kernels, counted from the code as written (every +, −, ×,
/// ÷, √ and floor is one; exp and log by their instruction counts <see cref="DeviceMath.ExpFlops"/> and
/// <see cref="DeviceMath.LogFlops"/>; comparisons, integer work and Philox are not counted). A multiply and add that the
/// CUDA compiler contracts into one FMA still count as two, the usual convention for flop rates.
/// </summary>
public static class FlopModel
{
    /// <summary>
    /// The exact isotropic mixture score (<see cref="DeviceMixtureScore"/>, isotropic path) for K components in D
    /// dimensions: logits K(3D + 3), exponentials K(2 + exp) (ℓ − b and the sum), weights and precision 2K, accumulation
    /// 2KD, the reciprocal and precision·reciprocal 2, and the final mean·reciprocal − precision·x 3D. The softmax shifts by a
    /// tabulated bound, so there is no maximum to take (the rare second pass of a particle far from every component, with
    /// the largest logit as the shift, is not counted).
    /// </summary>
    public static long IsotropicMixtureScore(int components, int dimension) =>
        (long)components * (5 * dimension + 7 + DeviceMath.ExpFlops) + 3L * dimension + 2;

    /// <summary>
    /// The MLP score (<see cref="DeviceMlpScore"/>) with D inputs/outputs, E embedding features, L hidden layers of width W:
    /// dense layers 2·in·out + out, SiLU 4 + exp per unit (tanh 5 + exp, softplus 5 + exp + log), residual W per layer
    /// after the first, the score map 3D.
    /// </summary>
    public static long MlpScore(int dimension, int embedding, int width, int layers, int activation, bool residual)
    {
        long act = activation switch { 0 => 4 + DeviceMath.ExpFlops, 1 => 5 + DeviceMath.ExpFlops, _ => 5 + DeviceMath.ExpFlops + DeviceMath.LogFlops };
        long Dense(long inputs, long outputs) => 2 * inputs * outputs + outputs;
        var total = Dense(dimension + embedding, width) + width * act;
        for (var l = 1; l < layers; l++) total += Dense(width, width) + width * act + (residual ? width : 0);
        return total + Dense(width, dimension) + 3L * dimension;
    }

    /// <summary>One Euler–Maruyama step of the reverse SDE around a score of <paramref name="scoreFlops"/> flops (see
    /// <see cref="EulerMaruyamaIsotropic"/> for the step's own arithmetic).</summary>
    public static long EulerMaruyama(long scoreFlops, int dimension) =>
        scoreFlops + 3L * dimension + 2L * dimension + (long)((dimension + 1) / 2) * DevicePhilox.GaussianPairFlops + 2L * dimension;

    /// <summary>
    /// One Euler–Maruyama step of the reverse SDE (<see cref="TrajectoryKernels.EulerMaruyama{TScore}"/>) with the isotropic
    /// mixture score: score, f x + scale s (3D), the update (2D), the Gaussian pairs and their update (2D). The drift scale
    /// −(1+l²)/2 g², l g and l g √|dt| are per-step scalars that the host tabulates (8 flops a step before they were).
    /// </summary>
    public static long EulerMaruyamaIsotropic(int components, int dimension) =>
        EulerMaruyama(IsotropicMixtureScore(components, dimension), dimension);
}

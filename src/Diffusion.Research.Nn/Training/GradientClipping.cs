namespace Diffusion.Research.Nn.Training;

/// <summary>Clipping by global norm: when ‖g‖₂ over all parameters exceeds c, every gradient is scaled by c/‖g‖₂.</summary>
public static class GradientClipping
{
    /// <summary>Clips in place and returns the norm before clipping (summed in parameter order: deterministic).</summary>
    public static double ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "Must be positive.");
        var sum = 0.0;
        foreach (var p in parameters)
            sum += System.Numerics.Tensors.TensorPrimitives.SumOfSquares<double>(p.Gradient);
        var norm = Math.Sqrt(sum);
        if (norm > maxNorm)
        {
            var scale = maxNorm / norm;
            foreach (var p in parameters)
                System.Numerics.Tensors.TensorPrimitives.Multiply(p.Gradient, scale, p.Gradient);
        }
        return norm;
    }
}

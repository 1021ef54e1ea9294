using System.Buffers;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Conditional;

/// <summary>
/// The exact noisy classifier of a <see cref="LabelledMixture"/> under a kernel: ∇ log p_t(c | x) = ∇ log p_t(x | c) − ∇ log p_t(x)
/// (004 §14.2; Song et al. 2021, eq (14); Dhariwal and Nichol 2021, Bayes' rule for scores; the class prior π_c drops out of the
/// gradient), both scores exact noised-mixture
/// scores at (α_t, σ_t) (003 §4.4; Kingma et al. 2021). Scratch from <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
public sealed class ExactClassifier : IClassifier
{
    /// <summary>The exact classifier of <paramref name="data"/> noised by <paramref name="kernel"/>.</summary>
    public ExactClassifier(LabelledMixture data, IKernel kernel)
    {
        Data = data ?? throw new ArgumentNullException(nameof(data));
        Kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
    }

    /// <summary>The labelled data law.</summary>
    public LabelledMixture Data { get; }

    /// <summary>The perturbation kernel.</summary>
    public IKernel Kernel { get; }

    /// <inheritdoc />
    public int Classes => Data.Classes;

    /// <inheritdoc />
    public void LogProbabilityGradient(double t, int label, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        var alpha = Kernel.Alpha(t);
        var sigma = Kernel.Sigma(t);
        var rented = ArrayPool<double>.Shared.Rent(Math.Max(1, x.Length));
        try
        {
            var unconditional = new Batch(rented, x.Count, x.Dimension);
            Data.ClassConditional(label).NoisedScore(alpha, sigma, x, destination);
            Data.Mixture.NoisedScore(alpha, sigma, x, unconditional);
            var d = destination.Values;
            var u = unconditional.Values;
            for (var i = 0; i < d.Length; i++) d[i] -= u[i];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}

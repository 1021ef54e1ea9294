using System.Buffers;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Conditional;

/// <summary>
/// Classifier guidance as a score model: s̃(x, t) = s(x, t) + w ∇_x log p_t(c | x) (Dhariwal &amp; Nichol 2021, Alg. 1 with
/// gradient scale w; 004 §14, line "z_{t−1} = ẑ_{t−1} + σ_t² ∂ log Pr(c | z_t)/∂z_t + σ_t ε" is the DDPM step of this score
/// at w = 1; 004 §14.2 (Song et al. 2021, eq (14); Dhariwal and Nichol 2021) Bayes' rule for scores). With the exact s and
/// classifier, w = 1 gives the exact conditional score
/// ∇ log p_t(x | c), w = 0 the unconditional one, and any w the score of p_t(x) p_t(c | x)^w, whose t = 0 law is the tilted
/// law p(x | c)^w p(x)^(1−w) / Z (<see cref="TiltedLaw"/>; for t &gt; 0 the guided field is not the score of a noised
/// tilted law, so guided sampling need not land on it). Usable with every solver: it is only an <see cref="IScoreModel"/>.
/// </summary>
public sealed class ClassifierGuidedScore : IScoreModel
{
    /// <summary>Guides <paramref name="unconditional"/> towards class <paramref name="label"/> with scale <paramref name="scale"/>.</summary>
    public ClassifierGuidedScore(IScoreModel unconditional, IClassifier classifier, int label, double scale)
    {
        Unconditional = unconditional ?? throw new ArgumentNullException(nameof(unconditional));
        Classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
        if ((uint)label >= (uint)classifier.Classes)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"The class must be in [0, {classifier.Classes}).");
        if (!double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The guidance scale must be finite.");
        Label = label;
        Scale = scale;
    }

    /// <summary>The unconditional score s(x, t).</summary>
    public IScoreModel Unconditional { get; }

    /// <summary>The noisy classifier.</summary>
    public IClassifier Classifier { get; }

    /// <summary>The class c guided towards.</summary>
    public int Label { get; }

    /// <summary>The gradient scale w (1: conditional; the tilt exponent γ of the target equals w).</summary>
    public double Scale { get; }

    /// <inheritdoc />
    public void Score(double t, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        Unconditional.Score(t, x, destination);
        if (Scale == 0.0) return;
        var rented = ArrayPool<double>.Shared.Rent(Math.Max(1, x.Length));
        try
        {
            var gradient = new Batch(rented, x.Count, x.Dimension);
            Classifier.LogProbabilityGradient(t, Label, x, gradient);
            var d = destination.Values;
            var g = gradient.Values;
            for (var i = 0; i < d.Length; i++) d[i] += Scale * g[i];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}

using System.Buffers;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Conditional;

/// <summary>
/// Classifier-free guidance: s̃(x, t) = (1 + w) s(x, t | c) − w s(x, t) (Ho &amp; Salimans 2022, eq. 6, written for scores;
/// 004 §14 "classifier-free guidance"). Since s(x | c) − s(x) = ∇ log p_t(c | x) (Bayes' rule for scores, 004 §14.2), it equals
/// classifier guidance with scale 1 + w: w = 0 is the conditional score, and the t = 0 tilt exponent is γ = 1 + w.
/// Usable with every solver: it is only an <see cref="IScoreModel"/>.
/// </summary>
public sealed class ClassifierFreeGuidedScore : IScoreModel
{
    /// <summary>Combines <paramref name="conditional"/> s(x | c) and <paramref name="unconditional"/> s(x) with guidance weight <paramref name="scale"/>.</summary>
    public ClassifierFreeGuidedScore(IScoreModel conditional, IScoreModel unconditional, double scale)
    {
        Conditional = conditional ?? throw new ArgumentNullException(nameof(conditional));
        Unconditional = unconditional ?? throw new ArgumentNullException(nameof(unconditional));
        if (!double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The guidance weight must be finite.");
        Scale = scale;
    }

    /// <summary>The conditional score s(x, t | c).</summary>
    public IScoreModel Conditional { get; }

    /// <summary>The unconditional score s(x, t).</summary>
    public IScoreModel Unconditional { get; }

    /// <summary>The guidance weight w (0: conditional).</summary>
    public double Scale { get; }

    /// <inheritdoc />
    public void Score(double t, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        Conditional.Score(t, x, destination);
        if (Scale == 0.0) return;
        var rented = ArrayPool<double>.Shared.Rent(Math.Max(1, x.Length));
        try
        {
            var unconditional = new Batch(rented, x.Count, x.Dimension);
            Unconditional.Score(t, x, unconditional);
            var d = destination.Values;
            var u = unconditional.Values;
            // (1 + w) s_c − w s = s_c + w (s_c − s).
            for (var i = 0; i < d.Length; i++) d[i] += Scale * (d[i] - u[i]);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}

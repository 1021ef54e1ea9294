using System.Buffers;
using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Sde;

/// <summary>
/// The reverse-time family of a forward SDE dx = f dt + g dW with score s (001 eqs 85–87; 003 §4.1; Song et al. 2021,
/// eqs (6), (13) and eqs (5)–(6); Zhang and Chen 2023):
/// dx = [f(x, t) − (1 + l²)/2 · g(t)² · s(x, t)] dt + l · g(t) dW̄, integrated from T down to 0.
/// l = 0 is the probability-flow ODE, l = 1 Anderson's reverse SDE, l = √2 eq 87 of 001.
/// All members share the marginals p_t of the forward process when s is the exact score.
/// </summary>
public sealed class ReverseSde : IDynamics
{
    /// <summary>Builds the family member with parameter <paramref name="lambda"/> (l ≥ 0).</summary>
    public ReverseSde(ISde forward, IScoreModel score, double lambda)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(score);
        if (!(lambda >= 0) || !double.IsFinite(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The reverse-family parameter l must be finite and >= 0.");
        Forward = forward;
        ScoreModel = score;
        Lambda = lambda;
        Lanes = ReverseDriftLanes.TryCreate(this);
    }

    /// <summary>The register-level drift for a linear SDE with an exact isotropic-mixture score (same bits), or null.</summary>
    internal ReverseDriftLanes? Lanes { get; }

    /// <summary>The forward SDE.</summary>
    public ISde Forward { get; }

    /// <summary>The score model.</summary>
    public IScoreModel ScoreModel { get; }

    /// <summary>l.</summary>
    public double Lambda { get; }

    /// <inheritdoc />
    public void Drift(double t, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        if (Lanes is not null && x.Dimension == Lanes.Dimension) // else the score reports the mismatch
        {
            Lanes.Drift(t, x, destination);
            return;
        }
        var g = Forward.Diffusion(t);
        var scale = -0.5 * (1.0 + Lambda * Lambda) * g * g; // 001 eq 85 (Song et al. 2021, eq (6)): −(1+l²)/2 g² s
        var rented = ArrayPool<double>.Shared.Rent(x.Length);
        try
        {
            var score = new Batch(rented, x.Count, x.Dimension);
            ScoreModel.Score(t, x, score);
            Forward.Drift(t, x, destination);
            TensorPrimitives.MultiplyAdd(score.Values, scale, destination.Values, destination.Values);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    public double Diffusion(double t) => Lambda * Forward.Diffusion(t);
}

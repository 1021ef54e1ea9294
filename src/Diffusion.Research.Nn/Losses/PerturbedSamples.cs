using Diffusion.Research.Nn.Autodiff;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// The perturbed rows x_t = α_t x₀ + σ_t ε of a batch (003 Lemma 4.4.1; 002 "Denoising/Noise-Prediction
/// Interpretation": x_t = α_t x₀ + σ_t ξ; Kingma et al. 2021; Ho et al. 2020, eq (4)), with ε, α and σ kept as tape constants
/// for the targets.
/// </summary>
public sealed class PerturbedSamples
{
    private PerturbedSamples(Tensor x, Tensor epsilon, Tensor times, Tensor alpha, Tensor sigma, Tensor weights)
    {
        X = x;
        Epsilon = epsilon;
        Times = times;
        Alpha = alpha;
        Sigma = sigma;
        Weights = weights;
    }

    /// <summary>x_t (N x D); a variable when asked for.</summary>
    public Tensor X { get; }

    /// <summary>ε (N x D).</summary>
    public Tensor Epsilon { get; }

    /// <summary>t (N x 1).</summary>
    public Tensor Times { get; }

    /// <summary>α_t (N x 1).</summary>
    public Tensor Alpha { get; }

    /// <summary>σ_t (N x 1).</summary>
    public Tensor Sigma { get; }

    /// <summary>Row weights / N (N x 1), so Σ of weighted per-row losses is the weighted mean.</summary>
    public Tensor Weights { get; }

    /// <summary>Draws ε for every row (particle FirstParticle + i of the batch's stream) and forms x_t.</summary>
    public static PerturbedSamples Draw(Tape tape, LossBatch batch, bool variable)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(batch);
        var n = batch.Count;
        var d = batch.Data.Dimension;
        var eps = tape.Constant(n, d);
        batch.Noise.FillGaussian(batch.Stream, batch.FirstParticle, eps.AsBatch());
        var times = tape.Constant(batch.Times.AsSpan(0, n), n, 1);
        var alpha = tape.Constant(n, 1);
        var sigma = tape.Constant(n, 1);
        var weights = tape.Constant(n, 1);
        var x = variable ? tape.Variable(batch.Data) : tape.Constant(batch.Data);
        for (var i = 0; i < n; i++)
        {
            var t = batch.Times[i];
            var a = batch.Kernel.Alpha(t);
            var s = batch.Kernel.Sigma(t);
            if (!double.IsFinite(a) || !double.IsFinite(s) || s < 0)
                throw new ArgumentException($"The kernel gives alpha = {a}, sigma = {s} at t = {t}.", nameof(batch));
            alpha[i, 0] = a;
            sigma[i, 0] = s;
            weights[i, 0] = batch.Weights[i] / n;
            var row = x.Row(i);
            var e = eps.Row(i);
            for (var j = 0; j < d; j++) row[j] = a * row[j] + s * e[j];
        }
        return new PerturbedSamples(x, eps, times, alpha, sigma, weights);
    }

    /// <summary>Σᵢ (wᵢ/N) ℓᵢ for per-row losses ℓ (N x 1).</summary>
    public Tensor WeightedMean(Tape tape, Tensor perRow) => tape.Sum(tape.Multiply(perRow, Weights));
}

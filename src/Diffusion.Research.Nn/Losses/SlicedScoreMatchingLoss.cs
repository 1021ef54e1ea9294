using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;

namespace Diffusion.Research.Nn.Losses;

/// <summary>
/// Sliced score matching with K Hutchinson probes u: λ(t) (1/K) Σ_k [uₖᵀ ∇ₓs_θ uₖ + ½ (uₖᵀ s_θ)²]
/// (003 "Sliced Score Matching Objective"; Song, Garg, Shi and Ermon 2019; Hutchinson 1989; the trace identity Tr A = E[uᵀ A u] of
/// 003 "Hutchinson identity").
/// uᵀ ∇ₓs u comes from one recorded vector-Jacobian product per probe. With <see cref="VarianceReduced"/>
/// the second term is replaced by its expectation ½‖s_θ‖² (E[(uᵀs)²] = ‖s‖², same proposition).
/// </summary>
public sealed class SlicedScoreMatchingLoss : IScoreLoss
{
    /// <summary>A loss with <paramref name="probes"/> probes of kind <paramref name="kind"/>.</summary>
    public SlicedScoreMatchingLoss(int probes, ProbeKind kind, bool varianceReduced = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(probes);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown probe kind.");
        Probes = probes;
        Kind = kind;
        VarianceReduced = varianceReduced;
    }

    /// <summary>K.</summary>
    public int Probes { get; }

    /// <summary>Probe distribution.</summary>
    public ProbeKind Kind { get; }

    /// <summary>Use ½‖s‖² instead of ½(uᵀs)².</summary>
    public bool VarianceReduced { get; }

    /// <inheritdoc />
    public string Name => "ssm";

    /// <inheritdoc />
    public Tensor Loss(Tape tape, INeuralScoreModel model, LossBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        var p = PerturbedSamples.Draw(tape, batch, variable: true);
        var s = model.Score(tape, p.X, p.Times);
        var probeNoise = batch.Noise.Derive(0x55B);
        Tensor? total = null;
        for (var k = 0; k < Probes; k++)
        {
            var u = HutchinsonProbes.Draw(tape, Kind, probeNoise.Derive((ulong)k), batch.Stream, batch.FirstParticle, p.X.Rows, p.X.Columns);
            var su = tape.Multiply(s, u);
            var uJ = tape.Gradients(tape.Sum(su), [p.X], createGraph: true)[0]; // row i: uᵢᵀ ∂sᵢ/∂xᵢ
            var uJu = tape.SumColumns(tape.Multiply(uJ, u));
            var second = VarianceReduced ? tape.SumColumns(tape.Square(s)) : tape.Square(tape.SumColumns(su));
            var term = tape.Add(uJu, tape.Scale(second, 0.5));
            total = total is null ? term : tape.Add(total, term);
        }
        return p.WeightedMean(tape, tape.Scale(total!, 1.0 / Probes));
    }
}

using Diffusion.Research.Conditional;
using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Conditional;

/// <summary>
/// Trains a <see cref="ConditionalMlpScoreModel"/> jointly as conditional and unconditional model by label dropout
/// (Ho &amp; Salimans 2022, Algorithm 1: "c ← ∅ with probability p_uncond"; they found p_uncond ∈ {0.1, 0.2} best, §4.1).
/// Per step, <c>batch</c> labelled pairs (c, x₀) with c ~ π and x₀ ~ p(x | c); each label is replaced by the null class with
/// probability p_uncond; t from the time sampling, weight λ(t) · correction(t); the loss is any <see cref="IScoreLoss"/>
/// (DSM: ½ λ(t) ‖s_θ(x_t, t | c) + ε/σ_t‖², 000 "DSM"; 003 "DSM objective"; Vincent 2011) through the model with its
/// classes bound; Adam
/// at a fixed learning rate. Deterministic: step s draws every label, dropout, x₀, t and ε from Philox keys of
/// noise.Derive(s), and the tape's fixed-order reductions make the weights bit-identical for any thread count.
/// </summary>
public static class ConditionalScoreModelTrainer
{
    /// <summary>The default p_uncond (Ho &amp; Salimans 2022, §4.1).</summary>
    public const double DefaultUnconditionalProbability = 0.2;

    /// <summary>Trains <paramref name="model"/> in place; returns the mean loss of the last 10% of steps and the label-dropout count.</summary>
    public static ConditionalTrainingResult Train(ConditionalMlpScoreModel model, LabelledMixture data, IKernel kernel, IScoreLoss loss,
        ITimeSampling sampling, ILossWeighting weighting, int steps, int batch, double learningRate, double unconditionalProbability,
        int threads, NoiseSource noise)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(weighting);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "Need a positive learning rate.");
        if (!(unconditionalProbability >= 0 && unconditionalProbability <= 1)) throw new ArgumentOutOfRangeException(nameof(unconditionalProbability), unconditionalProbability, "Need 0 <= p_uncond <= 1.");
        if (model.Classes != data.Classes) throw new ArgumentException($"The model has {model.Classes} classes, the data {data.Classes}.", nameof(model));
        if (model.Dimension != data.Dimension) throw new ArgumentException($"The model has dimension {model.Dimension}, the data {data.Dimension}.", nameof(model));
        var parameters = model.Parameters;
        var optimizer = new Adam(parameters);
        var x0 = new Batch(batch, data.Dimension);
        var times = new double[batch];
        var weights = new double[batch];
        var labels = new int[batch];
        var prior = new ClassPrior(data);
        var tail = 0.0;
        var tailCount = 0;
        long dropped = 0;
        var tape = new Tape(threads);
        for (var s = 0; s < steps; s++)
        {
            var draw = noise.Derive((ulong)s);
            for (var i = 0; i < batch; i++)
            {
                var c = prior.Class(draw.Uniform(0, i, 0));
                data.ClassConditional(c).Sample(x0.Slice(i, 1), draw.Derive(1), i);
                // Label dropout (Ho & Salimans 2022, Algorithm 1 line 3): the sample keeps x₀ ~ p(x | c), so the null class
                // regresses onto the mixture Σ_c π_c p(x | c) = p(x), the unconditional score.
                labels[i] = draw.Uniform(0, i, 1) < unconditionalProbability ? model.NullClass : c;
                if (labels[i] == model.NullClass) dropped++;
                var t = sampling.Sample(draw, 3, i);
                times[i] = t;
                weights[i] = weighting.Weight(t) * sampling.Correction(t);
            }
            tape.Reset();
            var oneHot = tape.Constant(batch, data.Classes + 1);
            for (var i = 0; i < batch; i++) oneHot[i, labels[i]] = 1.0;
            var lossBatch = new LossBatch(x0, times, weights, kernel, draw.Derive(2), 0, 0);
            var value = loss.Loss(tape, model.WithClasses(oneHot), lossBatch);
            var leaves = parameters.Select(tape.Parameter).ToList();
            var gradients = tape.Gradients(value, leaves);
            for (var p = 0; p < parameters.Count; p++) gradients[p].Values.CopyTo(parameters[p].Gradient);
            optimizer.Step(parameters, learningRate);
            if (s >= steps - Math.Max(1, steps / 10))
            {
                tail += value.Scalar;
                tailCount++;
            }
        }
        return new ConditionalTrainingResult(tail / tailCount, dropped, (long)steps * batch);
    }
}

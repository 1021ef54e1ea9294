using Diffusion.Research.Conditional;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Conditional;

/// <summary>
/// A classifier on noisy inputs p_φ(c | x_t, t) = softmax(f_φ(x_t, t))_c with f_φ an <see cref="MlpNetwork"/> of D inputs (plus
/// the time embedding) and C outputs (the logits): the learned classifier of classifier guidance (004 §14; Dhariwal &amp;
/// Nichol 2021 §4, "a classifier trained on noisy images"). <see cref="LogProbabilityGradient"/> is
/// ∇_x log p_φ(c | x, t) = ∇_x [f_c − log Σ_k exp f_k] by reverse-mode autodiff on a tape of its own per call (thread-safe;
/// allocates a tape per call). Trained by <see cref="NoisyClassifierTrainer"/>.
/// </summary>
public sealed class NoisyClassifier : IClassifier
{
    /// <summary>An untrained classifier of <paramref name="classes"/> classes on <paramref name="dimension"/>-dimensional inputs.</summary>
    public NoisyClassifier(int dimension, int classes, ModelOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        Network = new MlpNetwork(dimension, classes, options);
        Classes = classes;
    }

    /// <summary>The logit network f_φ.</summary>
    public MlpNetwork Network { get; }

    /// <inheritdoc />
    public int Classes { get; }

    /// <summary>Per-row log p_φ(c | x, t) on <paramref name="tape"/> (rows x 1) for one-hot labels <paramref name="oneHot"/> (rows x C).</summary>
    public Tensor LogProbability(Tape tape, Tensor x, Tensor timeFeatures, Tensor oneHot)
    {
        ArgumentNullException.ThrowIfNull(tape);
        var logits = Network.Forward(tape, x, timeFeatures);
        // log softmax_c = f_c − log Σ_k exp f_k.
        var logNormaliser = tape.Log(tape.SumColumns(tape.Exp(logits)));
        var picked = tape.SumColumns(tape.Multiply(logits, oneHot));
        return tape.Subtract(picked, logNormaliser);
    }

    /// <inheritdoc />
    public void LogProbabilityGradient(double t, int label, Batch x, Batch destination)
    {
        x.RequireShape(destination, nameof(destination));
        if ((uint)label >= (uint)Classes) throw new ArgumentOutOfRangeException(nameof(label), label, $"The class must be in [0, {Classes}).");
        if (x.Count == 0) return;
        var tape = new Tape();
        var variable = tape.Variable(x);
        var times = new double[x.Count];
        Array.Fill(times, t);
        var oneHot = tape.Constant(x.Count, Classes);
        for (var i = 0; i < x.Count; i++) oneHot[i, label] = 1.0;
        // Rows are independent, so the gradient of the sum is each row's gradient.
        var total = tape.Sum(LogProbability(tape, variable, Network.EmbedTimes(tape, times), oneHot));
        var gradient = tape.Gradients(total, [variable])[0];
        gradient.Values.CopyTo(destination.Values);
    }
}

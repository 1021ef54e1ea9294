using Diffusion.Research.Conditional;
using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Conditional;

/// <summary>
/// Trains a <see cref="NoisyClassifier"/> by cross-entropy on noised labelled data: per step, <c>batch</c> pairs (x_0, c) with
/// c ~ π and x_0 ~ p(x | c), t ~ U[t_eps, T], x_t = α_t x_0 + σ_t ε (003 §4.4 kernel; Kingma et al. 2021); loss = mean_i [log
/// Σ_k exp f_k(x_t,i) − f_{c_i}(x_t,i)];
/// Adam at a fixed learning rate. Deterministic: step s draws from noise.Derive(s).
/// </summary>
public static class NoisyClassifierTrainer
{
    /// <summary>Trains <paramref name="classifier"/> in place; returns the mean loss of the last 10% of steps.</summary>
    public static double Train(NoisyClassifier classifier, LabelledMixture data, IKernel kernel, double tEpsilon, double horizon,
        int steps, int batch, double learningRate, NoiseSource noise)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (classifier.Classes != data.Classes) throw new ArgumentException($"The classifier has {classifier.Classes} classes, the data {data.Classes}.", nameof(classifier));
        if (!(tEpsilon > 0 && tEpsilon < horizon)) throw new ArgumentOutOfRangeException(nameof(tEpsilon), tEpsilon, "Need 0 < t_eps < T.");
        var parameters = classifier.Network.Parameters;
        var optimizer = new Adam(parameters);
        var d = data.Dimension;
        var x = new Batch(batch, d);
        var times = new double[batch];
        var labels = new int[batch];
        var prior = new ClassPrior(data);
        var tail = 0.0;
        var tailCount = 0;
        var tape = new Tape();
        Span<double> z = d <= 64 ? stackalloc double[d] : new double[d];
        for (var s = 0; s < steps; s++)
        {
            var draw = noise.Derive((ulong)s);
            for (var i = 0; i < batch; i++)
            {
                var c = prior.Class(draw.Uniform(0, i, 0));
                labels[i] = c;
                data.ClassConditional(c).Sample(x.Slice(i, 1), draw.Derive(1), i);
                var t = tEpsilon + (horizon - tEpsilon) * draw.Uniform(0, i, 1);
                times[i] = t;
                draw.FillGaussian(2, i, z);
                var alpha = kernel.Alpha(t);
                var sigma = kernel.Sigma(t);
                var row = x.Row(i);
                for (var j = 0; j < d; j++) row[j] = alpha * row[j] + sigma * z[j];
            }
            tape.Reset();
            var oneHot = tape.Constant(batch, data.Classes);
            for (var i = 0; i < batch; i++) oneHot[i, labels[i]] = 1.0;
            var logProbability = classifier.LogProbability(tape, tape.Constant(x), classifier.Network.EmbedTimes(tape, times), oneHot);
            var loss = tape.Scale(tape.Mean(logProbability), -1.0);
            var leaves = parameters.Select(tape.Parameter).ToList();
            var gradients = tape.Gradients(loss, leaves);
            for (var p = 0; p < parameters.Count; p++) gradients[p].Values.CopyTo(parameters[p].Gradient);
            optimizer.Step(parameters, learningRate);
            if (s >= steps - Math.Max(1, steps / 10))
            {
                tail += loss.Scalar;
                tailCount++;
            }
        }
        return tail / tailCount;
    }
}

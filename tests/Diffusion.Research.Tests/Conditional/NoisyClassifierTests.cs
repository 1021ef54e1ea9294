using Diffusion.Research.Conditional;
using Diffusion.Research.Nn.Conditional;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;
using Xunit.Abstractions;

namespace Diffusion.Research.Tests.Conditional;

public class NoisyClassifierTests(ITestOutputHelper output)
{
    private static readonly ModelOptions Options = new ModelOptions().WithWidth(32).WithHiddenLayers(2).WithSeed(3);

    /// <summary>The autodiff input gradient of log p_φ(c | x, t) equals a central difference of log p_φ (untrained net, generic t, x).</summary>
    [Fact]
    public void InputGradientMatchesFiniteDifferences()
    {
        var classifier = new NoisyClassifier(2, 3, Options);
        var x = Batch.FromRows([[0.3, -0.7], [1.2, 0.4]]);
        var gradient = new Batch(2, 2);
        classifier.LogProbabilityGradient(0.37, 2, x, gradient);
        const double h = 1e-5;
        for (var i = 0; i < 2; i++)
            for (var j = 0; j < 2; j++)
            {
                var plus = x.Clone();
                var minus = x.Clone();
                plus.Set(i, j, x[i, j] + h);
                minus.Set(i, j, x[i, j] - h);
                var fd = (LogProbability(classifier, plus, i) - LogProbability(classifier, minus, i)) / (2 * h);
                Assert.True(Math.Abs(fd - gradient[i, j]) < 1e-6 * (1 + Math.Abs(fd)), $"row {i}[{j}]: {gradient[i, j]} vs {fd}");
            }
    }

    /// <summary>
    /// Trained on noised two_classes data, the classifier's accuracy at t = 0.05 on 4000 fresh labelled samples is within 0.03 of the
    /// Bayes-optimal accuracy (argmax of the exact p_t(c | x)) on the same samples; 0.03 is 4 binomial standard errors at N = 4000
    /// (sd ≤ 0.5/√4000 ≈ 0.008) for the difference, so a classifier that learned nothing (accuracy ~0.5 vs Bayes ~0.8) fails.
    /// </summary>
    [Fact]
    public void TrainedClassifierIsNearBayesOptimal()
    {
        var data = LabelledMixture.TwoClasses();
        var sde = VpSde.Linear();
        var kernel = sde.Kernel!;
        var classifier = new NoisyClassifier(2, 2, Options);
        var loss = NoisyClassifierTrainer.Train(classifier, data, kernel, 1e-3, 1.0, 2000, 256, 3e-3, new NoiseSource(17));
        const double t = 0.05;
        const int n = 4000;
        double alpha = kernel.Alpha(t), sigma = kernel.Sigma(t);
        var x = new Batch(n, 2);
        var labels = new int[n];
        var noise = new NoiseSource(99);
        for (var i = 0; i < n; i++)
        {
            labels[i] = noise.Uniform(0, i, 0) < data.ClassProbability(0) ? 0 : 1;
            data.ClassConditional(labels[i]).Sample(x.Slice(i, 1), noise.Derive(1), i);
            var z = new double[2];
            noise.FillGaussian(2, i, z);
            for (var j = 0; j < 2; j++) x.Set(i, j, alpha * x[i, j] + sigma * z[j]);
        }
        var exact0 = new double[n];
        data.NoisedClassLogProbability(alpha, sigma, 0, x, exact0);
        int learnedCorrect = 0, bayesCorrect = 0;
        var logits = new double[n * 2];
        classifier.Network.Evaluate(t, x, logits);
        for (var i = 0; i < n; i++)
        {
            if ((exact0[i] > Math.Log(0.5) ? 0 : 1) == labels[i]) bayesCorrect++;
            if ((logits[2 * i] > logits[2 * i + 1] ? 0 : 1) == labels[i]) learnedCorrect++;
        }
        var learned = (double)learnedCorrect / n;
        var bayes = (double)bayesCorrect / n;
        output.WriteLine($"final loss {loss:F4}; accuracy learned {learned:F4}, Bayes {bayes:F4}");
        Assert.True(learned > bayes - 0.03, $"learned accuracy {learned} vs Bayes {bayes}");
    }

    private static double LogProbability(NoisyClassifier classifier, Batch x, int row)
    {
        var logits = new double[x.Count * classifier.Classes];
        classifier.Network.Evaluate(0.37, x, logits);
        var max = double.NegativeInfinity;
        for (var k = 0; k < classifier.Classes; k++) max = Math.Max(max, logits[row * classifier.Classes + k]);
        var sum = 0.0;
        for (var k = 0; k < classifier.Classes; k++) sum += Math.Exp(logits[row * classifier.Classes + k] - max);
        return logits[row * classifier.Classes + 2] - max - Math.Log(sum);
    }
}

using Diffusion.Research.Conditional;
using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Conditional;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Xunit.Abstractions;

namespace Diffusion.Research.Tests.Conditional;

public class ConditionalScoreModelTests(ITestOutputHelper output)
{
    private static readonly ModelOptions Options = new ModelOptions().WithWidth(32).WithHiddenLayers(2).WithSeed(5);

    private static readonly Batch Points = Batch.FromRows([[0.3, -0.7], [1.2, 0.4], [-2.1, 0.9]]);

    /// <summary>Learned CFG with w = 0 is the conditional output bit for bit; at a generic w = 1.7 it is (1 + w) s(x|c) − w s(x|∅)
    /// (Ho &amp; Salimans 2022 eq. 6) evaluated by hand from the network's two outputs.</summary>
    [Fact]
    public void LearnedCfgCombinesTheConditionalAndNullOutputs()
    {
        var model = new ConditionalMlpScoreModel(2, 3, Options, VpSde.Linear().Kernel);
        const double t = 0.37;
        var conditional = Evaluate(model.ForClass(1), t);
        var unconditional = Evaluate(model.Unconditional, t);
        Assert.Equal(conditional.Values.ToArray(), Evaluate(new ClassifierFreeGuidedScore(model.ForClass(1), model.Unconditional, 0), t).Values.ToArray());
        const double w = 1.7;
        var guided = Evaluate(new ClassifierFreeGuidedScore(model.ForClass(1), model.Unconditional, w), t);
        for (var i = 0; i < guided.Length; i++)
        {
            var expected = (1 + w) * conditional.Values[i] - w * unconditional.Values[i];
            Assert.True(Math.Abs(guided.Values[i] - expected) < 1e-12 * (1 + Math.Abs(expected)), $"entry {i}: {guided.Values[i]} vs {expected}");
        }
        Assert.NotEqual(conditional.Values.ToArray(), unconditional.Values.ToArray());
    }

    /// <summary>The null-class output is the unconditional output: the tape-free <see cref="ConditionalMlpScoreModel.Unconditional"/>
    /// equals the tape path fed the null one-hot (and a real class the tape path fed that class), converted ε → score.</summary>
    [Fact]
    public void NullClassOutputIsTheUnconditionalOutput()
    {
        var kernel = VpSde.Linear().Kernel!;
        var model = new ConditionalMlpScoreModel(2, 3, Options, kernel);
        const double t = 0.37;
        foreach (var label in new[] { model.NullClass, 2 })
        {
            var tape = new Tape();
            var oneHot = tape.Constant(Points.Count, 4);
            var times = tape.Constant(Points.Count, 1);
            for (var i = 0; i < Points.Count; i++)
            {
                oneHot[i, label] = 1.0;
                times[i, 0] = t;
            }
            var tapeScore = model.WithClasses(oneHot).Score(tape, tape.Constant(Points), times);
            var direct = Evaluate(label == model.NullClass ? model.Unconditional : model.ForClass(label), t);
            for (var i = 0; i < direct.Length; i++)
                Assert.True(Math.Abs(tapeScore.Values[i] - direct.Values[i]) < 1e-12 * (1 + Math.Abs(direct.Values[i])), $"class {label} entry {i}");
        }
    }

    /// <summary>Training is bit-identical for 1 and 3 tape threads (fixed-order reductions, Philox-keyed draws).</summary>
    [Fact]
    public void TrainingIsDeterministicAcrossThreads()
    {
        var weights = new[] { 1, 3 }.Select(threads =>
        {
            var model = Train(LabelledMixture.TwoClasses(), 30, 0.2, threads);
            return model.Parameters.SelectMany(p => p.Values).ToArray();
        }).ToArray();
        Assert.Equal(weights[0], weights[1]);
    }

    /// <summary>Label dropout replaces labels by the null class at rate p_uncond = 0.2: over 30 steps of 128 labels (N = 3840) the
    /// dropped fraction is within 4 binomial standard errors (4 √(0.2 · 0.8 / 3840) ≈ 0.026) of 0.2.</summary>
    [Fact]
    public void LabelDropoutHappensAtRatePUncond()
    {
        var result = Run(LabelledMixture.TwoClasses(), 30, 0.2, 1).Result;
        var n = (double)result.Labels;
        Assert.Equal(3840, result.Labels);
        var rate = result.Dropped / n;
        Assert.True(Math.Abs(rate - 0.2) < 4 * Math.Sqrt(0.2 * 0.8 / n), $"dropped fraction {rate}");
    }

    /// <summary>
    /// A small run reaches the exact scores. Error of a learned score s_θ against an exact s*: the excess ε-prediction error
    /// mean over t ∈ {0.05, 0.2, 0.5} and 2000 samples x_t ~ p_t of σ_t² ‖s_θ − s*‖² / D (0 for the exact score, the floor).
    /// Reference: the same network and budget trained unconditionally on p(x) (a one-class labelling, p_uncond = 0), scored on p_t.
    /// Criterion, fixed before the first run: each of s_θ(·|0), s_θ(·|1) on p_t(·|c) and s_θ(·|∅) on p_t is within 3× the reference
    /// error plus 0.002 (the conditional model fits C + 1 = 3 functions with the budget the reference spends on one, and the null
    /// class sees only p_uncond = 0.2 of the batch). Without label dropout the null class is never trained and this fails.
    /// </summary>
    [Fact]
    public void SmallRunReachesTheExactConditionalAndUnconditionalScores()
    {
        var data = LabelledMixture.TwoClasses();
        var kernel = VpSde.Linear().Kernel!;
        var model = Train(data, 1500, 0.2, 1);
        var reference = Train(new LabelledMixture(data.Mixture, new int[data.Mixture.Components]), 1500, 0.0, 1);
        var floor = Error(reference.ForClass(0), new ExactNoisedScore(data.Mixture, kernel), data.Mixture, kernel);
        var bound = 3 * floor + 0.002;
        var errors = new[]
        {
            ("class 0", Error(model.ForClass(0), new ExactNoisedScore(data.ClassConditional(0), kernel), data.ClassConditional(0), kernel)),
            ("class 1", Error(model.ForClass(1), new ExactNoisedScore(data.ClassConditional(1), kernel), data.ClassConditional(1), kernel)),
            ("null", Error(model.Unconditional, new ExactNoisedScore(data.Mixture, kernel), data.Mixture, kernel)),
        };
        var swapped = Error(model.ForClass(0), new ExactNoisedScore(data.ClassConditional(1), kernel), data.ClassConditional(1), kernel);
        output.WriteLine($"unconditional reference {floor:F5}, bound {bound:F5}; " + string.Join(", ", errors.Select(e => $"{e.Item1} {e.Item2:F5}")) + $"; class 0 scored on class 1 {swapped:F5}");
        foreach (var (name, error) in errors) Assert.True(error < bound, $"{name}: {error} vs bound {bound}");
        Assert.True(swapped > bound, "the criterion cannot tell classes apart");
    }

    private static ConditionalMlpScoreModel Train(LabelledMixture data, int steps, double pUncond, int threads) => Run(data, steps, pUncond, threads).Model;

    private static (ConditionalMlpScoreModel Model, ConditionalTrainingResult Result) Run(LabelledMixture data, int steps, double pUncond, int threads)
    {
        var sde = VpSde.Linear();
        var model = new ConditionalMlpScoreModel(data.Dimension, data.Classes, Options, sde.Kernel);
        var result = ConditionalScoreModelTrainer.Train(model, data, sde.Kernel!, new DenoisingScoreMatchingLoss(Prediction.Epsilon), new UniformTimeSampling(1e-3, 1.0),
            new UniformWeighting(), steps, 128, 3e-3, pUncond, threads, new NoiseSource(21));
        return (model, result);
    }

    private static double Error(IScoreModel learned, IScoreModel exact, GaussianMixture law, IKernel kernel)
    {
        const int n = 2000;
        var noise = new NoiseSource(77);
        var total = 0.0;
        var ts = new[] { 0.05, 0.2, 0.5 };
        for (var k = 0; k < ts.Length; k++)
        {
            double alpha = kernel.Alpha(ts[k]), sigma = kernel.Sigma(ts[k]);
            var x = new Batch(n, law.Dimension);
            law.Sample(x, noise.Derive((ulong)k), 0);
            var z = new double[law.Dimension];
            for (var i = 0; i < n; i++)
            {
                noise.Derive(100 + (ulong)k).FillGaussian(0, i, z);
                for (var j = 0; j < law.Dimension; j++) x.Set(i, j, alpha * x[i, j] + sigma * z[j]);
            }
            var a = new Batch(n, law.Dimension);
            var b = new Batch(n, law.Dimension);
            learned.Score(ts[k], x, a);
            exact.Score(ts[k], x, b);
            for (var i = 0; i < a.Length; i++) total += sigma * sigma * (a.Values[i] - b.Values[i]) * (a.Values[i] - b.Values[i]);
        }
        return total / (ts.Length * n * law.Dimension);
    }

    private static Batch Evaluate(IScoreModel score, double t)
    {
        var destination = new Batch(Points.Count, Points.Dimension);
        score.Score(t, Points, destination);
        return destination;
    }
}

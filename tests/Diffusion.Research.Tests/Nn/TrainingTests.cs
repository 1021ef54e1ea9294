using Diffusion.Research.Registries;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Tests.Nn;

public sealed class TrainingTests
{
    private static readonly OuSde Sde = new();
    private static readonly IsotropicGaussian Data = new([1.0, -0.5], 0.5);

    private static TrainingOptions Small(int steps = 12) => new TrainingOptions()
        .WithModel(new ModelOptions().WithWidth(32).WithHiddenLayers(3).WithSeed(4))
        .WithSteps(steps).WithBatchSize(128).WithLearningRate(2e-3).WithSeed(9);

    private static double[] Weights(TrainingResult r) => r.Model.Parameters.SelectMany(p => p.Values).ToArray();

    [Fact]
    public void WeightsAreBitIdenticalForOneOrTwoThreads()
    {
        var options = Small().WithSchedule(3, true).WithClipNorm(1.0).WithEmaDecay(0.9);
        var one = ScoreModelTrainer.Train(options.WithThreads(1), Data, Sde);
        var two = ScoreModelTrainer.Train(options.WithThreads(2), Data, Sde);
        Assert.Equal(Weights(one), Weights(two));
        Assert.Equal(one.LossHistory, two.LossHistory);
        Assert.False(one.Diverged);
        Assert.Equal("completed", one.Message);
    }

    [Fact]
    public void CheckpointsReloadAndResumeBitExactly()
    {
        var options = Small(10).WithOptimizer("adamw").WithEmaDecay(0.8) with { WeightDecay = 1e-3 };
        var straight = ScoreModelTrainer.Train(options, Data, Sde);

        var half = ScoreModelTrainer.Train(options.WithSteps(5), Data, Sde);
        using var stream = new MemoryStream();
        half.Checkpoint.Save(stream);
        stream.Position = 0;
        var loaded = Checkpoint.Load(stream);
        Assert.Equal(half.Checkpoint.Options.WithSteps(5), loaded.Options);
        Assert.Equal(half.Checkpoint.Parameters, loaded.Parameters);
        Assert.Equal(half.Checkpoint.OptimizerState, loaded.OptimizerState);
        Assert.Equal(half.Checkpoint.Ema, loaded.Ema);
        Assert.Equal(half.Checkpoint.LossHistory, loaded.LossHistory);

        var resumed = new ScoreModelTrainer().Run(options, Data, Sde, resume: loaded);
        Assert.Equal(Weights(straight), Weights(resumed));
        Assert.Equal(straight.LossHistory, resumed.LossHistory);
        var rebuilt = ScoreModelTrainer.ModelFrom(straight.Checkpoint, 2, Sde);
        Assert.Equal(Weights(straight), rebuilt.Parameters.SelectMany(p => p.Values).ToArray());

        Assert.Throws<ArgumentException>(() => new ScoreModelTrainer().Run(options.WithSeed(1), Data, Sde, resume: loaded));
        stream.Position = 0;
        stream.WriteByte(0);
        stream.Position = 0;
        Assert.Throws<InvalidDataException>(() => Checkpoint.Load(stream));
    }

    [Fact]
    public void DenoisingScoreMatchingLearnsAGaussianScore()
    {
        // Sanity of the whole loop (not a theorem): after 400 Adam steps the MLP's score at t in {0.2, 0.5, 0.9}
        // is within 15% (relative mean-square) of the exact score −(x − α m)/(α² s² + σ²) of the noised Gaussian.
        var options = new TrainingOptions()
            .WithModel(new ModelOptions().WithWidth(48).WithHiddenLayers(2).WithOutput(Prediction.Epsilon))
            .WithSteps(400).WithBatchSize(256).WithLearningRate(3e-3).WithSchedule(20, true).WithEmaDecay(0.95);
        var progress = new List<TrainingProgress>();
        var result = new ScoreModelTrainer().Run(options, Data, Sde, new Collector(progress));
        Assert.False(result.Diverged);
        Assert.Equal(400, result.LossHistory.Count);
        Assert.Equal(400, progress[^1].Step);
        var exact = Data.NoisedScore(Sde);
        foreach (var t in new[] { 0.2, 0.5, 0.9 })
        {
            var x = new Batch(2000, 2);
            Data.Sample(x, new NoiseSource(55), 0);
            var e = new Batch(2000, 2);
            new NoiseSource(56).FillGaussian(0, 0, e);
            for (var i = 0; i < x.Length; i++) x.Values[i] = Sde.Alpha(t) * x.Values[i] + Sde.Sigma(t) * e.Values[i];
            var s = new Batch(2000, 2);
            var truth = new Batch(2000, 2);
            result.Model.Score(t, x, s);
            exact.Score(t, x, truth);
            double err = 0, norm = 0;
            for (var i = 0; i < x.Length; i++)
            {
                err += (s.Values[i] - truth.Values[i]) * (s.Values[i] - truth.Values[i]);
                norm += truth.Values[i] * truth.Values[i];
            }
            Assert.True(err / norm < 0.15, $"t = {t}: relative mean-square error {err / norm}");
        }
    }

    public static TheoryData<string, string, string, ModelKind> Combinations() => new()
    {
        { "dsm", "sigma2", "uniform", ModelKind.Mlp },
        { "eps", "uniform", "importance", ModelKind.Mlp },
        { "x0", "snr", "lognormal", ModelKind.Mlp },
        { "v", "min-snr", "ncsn", ModelKind.Mlp },
        { "ism", "likelihood", "fixed", ModelKind.Mlp },
        { "ssm", "uniform", "uniform", ModelKind.Mlp },
        { "esm", "sigma2", "uniform", ModelKind.Mlp },
        { "dsm", "sigma2", "uniform", ModelKind.Energy },
        { "ism", "uniform", "fixed", ModelKind.Energy },
        { "ssm", "sigma2", "uniform", ModelKind.Energy },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void EveryLossWeightingAndSamplingTrains(string loss, string weighting, string sampling, ModelKind kind)
    {
        var options = new TrainingOptions()
            .WithModel(new ModelOptions().WithKind(kind).WithWidth(16).WithHiddenLayers(2))
            .WithLoss(loss).WithWeighting(weighting).WithTimeSampling(sampling)
            .WithSteps(40).WithBatchSize(64).WithLearningRate(3e-3).WithProbes(2, ProbeKind.Rademacher);
        var result = new ScoreModelTrainer().Run(options, Data, Sde, exactScore: Data.NoisedScore(Sde));
        Assert.False(result.Diverged, result.Message);
        Assert.All(result.LossHistory, v => Assert.True(double.IsFinite(v)));
        Assert.All(result.Model.Parameters, p => Assert.All(p.Values, v => Assert.True(double.IsFinite(v))));
        // Training moved the loss: the mean of the last 10 steps is below the mean of the first 10.
        Assert.True(result.LossHistory.TakeLast(10).Average() < result.LossHistory.Take(10).Average(),
            $"{loss}/{weighting}/{sampling}/{kind}: first {result.LossHistory.Take(10).Average()}, last {result.LossHistory.TakeLast(10).Average()}");
    }

    [Fact]
    public void RegistriesDescribeEveryComponentAndRejectUnknownNames()
    {
        var r = TrainingRegistries.CreateDefault();
        Assert.Equal(["esm", "ism", "ssm", "dsm", "eps", "x0", "v"], r.Losses.Entries.Select(e => e.Name));
        Assert.Equal(["uniform", "sigma2", "likelihood", "snr", "min-snr"], r.Weightings.Entries.Select(e => e.Name));
        Assert.Equal(["uniform", "importance", "lognormal", "fixed", "ncsn"], r.TimeSamplings.Entries.Select(e => e.Name));
        Assert.All(r.Losses.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Description)));
        Assert.All(r.Weightings.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Description), e.Name));
        Assert.All(r.TimeSamplings.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Description), e.Name));
        Assert.Equal(["adam", "adamw", "sgd"], r.Optimizers.Names);
        var ex = Assert.Throws<UnknownNameException>(() => ScoreModelTrainer.Train(Small().WithLoss("nope"), Data, Sde));
        Assert.Contains("dsm", ex.Message);
        Assert.Equal("loss", ex.Kind);
        Assert.Throws<UnknownNameException>(() => ScoreModelTrainer.Train(Small().WithWeighting("nope"), Data, Sde));
        Assert.Throws<UnknownNameException>(() => ScoreModelTrainer.Train(Small().WithOptimizer("nope"), Data, Sde));
        Assert.Throws<ArgumentException>(() => ScoreModelTrainer.Train(Small().WithLoss("esm"), Data, Sde));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreModelTrainer.Train(Small().WithBatchSize(0), Data, Sde));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreModelTrainer.Train(Small().WithLearningRate(-1), Data, Sde));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreModelTrainer.Train(Small().WithEmaDecay(1.0), Data, Sde));
        foreach (var epsilon in new[] { -1e-3, double.NaN, double.PositiveInfinity })
            Assert.Equal("TimeEpsilon", Assert.Throws<ArgumentOutOfRangeException>(() => ScoreModelTrainer.Train(Small().WithTimeEpsilon(epsilon), Data, Sde)).ParamName);
    }

    [Fact]
    public void ScheduleWarmsUpThenFollowsTheCosine()
    {
        var s = new LearningRateSchedule(1.0, 10, 110, true, 0.1);
        Assert.Equal(0.1, s.Rate(0), 1e-15);
        Assert.Equal(1.0, s.Rate(9), 1e-15);
        Assert.Equal(1.0, s.Rate(10), 1e-15);
        Assert.Equal(0.1 + 0.9 * 0.5, s.Rate(60), 1e-12);
        Assert.Equal(0.1, s.Rate(110), 1e-15);
    }

    [Fact]
    public void AdamFirstStepMovesEachWeightByTheLearningRate()
    {
        // With bias correction, m̂ = g and v̂ = g², so the first step is −η g/(|g| + ε) ≈ −η sign(g).
        var p = new Diffusion.Research.Nn.Parameter("w", 1, 3);
        p.Gradient[0] = 2.0;
        p.Gradient[1] = -0.5;
        p.Gradient[2] = 1e-3;
        new Adam([p]).Step([p], 0.1);
        Assert.Equal(-0.1, p.Values[0], 1e-8);
        Assert.Equal(0.1, p.Values[1], 1e-8);
        Assert.Equal(-0.1, p.Values[2], 1e-5);
    }

    private sealed class Collector(List<TrainingProgress> list) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => list.Add(value);
    }
}

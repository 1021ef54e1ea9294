using Diffusion.Research.Nn;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;
using Diffusion.Research.Tests.Nn;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of src/Diffusion.Research.Nn/Training: optimisers, EMA, clipping, schedule, options, session, checkpoint.</summary>
public class NnTrainingContractTests
{
    private static Parameter[] Parameters() => [new("a", 2, 3), new("b", 1, 3)];

    private static double[][] Buffers(params int[] lengths) => lengths.Select(n => Enumerable.Repeat(0.37, n).ToArray()).ToArray();

    /// <summary>TrainingSession.Check: the training times against the SDE's horizon and the sigma = 0 rule, named as
    /// train.KEY (an experiment file reports them at model.train.KEY), at generic values on both sides of each bound.</summary>
    [Fact]
    public void Training_check_refuses_times_outside_the_horizon_and_sigma_zero_where_undefined()
    {
        var cosine = VpSde.Cosine(0.008, 1.0); // T = 1
        var options = new TrainingOptions();
        TrainingSession.Check(options with { TimeEpsilon = 0.37 }, cosine);
        foreach (var sampling in new[] { "uniform", "importance", "lognormal", "ncsn" })
        {
            var e = Assert.Throws<ArgumentException>(() => TrainingSession.Check(options with { TimeSampling = sampling, TimeEpsilon = 1.25 }, cosine));
            Assert.Equal("train.t_eps", e.ParamName);
            Assert.Contains("below the SDE's horizon T = 1", e.Message);
        }
        TrainingSession.Check(options with { TimeSampling = "fixed", FixedTime = 1.0 }, cosine); // the horizon itself
        var beyond = Assert.Throws<ArgumentException>(() => TrainingSession.Check(options with { TimeSampling = "fixed", FixedTime = 1.181 }, cosine));
        Assert.Equal("train.fixed_t", beyond.ParamName);
        // t = 0 (sigma = 0): score matching on the data only.
        var atZero = options with { TimeSampling = "fixed", FixedTime = 0.0, Loss = "ssm", Model = options.Model with { Output = Prediction.Score } };
        TrainingSession.Check(atZero, cosine);
        TrainingSession.Check(atZero with { Loss = "ism" }, cosine);
        foreach (var bad in new[] { atZero with { Loss = "dsm" }, atZero with { Model = options.Model with { Output = Prediction.Epsilon } } })
            Assert.Equal("train.fixed_t", Assert.Throws<ArgumentException>(() => TrainingSession.Check(bad, cosine)).ParamName);
        TrainingSession.Check(options with { TimeSampling = "fixed", FixedTime = 0.4 }, cosine); // sigma > 0: any loss and output
    }

    /// <summary>A session and its check build the components from the registries they are given (a plugin's t-sampling),
    /// not from the built-in ones.</summary>
    [Fact]
    public void Training_session_and_check_use_the_registries_they_are_given()
    {
        var registries = TrainingRegistries.CreateDefault();
        registries.TimeSamplings.Register("plugin-time", "a plugin's fixed time", _ => new FixedTimeSampling(0.25));
        var sde = VpSde.Linear();
        var options = new TrainingOptions { TimeSampling = "plugin-time", Model = new ModelOptions { Width = 8, HiddenLayers = 1 } };
        TrainingSession.Check(options, sde, registries);
        _ = new TrainingSession(options, Diffusion.Research.Data.ToyData.EightGaussians(), sde, registries: registries);
        Assert.Throws<Diffusion.Research.Registries.UnknownNameException>(() => TrainingSession.Check(options, sde)); // unknown to the built-in registries
    }

    [Fact]
    public void Adam_constructor_checks_its_arguments()
    {
        var p = Parameters();
        Contract.Null("parameters", () => _ = new Adam(null!));
        foreach (var bad in new[] { -0.25, 1.0, 2.5, double.NaN })
        {
            Contract.Refused<ArgumentOutOfRangeException>("beta1", "Need 0 <= beta1 < 1.", () => _ = new Adam(p, beta1: bad));
            Contract.Refused<ArgumentOutOfRangeException>("beta2", "Need 0 <= beta2 < 1.", () => _ = new Adam(p, beta2: bad));
        }
        foreach (var bad in new[] { 0.0, -1e-8, double.NaN })
            Contract.Refused<ArgumentOutOfRangeException>("epsilon", "Must be positive.", () => _ = new Adam(p, epsilon: bad));
        foreach (var bad in new[] { -0.25, double.NaN, double.PositiveInfinity })
            Contract.Refused<ArgumentOutOfRangeException>("weightDecay", "Must be >= 0.", () => _ = new Adam(p, weightDecay: bad));
        var a = new Adam(p, 0.0, 0.0, 1e-300, 0.0);
        Assert.Equal((0.0, 0.0, 1e-300, 0.0), (a.Beta1, a.Beta2, a.Epsilon, a.WeightDecay));
        var b = new Adam(p, 0.999, 0.9999, 1e-8, 0.37);
        Assert.Equal((0.999, 0.9999, 0.37), (b.Beta1, b.Beta2, b.WeightDecay));
    }

    [Fact]
    public void Adam_Step_and_Restore_check_their_arguments()
    {
        var p = Parameters();
        var adam = new Adam(p);
        Contract.Null("parameters", () => adam.Step(null!, 1e-3));
        Contract.Refused<ArgumentException>("parameters", "1 parameters, the optimiser was built for 2.", () => adam.Step([p[0]], 1e-3));
        Contract.Refused<ArgumentException>("parameters", "3 parameters, the optimiser was built for 2.", () => adam.Step([p[0], p[1], p[0]], 1e-3));
        adam.Step(p, 1e-3);
        Assert.Equal(1, adam.Steps);

        Contract.Null("state", () => adam.Restore(0, null!));
        Contract.Refused<ArgumentException>("state", "3 state buffers, 4 expected.", () => adam.Restore(0, Buffers(6, 3, 6)));
        Contract.Refused<ArgumentException>("state", "5 state buffers, 4 expected.", () => adam.Restore(0, Buffers(6, 3, 6, 3, 3)));
        Contract.Guard("steps", () => adam.Restore(-1, Buffers(6, 3, 6, 3)));
        Contract.Refused<ArgumentException>("state", "State buffer 1 has 2 values, 3 expected.", () => adam.Restore(0, Buffers(6, 2, 6, 3)));
        Contract.Refused<ArgumentException>("state", "State buffer 3 has 4 values, 3 expected.", () => adam.Restore(0, Buffers(6, 3, 6, 4)));
        adam.Restore(0, Buffers(6, 3, 6, 3));
        Assert.Equal(0, adam.Steps);
        Assert.Equal(0.37, adam.State[3][2]);
    }

    [Fact]
    public void Sgd_checks_its_arguments()
    {
        var p = Parameters();
        Contract.Null("parameters", () => _ = new Sgd(null!));
        foreach (var bad in new[] { -0.25, 1.0, double.NaN })
            Contract.Refused<ArgumentOutOfRangeException>("momentum", "Need 0 <= momentum < 1.", () => _ = new Sgd(p, bad));
        foreach (var bad in new[] { -0.25, double.NaN, double.PositiveInfinity })
            Contract.Refused<ArgumentOutOfRangeException>("weightDecay", "Must be >= 0.", () => _ = new Sgd(p, 0.9, bad));
        var s = new Sgd(p, 0.0, 0.0);
        Assert.Equal((0.0, 0.0), (s.Momentum, s.WeightDecay));
        Assert.Equal(0.999, new Sgd(p, 0.999, 0.37).Momentum);

        Contract.Null("parameters", () => s.Step(null!, 1e-3));
        Contract.Refused<ArgumentException>("parameters", "1 parameters, the optimiser was built for 2.", () => s.Step([p[1]], 1e-3));
        Contract.Refused<ArgumentException>("parameters", "3 parameters, the optimiser was built for 2.", () => s.Step([p[0], p[1], p[1]], 1e-3));
        s.Step(p, 1e-3);
        Assert.Equal(1, s.Steps);

        Contract.Null("state", () => s.Restore(0, null!));
        Contract.Refused<ArgumentException>("state", "1 state buffers, 2 expected.", () => s.Restore(0, Buffers(6)));
        Contract.Refused<ArgumentException>("state", "3 state buffers, 2 expected.", () => s.Restore(0, Buffers(6, 3, 3)));
        Contract.Guard("steps", () => s.Restore(-1, Buffers(6, 3)));
        Contract.Refused<ArgumentException>("state", "State buffer 0 has 5 values, 6 expected.", () => s.Restore(0, Buffers(5, 3)));
        Contract.Refused<ArgumentException>("state", "State buffer 1 has 4 values, 3 expected.", () => s.Restore(0, Buffers(6, 4)));
        s.Restore(0, Buffers(6, 3));
        Assert.Equal(0, s.Steps);
        Assert.Equal(0.37, s.State[1][2]);
    }

    [Fact]
    public void ExponentialMovingAverage_checks_its_arguments()
    {
        var p = Parameters();
        Contract.Null("parameters", () => _ = new ExponentialMovingAverage(null!, 0.9));
        foreach (var bad in new[] { -0.25, 1.0, double.NaN })
            Contract.Refused<ArgumentOutOfRangeException>("decay", "Need 0 <= decay < 1.", () => _ = new ExponentialMovingAverage(p, bad));
        Assert.Equal(0.0, new ExponentialMovingAverage(p, 0.0).Decay);
        var ema = new ExponentialMovingAverage(p, 0.999);
        Contract.Null("shadow", () => ema.Restore(null!));
        Contract.Refused<ArgumentException>("shadow", "1 buffers, 2 expected.", () => ema.Restore(Buffers(6)));
        Contract.Refused<ArgumentException>("shadow", "3 buffers, 2 expected.", () => ema.Restore(Buffers(6, 3, 3)));
        Contract.Refused<ArgumentException>("shadow", "State buffer 0 has 5 values, 6 expected.", () => ema.Restore(Buffers(5, 3)));
        ema.Restore(Buffers(6, 3));
        Assert.Equal(0.37, ema.Shadow[1][0]);
    }

    [Fact]
    public void GradientClipping_checks_its_arguments()
    {
        var p = Parameters();
        p[0].Gradient[0] = 3;
        p[1].Gradient[2] = 4;
        Contract.Null("parameters", () => GradientClipping.ClipByGlobalNorm(null!, 1.0));
        foreach (var bad in new[] { 0.0, -0.25, double.NaN })
            Contract.Refused<ArgumentOutOfRangeException>("maxNorm", "Must be positive.", () => GradientClipping.ClipByGlobalNorm(p, bad));
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm(p, double.PositiveInfinity));
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm(p, 2.5));
        Assert.Equal(2.5, GradientClipping.ClipByGlobalNorm(p, 1e-300), 12);
    }

    [Fact]
    public void LearningRateSchedule_Validate_checks_every_field()
    {
        foreach (var bad in new[] { 0.0, -0.25, double.NaN, double.PositiveInfinity })
            Contract.Refused<ArgumentOutOfRangeException>("BaseRate", "The learning rate must be positive.", () => new LearningRateSchedule(bad, 0, 10, true).Validate());
        Contract.Guard("WarmupSteps", () => new LearningRateSchedule(0.37, -1, 10, true).Validate());
        Contract.Guard("TotalSteps", () => new LearningRateSchedule(0.37, 0, 0, true).Validate());
        foreach (var bad in new[] { -0.25, double.NaN, 0.5 })
            Contract.Refused<ArgumentOutOfRangeException>("MinimumRate", "Need 0 <= minimum rate <= base rate.", () => new LearningRateSchedule(0.37, 0, 10, true, bad).Validate());
        new LearningRateSchedule(1e-300, 0, 1, true, 0.0).Validate();
        new LearningRateSchedule(0.37, 0, 1, true, 0.37).Validate();
    }

    [Fact]
    public void TrainingOptions_Validate_checks_every_field()
    {
        var ok = new TrainingOptions();
        ok.Validate();
        Contract.Null("Model", () => (ok with { Model = null! }).Validate());
        Contract.Guard("Width", () => (ok with { Model = ok.Model with { Width = 0 } }).Validate());
        foreach (var (name, set) in new (string, Func<string, TrainingOptions>)[]
                 {
                     ("Loss", v => ok with { Loss = v }), ("Weighting", v => ok with { Weighting = v }),
                     ("TimeSampling", v => ok with { TimeSampling = v }), ("Optimizer", v => ok with { Optimizer = v }),
                 })
        {
            Contract.Null(name, () => set(null!).Validate());
            Assert.Equal(name, Assert.Throws<ArgumentException>(() => set("").Validate()).ParamName);
            Assert.Equal(name, Assert.Throws<ArgumentException>(() => set(" ").Validate()).ParamName);
        }
        Contract.Guard("Steps", () => (ok with { Steps = 0 }).Validate());
        Contract.Guard("BatchSize", () => (ok with { BatchSize = 0 }).Validate());
        Contract.Refused<ArgumentOutOfRangeException>("BaseRate", "The learning rate must be positive.", () => (ok with { LearningRate = 0 }).Validate());
        Contract.Guard("WarmupSteps", () => (ok with { WarmupSteps = -1 }).Validate());
        Contract.Refused<ArgumentOutOfRangeException>("MinimumRate", "Need 0 <= minimum rate <= base rate.", () => (ok with { MinLearningRate = 0.5 }).Validate());
        foreach (var bad in new[] { -0.25, 1.0, double.NaN })
        {
            Contract.Refused<ArgumentOutOfRangeException>("Beta1", "Need 0 <= β₁ < 1.", () => (ok with { Beta1 = bad }).Validate());
            Contract.Refused<ArgumentOutOfRangeException>("Beta2", "Need 0 <= β₂ < 1.", () => (ok with { Beta2 = bad }).Validate());
            Contract.Refused<ArgumentOutOfRangeException>("Momentum", "Need 0 <= momentum < 1.", () => (ok with { Momentum = bad }).Validate());
            Contract.Refused<ArgumentOutOfRangeException>("EmaDecay", "Need 0 <= decay < 1 (0 = off).", () => (ok with { EmaDecay = bad }).Validate());
        }
        foreach (var bad in new[] { -0.25, double.NaN, double.PositiveInfinity })
        {
            Contract.Refused<ArgumentOutOfRangeException>("WeightDecay", "Must be >= 0.", () => (ok with { WeightDecay = bad }).Validate());
            Contract.Refused<ArgumentOutOfRangeException>("ClipNorm", "Must be >= 0 (0 = off).", () => (ok with { ClipNorm = bad }).Validate());
            Contract.Refused<ArgumentOutOfRangeException>("TimeEpsilon", "Must be finite and >= 0.", () => (ok with { TimeEpsilon = bad }).Validate());
            Contract.Refused<ArgumentOutOfRangeException>("FixedTime", "Must be finite and >= 0.", () => (ok with { FixedTime = bad }).Validate());
        }
        Contract.Guard("Threads", () => (ok with { Threads = 0 }).Validate());
        Contract.Guard("Probes", () => (ok with { Probes = 0 }).Validate());
        Contract.Refused<ArgumentOutOfRangeException>("ProbeKind", "Unknown probe kind.", () => (ok with { ProbeKind = (ProbeKind)7 }).Validate());
        foreach (var bad in new[] { 0.0, -0.25, double.NaN, double.PositiveInfinity })
        {
            Contract.Refused<ArgumentOutOfRangeException>("MinSnrGamma", "Must be positive and finite.", () => (ok with { MinSnrGamma = bad }).Validate());
            Contract.Refused<ArgumentOutOfRangeException>("LogNormalStd", "Must be positive and finite.", () => (ok with { LogNormalStd = bad }).Validate());
        }
        Contract.Guard("NoiseLevels", () => (ok with { NoiseLevels = 0 }).Validate());
        foreach (var bad in new[] { -0.25, double.NaN })
        {
            Contract.Refused<ArgumentOutOfRangeException>("SigmaMin", "NCSN σ bounds must be >= 0 (0 = from the kernel).", () => (ok with { SigmaMin = bad }).Validate());
            Contract.Refused<ArgumentOutOfRangeException>("SigmaMin", "NCSN σ bounds must be >= 0 (0 = from the kernel).", () => (ok with { SigmaMax = bad }).Validate());
        }
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Contract.Refused<ArgumentOutOfRangeException>("LogNormalMean", "Must be finite.", () => (ok with { LogNormalMean = bad }).Validate());
        Contract.Guard("ProgressInterval", () => (ok with { ProgressInterval = -1 }).Validate());

        // Every boundary value is accepted.
        (ok with
        {
            Steps = 1, BatchSize = 1, LearningRate = 0.37, MinLearningRate = 0.37, WarmupSteps = 0, Beta1 = 0, Beta2 = 0, WeightDecay = 0, Momentum = 0,
            ClipNorm = 0, EmaDecay = 0, Threads = 1, TimeEpsilon = 0, FixedTime = 0, Probes = 1, ProbeKind = ProbeKind.Gaussian, MinSnrGamma = 1e-300,
            NoiseLevels = 1, SigmaMin = 0, SigmaMax = 0, LogNormalMean = -2.5, LogNormalStd = 1e-300, ProgressInterval = 0,
        }).Validate();
        (ok with { Beta1 = 0.999, Beta2 = 0.999, Momentum = 0.999, EmaDecay = 0.999, SigmaMin = 0.37, SigmaMax = 2.5 }).Validate();
    }

    [Fact]
    public void TrainingRegistry_Create_refuses_a_null_context()
    {
        var registries = TrainingRegistries.CreateDefault();
        Contract.Null("context", () => registries.Losses.Create("dsm", null!));
        var sde = new OuSde();
        Assert.Equal("dsm", registries.Losses.Create("dsm", new TrainingContext(new TrainingOptions(), sde, sde)).Name);
    }

    private static TrainingOptions Tiny(int steps = 4) => new TrainingOptions()
        .WithModel(new ModelOptions().WithWidth(4).WithHiddenLayers(1).WithEmbedding(TimeEmbeddingKind.Sinusoidal, 2).WithSeed(3))
        .WithSteps(steps).WithBatchSize(2).WithSeed(5);

    [Fact]
    public void TrainingSession_constructor_checks_its_arguments()
    {
        var sde = new OuSde();
        var data = new IsotropicGaussian([0.37, 2.5], 0.5);
        Contract.Null("options", () => _ = new TrainingSession(null!, data, sde));
        Contract.Null("data", () => _ = new TrainingSession(Tiny(), null!, sde));
        Contract.Null("sde", () => _ = new TrainingSession(Tiny(), data, null!));
        Contract.Guard("Steps", () => _ = new TrainingSession(Tiny() with { Steps = 0 }, data, sde));
        Contract.Refused<ArgumentException>("sde", "Training needs an SDE with a closed-form perturbation kernel (Kernel is null).",
            () => _ = new TrainingSession(Tiny(), data, new OverdampedLangevinSde(data)));
        Contract.Refused<ArgumentException>("exactScore", "The esm loss needs the exact score of p_t (exactScore).",
            () => _ = new TrainingSession(Tiny().WithLoss("esm"), data, sde));
        Assert.Equal(2, new TrainingSession(Tiny().WithLoss("esm"), data, sde, data.NoisedScore(sde)).Model.Dimension);
        Assert.Equal(0, new TrainingSession(Tiny(), data, sde).Completed);
    }

    [Fact]
    public void TrainingSession_Restore_checks_the_checkpoint()
    {
        var sde = new OuSde();
        var data = new IsotropicGaussian([0.37, 2.5], 0.5);
        var session = new TrainingSession(Tiny(), data, sde);
        var checkpoint = session.ToCheckpoint();
        Contract.Null("checkpoint", () => session.Restore(null!));
        Contract.Refused<ArgumentException>("checkpoint", "The checkpoint was made with different options (only Steps may change when resuming).",
            () => new TrainingSession(Tiny().WithSeed(6), data, sde).Restore(checkpoint));
        new TrainingSession(Tiny(6), data, sde).Restore(checkpoint);
        Contract.Refused<ArgumentException>("checkpoint", "The checkpoint is at step 5, beyond Steps = 4.",
            () => session.Restore(checkpoint with { Step = 5, LossHistory = [0.37, 0.37, 0.37, 0.37, 0.37] }));
        Contract.Refused<ArgumentException>("checkpoint", "The checkpoint's loss history does not match its step.",
            () => session.Restore(checkpoint with { Step = 2, LossHistory = [0.37] }));
        Contract.Refused<ArgumentException>("checkpoint", "The checkpoint's loss history does not match its step.",
            () => session.Restore(checkpoint with { Step = 2, LossHistory = [0.37, 0.37, 0.37] }));
        session.Restore(checkpoint with { Step = 4, LossHistory = [0.37, 0.37, 0.37, 2.5] });
        Assert.Equal(4, session.Completed);
        Assert.Equal(2.5, session.LossHistory[3]);
    }

    [Fact]
    public void Checkpoint_and_ModelFrom_check_their_arguments()
    {
        var sde = new OuSde();
        var checkpoint = new TrainingSession(Tiny(), new IsotropicGaussian([0.37, 2.5], 0.5), sde).ToCheckpoint();
        Contract.Null("checkpoint", () => ScoreModelTrainer.ModelFrom(null!, 2, sde));
        Assert.Equal(2, ScoreModelTrainer.ModelFrom(checkpoint, 2, sde).Dimension);
        Contract.Null("stream", () => checkpoint.Save((Stream)null!));
        Contract.Null("path", () => Checkpoint.Load((string)null!));
        Contract.Null("stream", () => Checkpoint.Load((Stream)null!));
        var missing = Path.Combine(Path.GetTempPath(), "nn-contract-" + Guid.NewGuid().ToString("N"), "none.ckpt");
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(missing));
        Assert.StartsWith($"checkpoint {missing} cannot be read: ", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(e.InnerException);
        using var stream = new MemoryStream();
        checkpoint.Save(stream);
        stream.Position = 0;
        Assert.Equal(checkpoint.Parameters, Checkpoint.Load(stream).Parameters);
    }
}

/// <summary>Every check of NeuralModelSettings.Bind: its ParamName (the dotted key) and its message.</summary>
public class NnNeuralModelSettingsContractTests
{
    private static TrainingOptions Bind(string key, string value, string kind = "mlp") =>
        NeuralModelSettings.Bind(kind, new Dictionary<string, string> { [key] = value });

    private static void Refused(string key, string value, string message, string kind = "mlp") =>
        Contract.Refused<ArgumentException>("model." + key, message, () => Bind(key, value, kind));

    [Fact]
    public void Bind_checks_the_kind_and_the_keys()
    {
        var empty = new Dictionary<string, string>();
        Contract.Null("values", () => NeuralModelSettings.Bind("mlp", null!));
        Contract.Refused<ArgumentException>("model.kind", "Unknown neural model kind 'cnn'. Known: mlp, ebm.", () => NeuralModelSettings.Bind("cnn", empty));
        Contract.Refused<ArgumentException>("model.kind", "Unknown neural model kind ''. Known: mlp, ebm.", () => NeuralModelSettings.Bind(null!, empty));
        Contract.Refused<ArgumentException>("kind", "Unknown neural model kind 'cnn'. Known: mlp, ebm.", () => NeuralModelSettings.Bind("cnn", empty, prefix: ""));
        Contract.Refused<ArgumentException>("kind", "Unknown neural model kind 'cnn'. Known: mlp, ebm.", () => NeuralModelSettings.Bind("cnn", empty, prefix: null!));
        Contract.Refused<ArgumentException>("cfg.kind", "Unknown neural model kind 'cnn'. Known: mlp, ebm.", () => NeuralModelSettings.Bind("cnn", empty, prefix: "cfg"));
        Assert.Equal(ModelKind.Energy, NeuralModelSettings.Bind(" EBM ", empty).Model.Kind);
        Assert.Equal(ModelKind.Energy, NeuralModelSettings.Bind("energy", empty).Model.Kind);
        Assert.Equal(ModelKind.Mlp, NeuralModelSettings.Bind("mlp", new Dictionary<string, string> { ["kind"] = "anything" }).Model.Kind);

        var known = string.Join(", ", NeuralModelSettings.Keys.Select(k => k.Name));
        Refused("widht", "64", $"Unknown key 'widht'. Known: {known}.");
        Refused("output", "eps", "An ebm predicts the score through -grad E; 'output' applies to mlp only.", kind: "ebm");
        Assert.Equal(Prediction.Velocity, Bind("output", "velocity").Model.Output);
    }

    [Fact]
    public void Bind_reports_values_that_do_not_parse()
    {
        var e = Contract.Refused<ArgumentException>("model.width", "width must be an integer, got 'wide'.", () => Bind("width", "wide"));
        Assert.IsType<FormatException>(e.InnerException);
        Refused("width", "2.5", "width must be an integer, got '2.5'.");
        Refused("width", "99999999999", "width must be at most 2147483647, got '99999999999'.");
        Refused("train.lr", ".nan", "lr must be a finite number, got '.nan'.");
        Refused("train.lr", "fast", "lr must be a finite number, got 'fast'.");
        Refused("train.lr", "1e400", "lr must be a finite number, got '1e400'.");
        Refused("train.seed", "-1", "seed must be an integer in [0, 18446744073709551615], got '-1'.");
        Refused("train.cosine", "maybe", "cosine must be true or false, got 'maybe'.");
        Assert.True(Bind("train.cosine", "on").CosineDecay);
        Refused("activation", "relu", "activation must be one of silu, tanh, softplus, got 'relu'.");
        Refused("output", "bogus", "output must be one of score, eps, x0, v, got 'bogus'.");
    }

    [Fact]
    public void Bind_checks_the_component_names()
    {
        var r = TrainingRegistries.CreateDefault();
        Refused("train.loss", "ddsm", $"Unknown loss 'ddsm'. Known: {string.Join(", ", r.Losses.Names)}.");
        Refused("train.weighting", "snr2", $"Unknown weighting 'snr2'. Known: {string.Join(", ", r.Weightings.Names)}.");
        Refused("train.t_sampling", "beta", $"Unknown t-sampling 'beta'. Known: {string.Join(", ", r.TimeSamplings.Names)}.");
        Refused("train.optimizer", "rmsprop", $"Unknown optimizer 'rmsprop'. Known: {string.Join(", ", r.Optimizers.Names)}.");
        Assert.Equal("ssm", Bind("train.loss", " ssm ").Loss);
    }

    [Fact]
    public void Bind_checks_every_range_at_its_boundary()
    {
        Refused("width", "0", "width must be positive, got 0.");
        Assert.Equal(1, Bind("width", "1").Model.Width);
        Refused("train.warmup", "-1", "warmup must be >= 0, got -1.");
        Assert.Equal(0, Bind("train.warmup", "0").WarmupSteps);

        Refused("train.lr", "0", "lr must be positive, got 0.");
        Refused("train.lr", "-0.25", "lr must be positive, got -0.25.");
        Refused("train.lr", "NaN", "lr must be a finite number, got 'NaN'.");
        Refused("train.lognormal_mean", "Infinity", "lognormal_mean must be a finite number, got 'Infinity'.");
        Assert.Equal(-2.5, Bind("train.lognormal_mean", "-2.5").LogNormalMean);
        Assert.Equal(1e-300, Bind("train.lr", "1e-300").LearningRate);

        Refused("train.min_lr", "0.5", "min_lr must be in [0, train.lr = 0.001].");
        Refused("train.min_lr", "-0.25", "min_lr must be in [0, train.lr = 0.001].");
        Assert.Equal(0.001, Bind("train.min_lr", "0.001").MinLearningRate);
        Assert.Equal(0.0, Bind("train.min_lr", "0").MinLearningRate);

        Refused("train.weight_decay", "-0.25", "weight_decay must be >= 0, got -0.25.");
        Assert.Equal(0.0, Bind("train.weight_decay", "0").WeightDecay);

        Refused("train.beta1", "1", "beta1 must be in [0, 1), got 1.");
        Refused("train.beta1", "-0.25", "beta1 must be in [0, 1), got -0.25.");
        Assert.Equal(0.0, Bind("train.beta1", "0").Beta1);
        Assert.Equal(0.999, Bind("train.beta1", "0.999").Beta1);
    }

    [Fact]
    public void Bind_validates_the_options_it_starts_from()
    {
        var e = Contract.Refused<ArgumentException>("model.train", "Probes ('0') must be a non-negative and non-zero value.",
            () => NeuralModelSettings.Bind("mlp", new Dictionary<string, string>(), defaults: new TrainingOptions { Probes = 0 }));
        Assert.Equal("Probes", Assert.IsType<ArgumentOutOfRangeException>(e.InnerException).ParamName);
        Assert.Equal(3, NeuralModelSettings.Bind("mlp", new Dictionary<string, string>(), defaults: new TrainingOptions { Probes = 3 }).Probes);
    }
}

using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Tests.Nn;

public sealed class NeuralModelSettingsTests
{
    [Fact]
    public void KeysBindToTheOptions()
    {
        var options = NeuralModelSettings.Bind("mlp", new Dictionary<string, string>
        {
            ["kind"] = "mlp", ["width"] = "64", ["layers"] = "2", ["activation"] = "tanh", ["residual"] = "true",
            ["embedding"] = "sinusoidal", ["output"] = "v", ["train.loss"] = "ssm", ["train.probes"] = "3",
            ["train.probe"] = "gaussian", ["train.weighting"] = "min-snr", ["train.gamma"] = "4",
            ["train.t_sampling"] = "importance", ["train.steps"] = "500", ["train.batch"] = "128", ["train.lr"] = "2e-3",
            ["train.warmup"] = "10", ["train.cosine"] = "yes", ["train.ema"] = "0.99", ["train.optimizer"] = "adamw",
        });
        Assert.Equal(new ModelOptions { Kind = ModelKind.Mlp, Width = 64, HiddenLayers = 2, Activation = Activation.Tanh, Residual = true,
            Embedding = TimeEmbeddingKind.Sinusoidal, Output = Prediction.Velocity }, options.Model);
        Assert.Equal(("ssm", 3, ProbeKind.Gaussian, "min-snr", 4.0, "importance"), (options.Loss, options.Probes, options.ProbeKind, options.Weighting, options.MinSnrGamma, options.TimeSampling));
        Assert.Equal((500, 128, 2e-3, 10, true, 0.99, "adamw"), (options.Steps, options.BatchSize, options.LearningRate, options.WarmupSteps, options.CosineDecay, options.EmaDecay, options.Optimizer));
        Assert.Equal(ModelKind.Energy, NeuralModelSettings.Bind("ebm", new Dictionary<string, string>()).Model.Kind);
        Assert.Equal(NeuralModelSettings.Keys.Count, NeuralModelSettings.Keys.Select(k => k.Name).Distinct().Count());
    }

    [Theory]
    [InlineData("mlp", "widht", "64", "model.widht")]
    [InlineData("mlp", "width", "wide", "model.width")]
    [InlineData("mlp", "width", "0", "model.width")]
    [InlineData("mlp", "train.lr", "-1", "model.train.lr")]
    [InlineData("mlp", "train.lr", "0", "model.train.lr")] // "positive" is strict
    [InlineData("mlp", "train.loss", "ddsm", "model.train.loss")]
    [InlineData("mlp", "train.weighting", "snr2", "model.train.weighting")]
    [InlineData("mlp", "train.t_sampling", "beta", "model.train.t_sampling")]
    [InlineData("mlp", "train.cosine", "maybe", "model.train.cosine")]
    [InlineData("mlp", "train.ema", "1.5", "model.train.ema")]
    [InlineData("mlp", "train.min_lr", "0.5", "model.train.min_lr")]
    [InlineData("mlp", "train.beta1", "1", "model.train.beta1")]
    [InlineData("mlp", "train.lr", "NaN", "model.train.lr")]
    [InlineData("mlp", "train.threads", "0", "model.train.threads")]
    [InlineData("ebm", "output", "eps", "model.output")]
    [InlineData("cnn", "width", "8", "model.kind")]
    public void ErrorsNameTheDottedKey(string kind, string key, string value, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => NeuralModelSettings.Bind(kind, new Dictionary<string, string> { [key] = value }));
        Assert.Equal(expected, e.ParamName);
    }

    [Fact]
    public void EveryDocumentedDefaultIsTheOptionsDefault()
    {
        // The default in each key's description is read from TrainingOptions: binding it back changes nothing.
        var defaults = new TrainingOptions();
        foreach (var key in NeuralModelSettings.Keys)
        {
            var open = key.Description.LastIndexOf('(');
            var text = key.Description[(open + 1)..^1];
            Assert.Equal(defaults, NeuralModelSettings.Bind("mlp", new Dictionary<string, string> { [key.Name] = text }));
        }
    }

    [Fact]
    public void CoreObjectivesAcceptNeuralModelsAndAgreeWithTheLosses()
    {
        // The model is its own IScoreDivergence: the core's J_ISM (001 eq 9; Hyvärinen 2005, Thm 1) on the perturbed points
        // equals the tape loss.
        var sde = new OuSde();
        var data = new IsotropicGaussian([0.3, 0.2], 0.8);
        var model = new MlpScoreModel(2, new ModelOptions().WithWidth(16).WithOutput(Prediction.Epsilon), sde);
        var x0 = new Batch(50, 2);
        data.Sample(x0, new NoiseSource(1), 0);
        var batch = new LossBatch(x0, Enumerable.Repeat(0.3, 50).ToArray(), Enumerable.Repeat(1.0, 50).ToArray(), sde, new NoiseSource(2), 0, 0)
            { ExactScore = data.NoisedScore(sde) };
        var xt = PerturbedSamples.Draw(new Tape(), batch, false).X.AsBatch().Clone();
        var w = Enumerable.Repeat(1.0 / 50, 50).ToArray();
        var coreIsm = ImplicitScoreMatchingObjective.Evaluate(model, model, 0.3, xt, w);
        var tapeIsm = new ImplicitScoreMatchingLoss().Loss(new Tape(), model, batch).Scalar;
        Assert.Equal(coreIsm, tapeIsm, 1e-10 * Math.Abs(coreIsm));
        var coreEsm = ExplicitScoreMatchingObjective.Evaluate(model, data.NoisedScore(sde), 0.3, xt, w);
        var tapeEsm = new ExplicitScoreMatchingLoss().Loss(new Tape(), model, batch).Scalar;
        Assert.Equal(coreEsm, tapeEsm, 1e-10 * Math.Abs(coreEsm));
    }
}

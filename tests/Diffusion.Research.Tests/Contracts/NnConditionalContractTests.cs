using Diffusion.Research.Conditional;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Conditional;
using Diffusion.Research.Nn.Losses;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

using static Diffusion.Research.Tests.Contracts.NnFixtures;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of src/Diffusion.Research.Nn/Conditional.</summary>
public class NnConditionalContractTests
{
    private static readonly VpSde Kernel = VpSde.Linear();

    [Fact]
    public void NoisyClassifier_checks_its_arguments()
    {
        Contract.Guard("classes", () => _ = new NoisyClassifier(2, 1, Small()));
        Contract.Guard("classes", () => _ = new NoisyClassifier(2, 0, Small()));
        var classifier = new NoisyClassifier(2, 2, Small());
        Assert.Equal(2, classifier.Classes);

        var tape = new Tape();
        var x = tape.Constant(Points(3, 2));
        Contract.Null("tape", () => classifier.LogProbability(null!, x, classifier.Network.EmbedTimes(tape, [0.37, 0.37, 0.37]), tape.Constant(3, 2)));

        var xb = Points(3, 2);
        Contract.Refused<ArgumentException>("destination", "Batch 'destination' is 3 x 3, expected 3 x 2.", () => classifier.LogProbabilityGradient(0.37, 1, xb, new Batch(3, 3)));
        Contract.Refused<ArgumentOutOfRangeException>("label", "The class must be in [0, 2).", () => classifier.LogProbabilityGradient(0.37, 2, xb, new Batch(3, 2)));
        Contract.Refused<ArgumentOutOfRangeException>("label", "The class must be in [0, 2).", () => classifier.LogProbabilityGradient(0.37, -1, xb, new Batch(3, 2)));
        var g = new Batch(3, 2);
        classifier.LogProbabilityGradient(0.37, 1, xb, g);
        Assert.All(g.Values.ToArray(), v => Assert.True(double.IsFinite(v)));
        classifier.LogProbabilityGradient(0.37, 0, xb, g);
        Assert.NotEqual(0.0, g.Values[0]);
    }

    [Fact]
    public void NoisyClassifierTrainer_checks_its_arguments()
    {
        var data = LabelledMixture.TwoClasses();
        var c = new NoisyClassifier(2, 2, Small());
        var noise = new NoiseSource(5);
        Contract.Null("classifier", () => NoisyClassifierTrainer.Train(null!, data, Kernel, 0.01, 1, 1, 1, 1e-3, noise));
        Contract.Null("data", () => NoisyClassifierTrainer.Train(c, null!, Kernel, 0.01, 1, 1, 1, 1e-3, noise));
        Contract.Null("kernel", () => NoisyClassifierTrainer.Train(c, data, null!, 0.01, 1, 1, 1, 1e-3, noise));
        Contract.Guard("steps", () => NoisyClassifierTrainer.Train(c, data, Kernel, 0.01, 1, 0, 1, 1e-3, noise));
        Contract.Guard("batch", () => NoisyClassifierTrainer.Train(c, data, Kernel, 0.01, 1, 1, 0, 1e-3, noise));
        Contract.Refused<ArgumentException>("classifier", "The classifier has 3 classes, the data 2.",
            () => NoisyClassifierTrainer.Train(new NoisyClassifier(2, 3, Small()), data, Kernel, 0.01, 1, 1, 1, 1e-3, noise));
        foreach (var bad in new[] { 0.0, -0.25, 1.0, 2.5, double.NaN })
            Contract.Refused<ArgumentOutOfRangeException>("tEpsilon", "Need 0 < t_eps < T.", () => NoisyClassifierTrainer.Train(c, data, Kernel, bad, 1, 1, 1, 1e-3, noise));
        Assert.True(double.IsFinite(NoisyClassifierTrainer.Train(c, data, Kernel, 1e-9, 1, 1, 1, 1e-3, noise)));
        Assert.True(double.IsFinite(NoisyClassifierTrainer.Train(c, data, Kernel, 0.999, 1, 1, 1, 1e-3, noise)));
    }

    [Fact]
    public void ConditionalMlpScoreModel_constructor_checks_its_arguments()
    {
        Contract.Null("options", () => _ = new ConditionalMlpScoreModel(2, 2, null!, Kernel));
        // The options are validated first (before the dimension).
        Contract.Guard("Width", () => _ = new ConditionalMlpScoreModel(0, 2, Small() with { Width = 0 }, Kernel));
        Contract.Guard("dimension", () => _ = new ConditionalMlpScoreModel(0, 2, Small(), Kernel));
        Contract.Guard("dimension", () => _ = new ConditionalMlpScoreModel(-1, 2, Small(), Kernel));
        Contract.Guard("classes", () => _ = new ConditionalMlpScoreModel(2, 0, Small(), Kernel));
        Assert.Equal(1, new ConditionalMlpScoreModel(1, 2, Small(), Kernel).Dimension);
        Assert.Equal(1, new ConditionalMlpScoreModel(2, 1, Small(), Kernel).Classes);
        Contract.Refused<ArgumentException>("kernel", "Output Epsilon is converted to a score through the kernel, and none was given.",
            () => _ = new ConditionalMlpScoreModel(2, 2, Small(Prediction.Epsilon), null));
        Contract.Refused<ArgumentException>("kernel", "Output Velocity is converted to a score through the kernel, and none was given.",
            () => _ = new ConditionalMlpScoreModel(2, 2, Small(Prediction.Velocity), null));
        Assert.Null(new ConditionalMlpScoreModel(2, 2, Small(), null).Kernel);
        Assert.Same(Kernel, new ConditionalMlpScoreModel(2, 2, Small(Prediction.Epsilon), Kernel).Kernel);
    }

    [Fact]
    public void ConditionalMlpScoreModel_Predict_checks_its_arguments()
    {
        var model = new ConditionalMlpScoreModel(2, 2, Small(), null);
        var tape = new Tape();
        var x = tape.Constant(Points(3, 2));
        var times = tape.Constant(3, 1, 0.37);
        var oneHot = tape.Constant(3, 3);
        Contract.Null("tape", () => model.Predict(null!, x, times, oneHot));
        Contract.Null("x", () => model.Predict(tape, null!, times, oneHot));
        Contract.Null("times", () => model.Predict(tape, x, null!, oneHot));
        Contract.Null("oneHot", () => model.Predict(tape, x, times, null!));
        Contract.Refused<ArgumentException>("times", "Times must be 3 x 1, got 3 x 2.", () => model.Predict(tape, x, tape.Constant(3, 2, 0.37), oneHot));
        Contract.Refused<ArgumentException>("times", "Times must be 3 x 1, got 2 x 1.", () => model.Predict(tape, x, tape.Constant(2, 1, 0.37), oneHot));
        Contract.Refused<ArgumentException>("oneHot", "Classes must be 3 x 3, got 3 x 2.", () => model.Predict(tape, x, times, tape.Constant(3, 2)));
        Contract.Refused<ArgumentException>("oneHot", "Classes must be 3 x 3, got 2 x 3.", () => model.Predict(tape, x, times, tape.Constant(2, 3)));
        var y = model.Predict(tape, x, times, oneHot);
        Assert.Equal((3, 2), (y.Rows, y.Columns));
    }

    [Fact]
    public void ConditionalMlpScoreModel_Score_and_ForClass_check_the_label()
    {
        var model = new ConditionalMlpScoreModel(2, 2, Small(), null);
        var x = Points(3, 2);
        Contract.Refused<ArgumentException>("destination", "Batch 'destination' is 3 x 3, expected 3 x 2.", () => model.Score(1, 0.37, x, new Batch(3, 3)));
        Contract.Refused<ArgumentException>("x", "x has dimension 3, the model 2.", () => model.Score(1, 0.37, Points(3, 3), new Batch(3, 3)));
        Contract.Refused<ArgumentOutOfRangeException>("label", "The class must be in [0, 2] (2: null).", () => model.Score(3, 0.37, x, new Batch(3, 2)));
        Contract.Refused<ArgumentOutOfRangeException>("label", "The class must be in [0, 2] (2: null).", () => model.Score(-1, 0.37, x, new Batch(3, 2)));
        var d = new Batch(3, 2);
        model.Score(2, 0.37, x, d);
        Assert.True(double.IsFinite(d.Values[0]));
        model.Score(0, 0.37, x, d);
        Assert.True(double.IsFinite(d.Values[0]));

        Contract.Refused<ArgumentOutOfRangeException>("label", "The class must be in [0, 2] (2: null).", () => model.ForClass(3));
        Contract.Refused<ArgumentOutOfRangeException>("label", "The class must be in [0, 2] (2: null).", () => model.ForClass(-1));
        Assert.NotNull(model.ForClass(2));
        Assert.NotNull(model.ForClass(0));
        Assert.NotNull(model.Unconditional);
    }

    [Fact]
    public void A_class_bound_view_refuses_tape_free_sampling()
    {
        var model = new ConditionalMlpScoreModel(2, 2, Small(), null);
        var tape = new Tape();
        var view = model.WithClasses(tape.Constant(3, 3));
        var e = Assert.Throws<NotSupportedException>(() => view.Score(0.37, Points(3, 2), new Batch(3, 2)));
        Assert.Equal("A class-bound view is for training; sample with ConditionalMlpScoreModel.ForClass.", e.Message);
    }

    [Fact]
    public void ConditionalScoreModelTrainer_checks_its_arguments()
    {
        var data = LabelledMixture.TwoClasses();
        var m = new ConditionalMlpScoreModel(2, 2, Small(), Kernel);
        var loss = new DenoisingScoreMatchingLoss(Prediction.Score);
        var sampling = new UniformTimeSampling(0.01, 1);
        var w = new UniformWeighting();
        var noise = new NoiseSource(5);
        Contract.Null("model", () => ConditionalScoreModelTrainer.Train(null!, data, Kernel, loss, sampling, w, 1, 1, 1e-3, 0.2, 1, noise));
        Contract.Null("data", () => ConditionalScoreModelTrainer.Train(m, null!, Kernel, loss, sampling, w, 1, 1, 1e-3, 0.2, 1, noise));
        Contract.Null("kernel", () => ConditionalScoreModelTrainer.Train(m, data, null!, loss, sampling, w, 1, 1, 1e-3, 0.2, 1, noise));
        Contract.Null("loss", () => ConditionalScoreModelTrainer.Train(m, data, Kernel, null!, sampling, w, 1, 1, 1e-3, 0.2, 1, noise));
        Contract.Null("sampling", () => ConditionalScoreModelTrainer.Train(m, data, Kernel, loss, null!, w, 1, 1, 1e-3, 0.2, 1, noise));
        Contract.Null("weighting", () => ConditionalScoreModelTrainer.Train(m, data, Kernel, loss, sampling, null!, 1, 1, 1e-3, 0.2, 1, noise));
        Contract.Guard("steps", () => ConditionalScoreModelTrainer.Train(m, data, Kernel, loss, sampling, w, 0, 1, 1e-3, 0.2, 1, noise));
        Contract.Guard("batch", () => ConditionalScoreModelTrainer.Train(m, data, Kernel, loss, sampling, w, 1, 0, 1e-3, 0.2, 1, noise));
        Contract.Guard("threads", () => ConditionalScoreModelTrainer.Train(m, data, Kernel, loss, sampling, w, 1, 1, 1e-3, 0.2, 0, noise));
        foreach (var bad in new[] { 0.0, -0.25, double.NaN, double.PositiveInfinity })
            Contract.Refused<ArgumentOutOfRangeException>("learningRate", "Need a positive learning rate.",
                () => ConditionalScoreModelTrainer.Train(m, data, Kernel, loss, sampling, w, 1, 1, bad, 0.2, 1, noise));
        foreach (var bad in new[] { -0.25, 1.5, double.NaN })
            Contract.Refused<ArgumentOutOfRangeException>("unconditionalProbability", "Need 0 <= p_uncond <= 1.",
                () => ConditionalScoreModelTrainer.Train(m, data, Kernel, loss, sampling, w, 1, 1, 1e-3, bad, 1, noise));
        Contract.Refused<ArgumentException>("model", "The model has 3 classes, the data 2.",
            () => ConditionalScoreModelTrainer.Train(new ConditionalMlpScoreModel(2, 3, Small(), Kernel), data, Kernel, loss, sampling, w, 1, 1, 1e-3, 0.2, 1, noise));
        Contract.Refused<ArgumentException>("model", "The model has dimension 3, the data 2.",
            () => ConditionalScoreModelTrainer.Train(new ConditionalMlpScoreModel(3, 2, Small(), Kernel), data, Kernel, loss, sampling, w, 1, 1, 1e-3, 0.2, 1, noise));
        // The boundaries are accepted: one step of one particle on one thread, p_uncond 0 and 1, a tiny positive rate.
        Assert.True(double.IsFinite(ConditionalScoreModelTrainer.Train(m, data, Kernel, loss, sampling, w, 1, 1, 1e-300, 0.0, 1, noise).TailLoss));
        Assert.True(double.IsFinite(ConditionalScoreModelTrainer.Train(m, data, Kernel, loss, sampling, w, 1, 1, 2.5e-3, 1.0, 1, noise).TailLoss));
    }
}

/// <summary>Every argument check of src/Diffusion.Research.Nn/Likelihood.</summary>
public class NnLikelihoodContractTests
{
    [Fact]
    public void NeuralScoreDivergence_checks_its_arguments()
    {
        Contract.Null("model", () => _ = new Diffusion.Research.Nn.Likelihood.NeuralScoreDivergence(null!));
        var model = new MlpScoreModel(2, new ModelOptions().WithWidth(4).WithHiddenLayers(1).WithOutput(Prediction.Score), null);
        var divergence = new Diffusion.Research.Nn.Likelihood.NeuralScoreDivergence(model);
        var x = new Batch(3, 2);
        x.Values.Fill(0.37);
        Contract.Refused<ArgumentException>("destination", "Destination holds 2 values for 3 particles.", () => divergence.Divergence(0.37, x, new double[2]));
        Contract.Refused<ArgumentException>("x", "x has dimension 3, the model 2.", () => divergence.Divergence(0.37, new Batch(3, 3), new double[3]));
        var exact = new double[3];
        divergence.Divergence(0.37, x, exact);
        Assert.All(exact, v => Assert.True(double.IsFinite(v) && v != 0));
        var longer = new double[4];
        divergence.Divergence(0.37, x, longer);
        Assert.Equal(exact, longer[..3]);
        Assert.Equal(0.0, longer[3]);
    }
}

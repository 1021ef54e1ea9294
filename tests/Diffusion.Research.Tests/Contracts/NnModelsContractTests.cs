using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

using static Diffusion.Research.Tests.Contracts.NnFixtures;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of src/Diffusion.Research.Nn/Models.</summary>
public class NnModelsContractTests
{
    private static readonly VpSde Vp = VpSde.Linear();

    [Fact]
    public void ModelOptions_Validate_checks_every_field()
    {
        var ok = Small();
        ok.Validate();
        Contract.Refused<ArgumentOutOfRangeException>("Kind", "Unknown model kind.", () => (ok with { Kind = (ModelKind)9 }).Validate());
        Contract.Guard("Width", () => (ok with { Width = 0 }).Validate());
        Contract.Guard("HiddenLayers", () => (ok with { HiddenLayers = 0 }).Validate());
        Contract.Refused<ArgumentOutOfRangeException>("Activation", "Unknown activation.", () => (ok with { Activation = (Activation)9 }).Validate());
        Contract.Refused<ArgumentOutOfRangeException>("Embedding", "Unknown embedding.", () => (ok with { Embedding = (TimeEmbeddingKind)9 }).Validate());
        Contract.Guard("EmbeddingFrequencies", () => (ok with { EmbeddingFrequencies = 0 }).Validate());
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity })
            Contract.Refused<ArgumentOutOfRangeException>("FourierScale", "Must be positive and finite.", () => (ok with { FourierScale = bad }).Validate());
        Contract.Refused<ArgumentOutOfRangeException>("Output", "Unknown prediction.", () => (ok with { Output = (Prediction)9 }).Validate());
        (ok with { Kind = ModelKind.Energy, Width = 1, HiddenLayers = 1, Activation = Activation.Softplus, Embedding = TimeEmbeddingKind.GaussianFourier,
            EmbeddingFrequencies = 1, FourierScale = 1e-300, Output = Prediction.Velocity }).Validate();
    }

    [Fact]
    public void TimeEmbedding_checks_its_arguments()
    {
        var noise = new NoiseSource(3);
        Contract.Guard("features", () => _ = new TimeEmbedding(TimeEmbeddingKind.Sinusoidal, 0, 1.0, noise));
        Assert.Equal(2, new TimeEmbedding(TimeEmbeddingKind.Sinusoidal, 1, 1.0, noise).Size);
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity })
            Contract.Refused<ArgumentOutOfRangeException>("fourierScale", "The Fourier scale must be positive and finite.",
                () => _ = new TimeEmbedding(TimeEmbeddingKind.GaussianFourier, 2, bad, noise));
        Assert.Equal(4, new TimeEmbedding(TimeEmbeddingKind.GaussianFourier, 2, 1e-300, noise).Size);
        Contract.Refused<ArgumentOutOfRangeException>("kind", "Unknown embedding.", () => _ = new TimeEmbedding((TimeEmbeddingKind)9, 2, 1.0, noise));

        var e = new TimeEmbedding(TimeEmbeddingKind.Sinusoidal, 2, 1.0, noise);
        Contract.Refused<ArgumentException>("destination", "Destination has 3 entries, the embedding 4.", () => e.Embed(0.37, new double[3]));
        Contract.Refused<ArgumentException>("destination", "Destination has 5 entries, the embedding 4.", () => e.Embed(0.37, new double[5]));
        var d = new double[4];
        e.Embed(0.37, d);
        Assert.Equal(Math.Cos(1000.0 * 0.37), d[2], 12);
    }

    [Fact]
    public void MlpNetwork_constructor_checks_its_arguments()
    {
        Contract.Null("options", () => _ = new MlpNetwork(2, 1, null!));
        Contract.Guard("Width", () => _ = new MlpNetwork(0, 1, Small() with { Width = 0 })); // options first
        Contract.Guard("inputs", () => _ = new MlpNetwork(0, 1, Small()));
        Contract.Guard("outputs", () => _ = new MlpNetwork(2, 0, Small()));
        // The models name their own dimension; the network names the time features it is given.
        Contract.Guard("dimension", () => _ = new MlpScoreModel(0, Small(), null));
        Contract.Guard("dimension", () => _ = new EnergyScoreModel(0, Small() with { Kind = ModelKind.Energy }));
        Contract.Guard("dimension", () => _ = new Diffusion.Research.Nn.Conditional.NoisyClassifier(0, 2, Small()));
        var network = new MlpNetwork(2, 1, Small());
        var tape = new Tape();
        var x = tape.Constant(3, 2, 0.37);
        Contract.Null("timeFeatures", () => network.Forward(tape, x, null!));
        Contract.Refused<ArgumentException>("timeFeatures", "timeFeatures has 2 rows, x has 3.", () => network.Forward(tape, x, network.EmbedTimes(tape, [0.3, 0.5])));
        Assert.Equal(3, network.Forward(tape, x, network.EmbedTimes(tape, [0.3, 0.5, 0.7])).Rows);
        var n = new MlpNetwork(1, 1, Small());
        Assert.Equal((1, 1), (n.Inputs, n.Outputs));
    }

    [Fact]
    public void MlpNetwork_Forward_and_EmbedTimes_check_their_arguments()
    {
        var n = new MlpNetwork(2, 1, Small());
        var tape = new Tape();
        Contract.Null("tape", () => n.EmbedTimes(null!, [0.37]));
        var times = n.EmbedTimes(tape, [0.37, 0.37, 0.37]);
        Contract.Null("tape", () => n.Forward(null!, tape.Constant(3, 2, 0.37), times));
        Contract.Null("x", () => n.Forward(tape, null!, times));
        Contract.Refused<ArgumentException>("x", "x has 3 columns, the network takes 2.", () => n.Forward(tape, tape.Constant(3, 3, 0.37), times));
        Contract.Refused<ArgumentException>("x", "x has 1 columns, the network takes 2.", () => n.Forward(tape, tape.Constant(3, 1, 0.37), times));
        Assert.Equal((3, 1), (n.Forward(tape, tape.Constant(3, 2, 0.37), times).Rows, 1));
    }

    [Fact]
    public void MlpNetwork_Evaluate_checks_its_arguments()
    {
        var n = new MlpNetwork(2, 1, Small());
        var x = Points(3, 2);
        Contract.Refused<ArgumentException>("x", "x has dimension 3, the network takes 2.", () => n.Evaluate(0.37, Points(3, 3), new double[3]));
        Contract.Refused<ArgumentException>("output", "Output has 2 entries, 3 expected.", () => n.Evaluate(0.37, x, new double[2]));
        Contract.Refused<ArgumentException>("output", "Output has 4 entries, 3 expected.", () => n.Evaluate(0.37, x, new double[4]));
        Contract.Refused<ArgumentException>("inputGradient", "Batch 'inputGradient' is 3 x 3, expected 3 x 2.", () => n.Evaluate(0.37, x, new double[3], new Batch(3, 3)));
        var g = new Batch(3, 2);
        n.Evaluate(0.37, x, new double[3], g);
        Assert.NotEqual(0.0, g.Values[0]);

        var two = new MlpNetwork(2, 2, Small());
        Contract.Invalid("Input gradients are implemented for scalar outputs (energies) only.", () => two.Evaluate(0.37, x, new double[6], new Batch(3, 2)));
        var o = new double[6];
        two.Evaluate(0.37, x, o);
        Assert.NotEqual(0.0, o[5]);
    }

    [Fact]
    public void MlpScoreModel_checks_its_arguments()
    {
        Contract.Null("options", () => _ = new MlpScoreModel(2, null!, Vp));
        Contract.Guard("Width", () => _ = new MlpScoreModel(2, Small().WithKind(ModelKind.Energy) with { Width = 0 }, Vp)); // options first
        Contract.Refused<ArgumentException>("options", "An MlpScoreModel needs Kind = Mlp, got Energy.", () => _ = new MlpScoreModel(2, Small().WithKind(ModelKind.Energy), Vp));
        Contract.Refused<ArgumentException>("kernel", "Output Epsilon is converted to a score through the kernel, and none was given (use an SDE with a closed-form kernel).",
            () => _ = new MlpScoreModel(2, Small(Prediction.Epsilon), null));
        Contract.Refused<ArgumentException>("kernel", "Output Data is converted to a score through the kernel, and none was given (use an SDE with a closed-form kernel).",
            () => _ = new MlpScoreModel(2, Small(Prediction.Data), null));
        Assert.Null(new MlpScoreModel(2, Small(), null).Kernel);
        Assert.Same(Vp, new MlpScoreModel(2, Small(Prediction.Epsilon), Vp).Kernel);

        var model = new MlpScoreModel(2, Small(Prediction.Epsilon), Vp);
        var tape = new Tape();
        var x = tape.Constant(Points(3, 2));
        Contract.Null("tape", () => model.Predict(null!, x, tape.Constant(3, 1, 0.37)));
        Contract.Null("times", () => model.Predict(tape, x, null!));
        Contract.Null("x", () => model.Predict(tape, null!, tape.Constant(3, 1, 0.37)));
        Contract.Refused<ArgumentException>("times", "Times must be 3 x 1, got 3 x 2.", () => model.Predict(tape, x, tape.Constant(3, 2, 0.37)));
        Contract.Refused<ArgumentException>("times", "Times must be 3 x 1, got 2 x 1.", () => model.Score(tape, x, tape.Constant(2, 1, 0.37)));
        Assert.Equal(3, model.Score(tape, x, tape.Constant(3, 1, 0.37)).Rows);

        var xb = Points(3, 2);
        Contract.Refused<ArgumentException>("destination", "Batch 'destination' is 3 x 3, expected 3 x 2.", () => model.Score(0.37, xb, new Batch(3, 3)));
        Contract.Refused<ArgumentException>("destination", "Batch 'destination' is 2 x 2, expected 3 x 2.", () => model.Predict(0.37, xb, new Batch(2, 2)));
        var d = new Batch(3, 2);
        model.Score(0.37, xb, d);
        model.Predict(0.37, xb, d);
        Assert.True(double.IsFinite(d.Values[0]));
    }

    [Fact]
    public void EnergyScoreModel_checks_its_arguments()
    {
        var energy = Small().WithKind(ModelKind.Energy);
        Contract.Null("options", () => _ = new EnergyScoreModel(2, null!));
        Contract.Guard("Width", () => _ = new EnergyScoreModel(2, Small() with { Width = 0 })); // options first
        Contract.Refused<ArgumentException>("options", "An EnergyScoreModel needs Kind = Energy, got Mlp.", () => _ = new EnergyScoreModel(2, Small()));
        var model = new EnergyScoreModel(2, energy);
        Assert.Equal(2, model.Dimension);

        var tape = new Tape();
        var x = tape.Variable(Points(3, 2));
        var times = tape.Constant(3, 1, 0.37);
        Contract.Null("tape", () => model.Energy(null!, x, times));
        Contract.Null("times", () => model.Energy(tape, x, null!));
        Contract.Null("x", () => model.Energy(tape, null!, times));
        Contract.Refused<ArgumentException>("times", "Times must be 3 x 1, got 3 x 2.", () => model.Energy(tape, x, tape.Constant(3, 2, 0.37)));
        Contract.Refused<ArgumentException>("times", "Times must be 3 x 1, got 2 x 1.", () => model.Energy(tape, x, tape.Constant(2, 1, 0.37)));
        Assert.Equal((3, 1), (model.Energy(tape, x, times).Rows, model.Energy(tape, x, times).Columns));
        Contract.Null("tape", () => model.Score(null!, x, times));
        Contract.Null("x", () => model.Score(tape, null!, times));
        Assert.Equal(2, model.Score(tape, tape.Constant(Points(3, 2)), times).Columns);

        var xb = Points(3, 2);
        Contract.Refused<ArgumentException>("destination", "Batch 'destination' is 3 x 3, expected 3 x 2.", () => model.Score(0.37, xb, new Batch(3, 3)));
        var d = new Batch(3, 2);
        model.Score(0.37, xb, d);
        Assert.True(double.IsFinite(d.Values[0]));
    }

    [Fact]
    public void NeuralScoreModels_check_their_arguments()
    {
        Contract.Null("options", () => NeuralScoreModels.Create(null!, 2, Vp));
        // An unknown kind is refused by the validation of the options, before the switch.
        Contract.Refused<ArgumentOutOfRangeException>("Kind", "Unknown model kind.", () => NeuralScoreModels.Create(Small() with { Kind = (ModelKind)9 }, 2, Vp));
        Assert.IsType<EnergyScoreModel>(NeuralScoreModels.Create(Small().WithKind(ModelKind.Energy), 2, Vp));
        var model = NeuralScoreModels.Create(Small(), 2, Vp);
        Assert.IsType<MlpScoreModel>(model);

        var values = model.Parameters.Select(p => Enumerable.Repeat(0.37, p.Length).ToArray()).ToList();
        Contract.Null("model", () => NeuralScoreModels.Load(null!, values));
        Contract.Null("values", () => NeuralScoreModels.Load(model, null!));
        var count = model.Parameters.Count;
        Contract.Refused<ArgumentException>("values", $"{count - 1} arrays for {count} parameters.", () => NeuralScoreModels.Load(model, values.Skip(1).ToList()));
        Contract.Refused<ArgumentException>("values", $"{count + 1} arrays for {count} parameters.", () => NeuralScoreModels.Load(model, [.. values, new double[1]]));
        var first = model.Parameters[0];
        var shorter = values.ToList();
        shorter[0] = new double[first.Length - 1];
        Contract.Refused<ArgumentException>("values", $"Parameter {first.Name} has {first.Length} values, got {first.Length - 1}.", () => NeuralScoreModels.Load(model, shorter));
        var last = model.Parameters[count - 1];
        var longer = values.ToList();
        longer[count - 1] = new double[last.Length + 1];
        Contract.Refused<ArgumentException>("values", $"Parameter {last.Name} has {last.Length} values, got {last.Length + 1}.", () => NeuralScoreModels.Load(model, longer));
        NeuralScoreModels.Load(model, values);
        Assert.All(model.Parameters, p => Assert.Equal(0.37, p.Values[0]));
    }
}

using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of Scores/: the refused value (type, parameter name, message) and the accepted value
/// at the boundary.</summary>
public class ScoresObjectiveContractTests
{
    private static readonly AffineScoreField Field = new(new[,] { { -0.37, 0.25 }, { 0.5, -2.5 } }, new[] { 0.25, -0.5 });

    private static Batch Points(int count, int dimension = 2)
    {
        var b = new Batch(count, dimension);
        for (var i = 0; i < b.Length; i++) b.Values[i] = 0.37 * (i + 1) - 0.5;
        return b;
    }

    [Fact]
    public void ExplicitFromScoresRefusesShapeAndWeightMismatches()
    {
        var shape = Assert.Throws<ArgumentException>(() => ExplicitScoreMatchingObjective.Evaluate(Points(3), Points(2), new[] { 0.37, 0.25, 2.5 }));
        Assert.Equal("targetScore", shape.ParamName);
        Assert.StartsWith("Batch 'targetScore' is 2 x 2, expected 3 x 2.", shape.Message, StringComparison.Ordinal);
        var count = Assert.Throws<ArgumentException>(() => ExplicitScoreMatchingObjective.Evaluate(Points(3), Points(3), new[] { 0.37, 0.25 }));
        Assert.Equal("weights", count.ParamName);
        Assert.StartsWith("2 weights given for 3 points.", count.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentException>(() => ExplicitScoreMatchingObjective.Evaluate(Points(3), Points(3), new[] { 0.37, double.NaN, 2.5 }));
        Assert.Equal("weights", nan.ParamName);
        Assert.StartsWith($"Weight 1 is {double.NaN}.", nan.Message, StringComparison.Ordinal);
        var infinite = Assert.Throws<ArgumentException>(() =>
            ExplicitScoreMatchingObjective.Evaluate(Points(3), Points(3), new[] { 0.37, 0.25, double.NegativeInfinity }));
        Assert.StartsWith($"Weight 2 is {double.NegativeInfinity}.", infinite.Message, StringComparison.Ordinal);

        Assert.Equal(0.0, ExplicitScoreMatchingObjective.Evaluate(Points(3), Points(3), new[] { 0.37, -0.25, 2.5 }));
    }

    [Fact]
    public void ExplicitFromModelsRefusesNullsAndBadWeights()
    {
        var x = Points(3);
        double[] w = [0.37, 0.25, 2.5];
        IScoreModel? noModel = null;
        IScoreModel? noScore = null;
        IDistribution? noDistribution = null;
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => ExplicitScoreMatchingObjective.Evaluate(noModel!, Field, 0.37, x, w)).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(() => ExplicitScoreMatchingObjective.Evaluate(Field, noScore!, 0.37, x, w)).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() =>
            ExplicitScoreMatchingObjective.Evaluate(noModel!, Gaussian.Standard(2), 0.37, x, w)).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(() =>
            ExplicitScoreMatchingObjective.Evaluate(Field, noDistribution!, 0.37, x, w)).ParamName);
        var count = Assert.Throws<ArgumentException>(() => ExplicitScoreMatchingObjective.Evaluate(Field, Field, 0.37, x, new[] { 0.37 }));
        Assert.Equal("weights", count.ParamName);
        Assert.StartsWith("1 weights given for 3 points.", count.Message, StringComparison.Ordinal);

        Assert.Equal(0.0, ExplicitScoreMatchingObjective.Evaluate(Field, Field, 0.37, x, w));
        Assert.True(ExplicitScoreMatchingObjective.Evaluate(Field, Gaussian.Standard(2), 0.37, x, w) > 0);
    }

    [Fact]
    public void ImplicitRefusesNullsAndCountMismatches()
    {
        var x = Points(3);
        double[] w = [0.37, 0.25, 2.5];
        var divergence = Assert.Throws<ArgumentException>(() => ImplicitScoreMatchingObjective.Evaluate(x, new[] { 0.37, 0.25 }, w));
        Assert.Equal("divergence", divergence.ParamName);
        Assert.StartsWith("2 divergences given for 3 points.", divergence.Message, StringComparison.Ordinal);
        var weights = Assert.Throws<ArgumentException>(() => ImplicitScoreMatchingObjective.Evaluate(x, new[] { 0.37, 0.25, 2.5 }, new[] { 0.37 }));
        Assert.Equal("weights", weights.ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => ImplicitScoreMatchingObjective.Evaluate(null!, Field, 0.37, x, w)).ParamName);
        Assert.Equal("divergence", Assert.Throws<ArgumentNullException>(() => ImplicitScoreMatchingObjective.Evaluate(Field, null!, 0.37, x, w)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => ImplicitScoreMatchingObjective.Evaluate(Field, Field, 0.37, x, new[] { 0.37 })).ParamName);

        Assert.Equal(0.37 * 2.5, ImplicitScoreMatchingObjective.Evaluate(new Batch(1, 2), new[] { 2.5 }, new[] { 0.37 }), 12);
        Assert.True(double.IsFinite(ImplicitScoreMatchingObjective.Evaluate(Field, Field, 0.37, x, w)));
    }

    [Fact]
    public void DenoisingRefusesNullsAndShapeMismatches()
    {
        var kernel = new TransitionKernel(0.37, 0.5);
        double[] w = [0.37, 0.25, 2.5];
        // data of a third shape: without the noisy check the data check (not the kernel's own noisy check) would answer.
        var noisy = Assert.Throws<ArgumentException>(() => DenoisingScoreMatchingObjective.Evaluate(Points(3), Points(2), Points(4), kernel, w));
        Assert.Equal("noisy", noisy.ParamName);
        Assert.StartsWith("Batch 'noisy' is 2 x 2, expected 3 x 2.", noisy.Message, StringComparison.Ordinal);
        var data = Assert.Throws<ArgumentException>(() => DenoisingScoreMatchingObjective.Evaluate(Points(3), Points(3), Points(3, 1), kernel, w));
        Assert.Equal("data", data.ParamName);
        Assert.StartsWith("Batch 'data' is 3 x 1, expected 3 x 2.", data.Message, StringComparison.Ordinal);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() =>
            DenoisingScoreMatchingObjective.Evaluate(Points(3), Points(3), Points(3), kernel, new[] { 0.37 })).ParamName);

        var sde = VpSde.Linear();
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() =>
            DenoisingScoreMatchingObjective.Evaluate(null!, sde, 0.37, Points(3), Points(3), w)).ParamName);
        // Mismatched batches as well: the null kernel is refused before the shapes are (KernelExtensions.At would also
        // refuse it, but only after them).
        Assert.Equal("kernel", Assert.Throws<ArgumentNullException>(() =>
            DenoisingScoreMatchingObjective.Evaluate(Field, null!, 0.37, Points(3), Points(4), w)).ParamName);
        var modelNoisy = Assert.Throws<ArgumentException>(() => DenoisingScoreMatchingObjective.Evaluate(Field, sde, 0.37, Points(3), Points(4), w));
        Assert.Equal("noisy", modelNoisy.ParamName);
        Assert.StartsWith("Batch 'noisy' is 4 x 2, expected 3 x 2.", modelNoisy.Message, StringComparison.Ordinal);
        var modelWeights = Assert.Throws<ArgumentException>(() =>
            DenoisingScoreMatchingObjective.Evaluate(Field, sde, 0.37, Points(3), Points(3), new[] { 0.37, double.PositiveInfinity, 2.5 }));
        Assert.Equal("weights", modelWeights.ParamName);

        Assert.True(DenoisingScoreMatchingObjective.Evaluate(Points(3), Points(3), Points(3), kernel, w) > 0);
        Assert.True(double.IsFinite(DenoisingScoreMatchingObjective.Evaluate(Field, sde, 0.37, Points(3), Points(3), w)));
    }
}

public class ScoresModelContractTests
{
    private static readonly AffineScoreField Field = new(new[,] { { -0.37, 0.25 }, { 0.5, -2.5 } }, new[] { 0.25, -0.5 });

    private sealed class Echo : IPredictionModel
    {
        // No shape check of its own, so that the model's check is the one observed.
        public void Predict(double t, Batch x, Batch destination) => destination.Values.Fill(0.37);
    }

    [Fact]
    public void ExactNoisedScoreRefusesNulls()
    {
        var sde = VpSde.Linear();
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => new ExactNoisedScore(null!, sde)).ParamName);
        Assert.Equal("kernel", Assert.Throws<ArgumentNullException>(() => new ExactNoisedScore(Gaussian.Standard(2), null!)).ParamName);
        Assert.Same(sde, new ExactNoisedScore(Gaussian.Standard(2), sde).Kernel);
    }

    [Fact]
    public void ParametrisedScoreModelRefusesNullsUnknownKindsAndWrongDestinations()
    {
        var sde = VpSde.Linear();
        Assert.Equal("inner", Assert.Throws<ArgumentNullException>(() => new ParametrisedScoreModel(null!, Prediction.Epsilon, sde)).ParamName);
        Assert.Equal("kernel", Assert.Throws<ArgumentNullException>(() => new ParametrisedScoreModel(new Echo(), Prediction.Epsilon, null!)).ParamName);
        var kind = Assert.Throws<ArgumentOutOfRangeException>(() => new ParametrisedScoreModel(new Echo(), (Prediction)4, sde));
        Assert.Equal("kind", kind.ParamName);
        Assert.StartsWith("Unknown prediction kind.", kind.Message, StringComparison.Ordinal);

        var model = new ParametrisedScoreModel(new Echo(), Prediction.Velocity, sde);
        var wrong = Assert.Throws<ArgumentException>(() => model.Score(0.37, new Batch(3, 2), new Batch(3, 1)));
        Assert.Equal("destination", wrong.ParamName);
        Assert.StartsWith("Batch 'destination' is 3 x 1, expected 3 x 2.", wrong.Message, StringComparison.Ordinal);
        var x = Batch.FromRows([[0.37, 2.5]]);
        var s = new Batch(1, 2);
        model.Score(0.37, x, s);
        Assert.True(s.IsFinite());
        Assert.Equal(Prediction.Velocity, model.Kind);
    }

    [Fact]
    public void PerturbedScoreRefusesBadSizes()
    {
        Assert.Equal("exact", Assert.Throws<ArgumentNullException>(() => new PerturbedScore(null!, 0.37, 2, 5)).ParamName);
        foreach (var epsilon in new[] { -0.37, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PerturbedScore(Field, epsilon, 2, 5));
            Assert.Equal("epsilon", e.ParamName);
            Assert.StartsWith("Must be finite and >= 0.", e.Message, StringComparison.Ordinal);
        }
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new PerturbedScore(Field, 0.37, 0, 5)).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentOutOfRangeException>(() => new PerturbedScore(Field, 0.37, 2, 5, features: 0)).ParamName);
        foreach (var lengthScale in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PerturbedScore(Field, 0.37, 2, 5, lengthScale: lengthScale));
            Assert.Equal("lengthScale", e.ParamName);
            Assert.StartsWith("Must be finite and > 0.", e.Message, StringComparison.Ordinal);
        }
        var kind = Assert.Throws<ArgumentOutOfRangeException>(() => new PerturbedScore(Field, 0.37, 2, 5, (PerturbationKind)2));
        Assert.Equal("kind", kind.ParamName);
        Assert.StartsWith("Unknown perturbation kind.", kind.Message, StringComparison.Ordinal);

        Assert.Equal(0.0, new PerturbedScore(Field, 0.0, 2, 5).Epsilon);
        var minimal = new PerturbedScore(new AffineScoreField(new[,] { { -0.37 } }, new[] { 0.25 }), 0.37, 1, 5, PerturbationKind.Relative, 1, double.Epsilon);
        Assert.Equal(1, minimal.Features);
        Assert.Equal(1, minimal.Dimension);
        Assert.Equal(double.Epsilon, minimal.LengthScale);
    }

    [Fact]
    public void PerturbedScoreRefusesPointsOfAnotherDimension()
    {
        var p = new PerturbedScore(Field, 0.37, 2, 5, features: 3, lengthScale: 2.5);
        var e = Assert.Throws<ArgumentException>(() => p.Score(0.37, new Batch(2, 3), new Batch(2, 3)));
        Assert.Equal("x", e.ParamName);
        Assert.StartsWith("Batch 'x' has dimension 3, the perturbation has 2.", e.Message, StringComparison.Ordinal);
        var s = new Batch(2, 2);
        p.Score(0.37, Batch.FromRows([[0.37, 2.5], [0.25, 0.5]]), s);
        Assert.True(s.IsFinite());
    }

    [Fact]
    public void AffineScoreFieldRefusesNullsEmptyAndNonSquareParts()
    {
        Assert.Equal("matrix", Assert.Throws<ArgumentNullException>(() => new AffineScoreField(null!, new[] { 0.37 })).ParamName);
        Assert.Equal("offset", Assert.Throws<ArgumentNullException>(() => new AffineScoreField(new double[1, 1], null!)).ParamName);
        var empty = Assert.Throws<ArgumentException>(() => new AffineScoreField(new double[0, 0], Array.Empty<double>()));
        Assert.Equal("offset", empty.ParamName);
        Assert.StartsWith("The offset must have at least one entry.", empty.Message, StringComparison.Ordinal);
        var rows = Assert.Throws<ArgumentException>(() => new AffineScoreField(new double[3, 2], new[] { 0.37, 2.5 }));
        Assert.Equal("matrix", rows.ParamName);
        Assert.StartsWith("The matrix is 3 x 2, expected 2 x 2.", rows.Message, StringComparison.Ordinal);
        var columns = Assert.Throws<ArgumentException>(() => new AffineScoreField(new double[2, 1], new[] { 0.37, 2.5 }));
        Assert.Equal("matrix", columns.ParamName);
        Assert.StartsWith("The matrix is 2 x 1, expected 2 x 2.", columns.Message, StringComparison.Ordinal);
        var entry = Assert.Throws<ArgumentException>(() => new AffineScoreField(new[,] { { 0.37, 2.5 }, { double.NaN, 0.5 } }, new[] { 0.37, 2.5 }));
        Assert.Equal("matrix", entry.ParamName);
        Assert.StartsWith($"matrix[1, 0] = {double.NaN}.", entry.Message, StringComparison.Ordinal);
        var offset = Assert.Throws<ArgumentException>(() => new AffineScoreField(new[,] { { 0.37, 2.5 }, { 0.25, 0.5 } }, new[] { 0.37, double.PositiveInfinity }));
        Assert.Equal("offset", offset.ParamName);
        Assert.StartsWith($"The offset has a non-finite entry {double.PositiveInfinity}.", offset.Message, StringComparison.Ordinal);

        var one = new AffineScoreField(new[,] { { 0.37 } }, new[] { 2.5 });
        Assert.Equal(1, one.Dimension);
        Assert.Equal(0.37, one.Trace);
    }

    [Fact]
    public void AffineScoreFieldRefusesBatchesOfAnotherShape()
    {
        var x = Assert.Throws<ArgumentException>(() => Field.Score(0.37, new Batch(3, 1), new Batch(3, 1)));
        Assert.Equal("x", x.ParamName);
        Assert.StartsWith("Batch 'x' has dimension 1, the field has 2.", x.Message, StringComparison.Ordinal);
        var destination = Assert.Throws<ArgumentException>(() => Field.Score(0.37, new Batch(3, 2), new Batch(2, 2)));
        Assert.Equal("destination", destination.ParamName);
        Assert.StartsWith("Batch 'destination' is 2 x 2, expected 3 x 2.", destination.Message, StringComparison.Ordinal);
        var divergenceX = Assert.Throws<ArgumentException>(() => Field.Divergence(0.37, new Batch(3, 3), new double[3]));
        Assert.Equal("x", divergenceX.ParamName);
        Assert.StartsWith("Batch 'x' has dimension 3, the field has 2.", divergenceX.Message, StringComparison.Ordinal);
        var divergence = Assert.Throws<ArgumentException>(() => Field.Divergence(0.37, new Batch(3, 2), new double[2]));
        Assert.Equal("destination", divergence.ParamName);
        Assert.StartsWith("Destination has 2 entries, expected 3.", divergence.Message, StringComparison.Ordinal);

        var d = new double[3];
        Field.Divergence(0.37, new Batch(3, 2), d);
        Assert.Equal(-0.37 - 2.5, d[2], 12);
        var s = new Batch(3, 2);
        Field.Score(0.37, new Batch(3, 2), s);
        Assert.Equal(-0.5, s[2, 1]);
    }
}

public class ScoresConversionContractTests
{
    [Theory]
    [InlineData(-0.37)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void MapRefusesNegativeOrNonFiniteKernelValues(double value)
    {
        var alpha = Assert.Throws<ArgumentOutOfRangeException>(() => PredictionConversion.Map(Prediction.Epsilon, Prediction.Score, value, 0.37));
        Assert.Equal("alpha", alpha.ParamName);
        Assert.StartsWith("alpha must be finite and >= 0.", alpha.Message, StringComparison.Ordinal);
        var sigma = Assert.Throws<ArgumentOutOfRangeException>(() => PredictionConversion.Map(Prediction.Epsilon, Prediction.Data, 0.37, value));
        Assert.Equal("sigma", sigma.ParamName);
        Assert.StartsWith("sigma must be finite and >= 0.", sigma.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => PredictionConversion.Map(Prediction.Data, Prediction.Data, value, value));
    }

    [Fact]
    public void MapAcceptsZeroWhereTheKindsAllowIt()
    {
        Assert.Equal(new PredictionMap(0.0, -1 / 0.37), PredictionConversion.Map(Prediction.Epsilon, Prediction.Score, 0.0, 0.37));
        Assert.Equal(new PredictionMap(1 / 0.37, 0.0), PredictionConversion.Map(Prediction.Epsilon, Prediction.Data, 0.37, 0.0));
        Assert.Equal(new PredictionMap(0.0, 1.0), PredictionConversion.Map(Prediction.Velocity, Prediction.Velocity, 0.0, 0.0));
        Assert.Equal(new PredictionMap(0.37 / (0.0 * 0.0 + 0.37 * 0.37), 0.0), PredictionConversion.Map(Prediction.Velocity, Prediction.Epsilon, 0.0, 0.37));
    }

    [Fact]
    public void MapRefusesUnknownKinds()
    {
        var from = Assert.Throws<ArgumentOutOfRangeException>(() => PredictionConversion.Map((Prediction)9, Prediction.Epsilon, 0.37, 2.5));
        Assert.Equal("kind", from.ParamName);
        Assert.StartsWith("Unknown prediction kind.", from.Message, StringComparison.Ordinal);
        var to = Assert.Throws<ArgumentOutOfRangeException>(() => PredictionConversion.Map(Prediction.Epsilon, (Prediction)9, 0.37, 2.5));
        Assert.Equal("kind", to.ParamName);
        Assert.StartsWith("Unknown prediction kind.", to.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapRefusesZeroWhereAKindDividesByIt()
    {
        void Refused(Prediction from, Prediction to, double alpha, double sigma, string name, Prediction through)
        {
            var e = Assert.Throws<ArgumentException>(() => PredictionConversion.Map(from, to, alpha, sigma));
            Assert.Equal(name, e.ParamName);
            Assert.StartsWith($"{name} = {0.0}: converting through the {through} parametrisation needs {name} > 0.", e.Message, StringComparison.Ordinal);
        }

        Refused(Prediction.Score, Prediction.Epsilon, 0.37, 0.0, "sigma", Prediction.Score);
        Refused(Prediction.Data, Prediction.Epsilon, 0.37, 0.0, "sigma", Prediction.Data);
        Refused(Prediction.Epsilon, Prediction.Score, 0.37, 0.0, "sigma", Prediction.Score);
        Refused(Prediction.Epsilon, Prediction.Data, 0.0, 0.37, "alpha", Prediction.Data);
        Refused(Prediction.Epsilon, Prediction.Velocity, 0.0, 0.37, "alpha", Prediction.Velocity);

        var radius = Assert.Throws<ArgumentException>(() => PredictionConversion.Map(Prediction.Velocity, Prediction.Epsilon, 0.0, 0.0));
        Assert.Equal("sigma", radius.ParamName);
        Assert.StartsWith("alpha = sigma = 0: the velocity parametrisation is undefined.", radius.Message, StringComparison.Ordinal);

        Assert.Equal(new PredictionMap(0.0, -0.37), PredictionConversion.Map(Prediction.Score, Prediction.Epsilon, 2.5, 0.37));
        Assert.Equal(new PredictionMap(1 / 0.37, -2.5 / 0.37), PredictionConversion.Map(Prediction.Data, Prediction.Epsilon, 2.5, 0.37));
        Assert.Equal(new PredictionMap(0.0, -1 / 0.37), PredictionConversion.Map(Prediction.Epsilon, Prediction.Score, 2.5, 0.37));
        Assert.Equal(new PredictionMap(1 / 0.37, -2.5 / 0.37), PredictionConversion.Map(Prediction.Epsilon, Prediction.Data, 0.37, 2.5));
        Assert.Equal(-2.5 / 0.37, PredictionConversion.Map(Prediction.Epsilon, Prediction.Velocity, 0.37, 2.5).StateWeight);
    }

    [Fact]
    public void MapAtATimeRefusesANullKernel()
    {
        Assert.Equal("kernel", Assert.Throws<ArgumentNullException>(() => PredictionConversion.Map(Prediction.Epsilon, Prediction.Score, null!, 0.37)).ParamName);
        var sde = VpSde.Linear();
        Assert.Equal(PredictionConversion.Map(Prediction.Epsilon, Prediction.Score, sde.Alpha(0.37), sde.Sigma(0.37)),
            PredictionConversion.Map(Prediction.Epsilon, Prediction.Score, sde, 0.37));
    }
}

public class ScoresPredictionMapContractTests
{
    [Fact]
    public void ApplyRefusesPredictionsAndDestinationsOfAnotherShape()
    {
        var map = new PredictionMap(0.37, 2.5);
        var x = Batch.FromRows([[0.37, 2.5], [0.25, -0.5], [1.5, 0.125]]);
        var prediction = Assert.Throws<ArgumentException>(() => map.Apply(x, new Batch(2, 2), new Batch(3, 2)));
        Assert.Equal("prediction", prediction.ParamName);
        Assert.StartsWith("Batch 'prediction' is 2 x 2, expected 3 x 2.", prediction.Message, StringComparison.Ordinal);
        var destination = Assert.Throws<ArgumentException>(() => map.Apply(x, new Batch(3, 2), new Batch(3, 1)));
        Assert.Equal("destination", destination.ParamName);
        Assert.StartsWith("Batch 'destination' is 3 x 1, expected 3 x 2.", destination.Message, StringComparison.Ordinal);
        var converted = Assert.Throws<ArgumentException>(() =>
            PredictionConversion.Convert(Prediction.Epsilon, Prediction.Score, 0.37, 2.5, x, new Batch(3, 1), new Batch(3, 2)));
        Assert.Equal("prediction", converted.ParamName);

        var d = new Batch(3, 2);
        map.Apply(x, x, d);
        Assert.Equal((0.37 + 2.5) * 2.5, d[0, 1], 12);
    }
}

public class ScoresEdmPreconditioningContractTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.37)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void SigmaDataMustBeFiniteAndPositive(double sigmaData)
    {
        var edm = new EdmPreconditioning(sigmaData);
        foreach (var call in new Func<double>[] { () => edm.CSkip(0.37), () => edm.COut(0.37), () => edm.CIn(0.37) })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => call());
            Assert.Equal("SigmaData", e.ParamName);
            Assert.StartsWith("sigma_data must be finite and > 0.", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CoefficientsAcceptTheSmallestPositiveSigmaData()
    {
        var edm = new EdmPreconditioning(double.Epsilon);
        Assert.Equal(0.0, edm.CSkip(0.37));
        Assert.Equal(0.0, edm.COut(0.37));
        Assert.Equal(1 / 0.37, edm.CIn(0.37), 12);
    }

    [Theory]
    [InlineData(0.0, 0.37)]
    [InlineData(0.37, 0.0)]
    [InlineData(-0.37, 0.37)]
    [InlineData(0.37, double.NaN)]
    public void MapsNeedPositiveAlphaAndSigma(double alpha, double sigma)
    {
        var edm = new EdmPreconditioning();
        var message = $"EDM preconditioning needs alpha > 0 and sigma > 0 (got {alpha}, {sigma}).";
        var name = alpha > 0 ? "sigma" : "alpha";
        var to = Assert.Throws<ArgumentException>(() => edm.ToPrediction(Prediction.Score, alpha, sigma));
        Assert.Equal(name, to.ParamName);
        Assert.StartsWith(message, to.Message, StringComparison.Ordinal);
        var from = Assert.Throws<ArgumentException>(() => edm.FromPrediction(Prediction.Score, alpha, sigma));
        Assert.Equal(name, from.ParamName);
        Assert.StartsWith(message, from.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapsAcceptPositiveValuesAndRefuseANullKernel()
    {
        var edm = new EdmPreconditioning(0.37);
        var to = edm.ToPrediction(Prediction.Data, 0.37, 2.5);
        Assert.True(double.IsFinite(to.StateWeight));
        var from = edm.FromPrediction(Prediction.Data, 0.37, 2.5);
        Assert.True(double.IsFinite(from.PredictionWeight));
        Assert.Equal("kernel", Assert.Throws<ArgumentNullException>(() => edm.ToPrediction(Prediction.Data, null!, 0.37)).ParamName);
        var sde = VpSde.Linear();
        Assert.Equal(edm.ToPrediction(Prediction.Data, sde.Alpha(0.37), sde.Sigma(0.37)), edm.ToPrediction(Prediction.Data, sde, 0.37));
    }
}

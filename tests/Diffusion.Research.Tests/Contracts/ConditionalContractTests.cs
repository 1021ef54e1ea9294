using Diffusion.Research.Conditional;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

using static Diffusion.Research.Tests.Contracts.Contract;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of src/Diffusion.Research/Conditional: the boundary, the parameter name and the message.</summary>
public class ConditionalContractTests
{
    private static readonly VpSde Kernel = VpSde.Linear();

    private static ExactNoisedScore Score() => new(LabelledMixture.TwoClasses().Mixture, Kernel);


    private static LabelledMixture ThreeDimensional() =>
        new(GaussianMixture.Isotropic([1.0], [[0.1, 0.2, 0.3]], [0.5]), [0]);

    private static LabelledMixture OneDimensional() =>
        new(GaussianMixture.Isotropic([1.0], [[0.37]], [0.5]), [0]);

    [Fact]
    public void ClassifierFreeGuidedScore_checks_its_arguments()
    {
        var s = Score();
        Assert.Equal("conditional", Assert.Throws<ArgumentNullException>(() => new ClassifierFreeGuidedScore(null!, s, 2.5)).ParamName);
        Assert.Equal("unconditional", Assert.Throws<ArgumentNullException>(() => new ClassifierFreeGuidedScore(s, null!, 2.5)).ParamName);
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentOutOfRangeException>("scale", "The guidance weight must be finite.", () => new ClassifierFreeGuidedScore(s, s, bad));
        Assert.Equal(2.5, new ClassifierFreeGuidedScore(s, s, 2.5).Scale);
        Assert.Equal(-0.37, new ClassifierFreeGuidedScore(s, s, -0.37).Scale);
    }

    [Fact]
    public void ClassifierGuidedScore_checks_its_arguments()
    {
        var s = Score();
        var classifier = new ExactClassifier(LabelledMixture.TwoClasses(), Kernel);
        Assert.Equal("unconditional", Assert.Throws<ArgumentNullException>(() => new ClassifierGuidedScore(null!, classifier, 1, 2.5)).ParamName);
        Assert.Equal("classifier", Assert.Throws<ArgumentNullException>(() => new ClassifierGuidedScore(s, null!, 1, 2.5)).ParamName);
        Refused<ArgumentOutOfRangeException>("label", "The class must be in [0, 2).", () => new ClassifierGuidedScore(s, classifier, 2, 2.5));
        Refused<ArgumentOutOfRangeException>("label", "The class must be in [0, 2).", () => new ClassifierGuidedScore(s, classifier, -1, 2.5));
        Assert.Equal(1, new ClassifierGuidedScore(s, classifier, 1, 2.5).Label);
        Assert.Equal(0, new ClassifierGuidedScore(s, classifier, 0, 2.5).Label);
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentOutOfRangeException>("scale", "The guidance scale must be finite.", () => new ClassifierGuidedScore(s, classifier, 1, bad));
        Assert.Equal(-0.37, new ClassifierGuidedScore(s, classifier, 1, -0.37).Scale);
    }

    [Fact]
    public void ExactClassifier_checks_its_arguments()
    {
        var data = LabelledMixture.TwoClasses();
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => new ExactClassifier(null!, Kernel)).ParamName);
        Assert.Equal("kernel", Assert.Throws<ArgumentNullException>(() => new ExactClassifier(data, null!)).ParamName);
        Assert.Equal(2, new ExactClassifier(data, Kernel).Classes);
    }

    [Fact]
    public void LinearMeasurement_constructor_checks_its_arguments()
    {
        Assert.Equal("matrix", Assert.Throws<ArgumentNullException>(() => new LinearMeasurement(null!, 1, 2, 0.37, [0.9])).ParamName);
        Assert.Equal("observation", Assert.Throws<ArgumentNullException>(() => new LinearMeasurement([0.7, 2.5], 1, 2, 0.37, null!)).ParamName);
        // rows
        Refused<ArgumentException>("matrix", "A needs at least one row; 0 given.", () => new LinearMeasurement([], 0, 2, 0.37, []));
        Refused<ArgumentException>("matrix", "A needs at least one row; -1 given.", () => new LinearMeasurement([], -1, 2, 0.37, []));
        Assert.Equal(1, new LinearMeasurement([0.7, 2.5], 1, 2, 0.37, [0.9]).Rows);
        // dimension
        Refused<ArgumentException>("dimension", "The dimension must be positive; 0 given.", () => new LinearMeasurement([], 1, 0, 0.37, [0.9]));
        Refused<ArgumentException>("dimension", "The dimension must be positive; -2 given.", () => new LinearMeasurement([], 1, -2, 0.37, [0.9]));
        Assert.Equal(1, new LinearMeasurement([0.7], 1, 1, 0.37, [0.9]).Dimension);
        // shapes
        Refused<ArgumentException>("matrix", "A has 3 entries, expected 1 x 2 = 2.", () => new LinearMeasurement([0.7, 2.5, 0.2], 1, 2, 0.37, [0.9]));
        Refused<ArgumentException>("matrix", "A has 1 entries, expected 1 x 2 = 2.", () => new LinearMeasurement([0.7], 1, 2, 0.37, [0.9]));
        Refused<ArgumentException>("observation", "y has 2 entries, A has 1 rows.", () => new LinearMeasurement([0.7, 2.5], 1, 2, 0.37, [0.9, 0.4]));
        Refused<ArgumentException>("observation", "y has 0 entries, A has 1 rows.", () => new LinearMeasurement([0.7, 2.5], 1, 2, 0.37, []));
        // noise
        foreach (var bad in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity })
            Refused<ArgumentOutOfRangeException>("noise", "The measurement noise s must be finite and positive.", () => new LinearMeasurement([0.7, 2.5], 1, 2, bad, [0.9]));
        Assert.Equal(double.Epsilon, new LinearMeasurement([0.7, 2.5], 1, 2, double.Epsilon, [0.9]).Noise);
        // entries
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            Refused<ArgumentException>("matrix", "A has a non-finite entry.", () => new LinearMeasurement([0.7, bad], 1, 2, 0.37, [0.9]));
            Refused<ArgumentException>("observation", "y has a non-finite entry.", () => new LinearMeasurement([0.7, 2.5], 1, 2, 0.37, [bad]));
        }
        var m = new LinearMeasurement([0.7, -2.5, 0.0, 1.0], 2, 2, 0.37, [0.9, -0.4]);
        Assert.Equal(-2.5, m[0, 1]);
        Assert.Null(m.ObservedCoordinates);
    }

    [Fact]
    public void LinearMeasurement_Inpainting_checks_its_arguments()
    {
        Assert.Equal("observed", Assert.Throws<ArgumentNullException>(() => LinearMeasurement.Inpainting(3, null!, 0.37, [0.9])).ParamName);
        Refused<ArgumentException>("observed", "At least one coordinate must be observed.", () => LinearMeasurement.Inpainting(3, [], 0.37, []));
        Refused<ArgumentException>("observed", "Observed coordinate 3 is outside [0, 3).", () => LinearMeasurement.Inpainting(3, [3], 0.37, [0.9]));
        Refused<ArgumentException>("observed", "Observed coordinate -1 is outside [0, 3).", () => LinearMeasurement.Inpainting(3, [-1], 0.37, [0.9]));
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => LinearMeasurement.Inpainting(-1, [0], 0.37, [0.9])).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => LinearMeasurement.Inpainting(0, [0], 0.37, [0.9])).ParamName);
        Assert.Equal(1, LinearMeasurement.Inpainting(1, [0], 0.37, [0.9]).Dimension);
        Refused<ArgumentException>("observed", "Observed coordinate 1 is listed twice.", () => LinearMeasurement.Inpainting(3, [1, 1], 0.37, [0.9, 0.4]));
        Refused<ArgumentException>("observed", "Observed coordinate 2 is listed twice.", () => LinearMeasurement.Inpainting(3, [2, 0, 2], 0.37, [0.9, 0.4, 0.1]));
        var m = LinearMeasurement.Inpainting(3, [2, 0], 0.37, [0.9, 0.4]);
        Assert.Equal([2, 0], m.ObservedCoordinates!);
        Assert.Equal(1, LinearMeasurement.Inpainting(1, [0], 0.37, [0.9]).Dimension);
    }

    [Fact]
    public void MixturePosterior_checks_its_arguments()
    {
        var prior = LabelledMixture.TwoClasses().Mixture;
        var measurement = LinearMeasurement.Inpainting(2, [1], 0.37, [0.9]);
        Assert.Equal("prior", Assert.Throws<ArgumentNullException>(() => MixturePosterior.Of(null!, measurement)).ParamName);
        Assert.Equal("measurement", Assert.Throws<ArgumentNullException>(() => MixturePosterior.Of(prior, null!)).ParamName);
        Refused<ArgumentException>("measurement", "The measurement acts on dimension 3, the prior is 2-dimensional.",
            () => MixturePosterior.Of(prior, LinearMeasurement.Inpainting(3, [1], 0.37, [0.9])));
        Refused<ArgumentException>("measurement", "The measurement acts on dimension 1, the prior is 2-dimensional.",
            () => MixturePosterior.Of(prior, LinearMeasurement.Inpainting(1, [0], 0.37, [0.9])));
        Assert.Equal(2, MixturePosterior.Of(prior, measurement).Dimension);
    }

    [Fact]
    public void TiltedLaw_constructor_checks_its_arguments()
    {
        var data = LabelledMixture.TwoClasses();
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => new TiltedLaw(null!, 0, 2.5, 8)).ParamName);
        Refused<ArgumentException>("data", "Quadrature needs D ≤ 2; the data are 3-dimensional.", () => new TiltedLaw(ThreeDimensional(), 0, 2.5, 8));
        Assert.Equal(2, new TiltedLaw(data, 1, 2.5, 8).Dimension);
        Assert.Equal(1, new TiltedLaw(OneDimensional(), 0, 2.5, 8).Dimension);
        foreach (var bad in new[] { -0.37, -double.Epsilon, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Refused<ArgumentOutOfRangeException>("gamma", "γ must be finite and ≥ 0.", () => new TiltedLaw(data, 0, bad, 8));
        Assert.Equal(0.0, new TiltedLaw(data, 0, 0.0, 8).Gamma);
        foreach (var bad in new[] { 6, 7, 9, 0, -8 })
            Refused<ArgumentOutOfRangeException>("cells", "cells must be even and ≥ 8.", () => new TiltedLaw(data, 0, 2.5, bad));
        Assert.Equal(2.5, new TiltedLaw(data, 0, 2.5, 8).Gamma);
        Assert.True(new TiltedLaw(data, 0, 2.5, 10).CellSide > 0);
        Refused<ArgumentOutOfRangeException>("cells", $"cells^D = 4098^2 exceeds the {TiltedLaw.MaxGridCells} quadrature cells a law may take.",
            () => new TiltedLaw(data, 0, 2.5, 4098));
        Refused<ArgumentOutOfRangeException>("cells", $"cells^D = {TiltedLaw.MaxGridCells + 2}^1 exceeds the {TiltedLaw.MaxGridCells} quadrature cells a law may take.",
            () => new TiltedLaw(OneDimensional(), 0, 2.5, TiltedLaw.MaxGridCells + 2));
        Assert.Throws<ArgumentOutOfRangeException>("label", () => new TiltedLaw(data, 2, 2.5, 8));
    }

    [Fact]
    public void TiltedLaw_takes_exactly_MaxGridCells_cells()
    {
        var law = new TiltedLaw(OneDimensional(), 0, 1.0, TiltedLaw.MaxGridCells);
        Assert.Equal(1, law.Dimension);
    }

    [Fact]
    public void TiltedLaw_Sample_checks_the_destination()
    {
        var law = new TiltedLaw(LabelledMixture.TwoClasses(), 0, 2.5, 8);
        Refused<ArgumentException>("destination", "Batch has dimension 3, expected 2.", () => law.Sample(new Batch(4, 3), new NoiseSource(7), 0));
        Refused<ArgumentException>("destination", "Batch has dimension 1, expected 2.", () => law.Sample(new Batch(4, 1), new NoiseSource(7), 0));
        var ok = new Batch(4, 2);
        law.Sample(ok, new NoiseSource(7), 0);
        Assert.True(ok.IsFinite());
    }

    [Fact]
    public void LabelledMixture_constructor_checks_its_arguments()
    {
        var mixture = LabelledMixture.TwoClasses().Mixture;
        Assert.Equal("mixture", Assert.Throws<ArgumentNullException>(() => new LabelledMixture(null!, [0, 0, 1, 1])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => new LabelledMixture(mixture, null!)).ParamName);
        Refused<ArgumentException>("labels", "3 labels given for 4 components.", () => new LabelledMixture(mixture, [0, 1, 1]));
        Refused<ArgumentException>("labels", "5 labels given for 4 components.", () => new LabelledMixture(mixture, [0, 1, 1, 0, 1]));
        Refused<ArgumentException>("labels", "Label -1 is negative.", () => new LabelledMixture(mixture, [0, 1, -1, 1]));
        Refused<ArgumentException>("labels", "Class 1 has no component (classes must be 0..2).", () => new LabelledMixture(mixture, [0, 0, 2, 2]));
        Refused<ArgumentException>("labels", "Class 0 has no component (classes must be 0..1).", () => new LabelledMixture(mixture, [1, 1, 1, 1]));
        var ok = new LabelledMixture(mixture, [1, 0, 0, 1]);
        Assert.Equal(2, ok.Classes);
        Assert.Equal(1, new LabelledMixture(mixture, [0, 0, 0, 0]).Classes);
    }

    [Fact]
    public void LabelledMixture_checks_the_class_label()
    {
        var data = LabelledMixture.TwoClasses();
        foreach (var bad in new[] { 2, -1 })
        {
            Refused<ArgumentOutOfRangeException>("label", "The class must be in [0, 2).", () => data.ClassProbability(bad));
            Refused<ArgumentOutOfRangeException>("label", "The class must be in [0, 2).", () => data.ClassConditional(bad));
            Refused<ArgumentOutOfRangeException>("label", "The class must be in [0, 2).", () => data.NoisedClassLogProbability(0.8, 0.6, bad, new Batch(3, 2), new double[3]));
        }
        Assert.Equal(0.5, data.ClassProbability(1), 12);
        Assert.Equal(0.5, data.ClassProbability(0), 12);
        Assert.Equal(2, data.ClassConditional(1).Components);
    }

    [Fact]
    public void LabelledMixture_NoisedClassLogProbability_checks_the_destination()
    {
        var data = LabelledMixture.TwoClasses();
        var x = new Batch(3, 2);
        Refused<ArgumentException>("destination", "Destination shorter than the batch.", () => data.NoisedClassLogProbability(0.8, 0.6, 1, x, new double[2]));
        var exact = new double[3];
        data.NoisedClassLogProbability(0.8, 0.6, 1, x, exact);
        Assert.All(exact, v => Assert.True(v < 0 && double.IsFinite(v)));
    }
}

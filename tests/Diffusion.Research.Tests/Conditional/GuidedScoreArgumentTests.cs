using Diffusion.Research.Conditional;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Conditional;

/// <summary>The class label of classifier guidance is checked at both edges of [0, classes).</summary>
public class GuidedScoreArgumentTests
{
    [Fact]
    public void The_label_must_be_one_of_the_classifiers_classes()
    {
        var data = LabelledMixture.TwoClasses();
        var kernel = VpSde.Linear().Kernel!;
        var unconditional = new ExactNoisedScore(data.Mixture, kernel);
        var classifier = new ExactClassifier(data, kernel);
        Assert.Equal(2, classifier.Classes);
        Assert.Equal(1, new ClassifierGuidedScore(unconditional, classifier, 1, 2.5).Label);
        Assert.Equal(0, new ClassifierGuidedScore(unconditional, classifier, 0, 2.5).Label);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierGuidedScore(unconditional, classifier, 2, 2.5));
        Assert.StartsWith("The class must be in [0, 2).", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierGuidedScore(unconditional, classifier, -1, 2.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierGuidedScore(unconditional, classifier, 0, double.NaN));
    }
}

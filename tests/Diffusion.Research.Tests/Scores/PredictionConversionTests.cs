using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Scores;

public class PredictionConversionTests
{
    private static Batch Random(int n, int d, uint stream)
    {
        var b = new Batch(n, d);
        new NoiseSource(99).FillGaussian(stream, 0, b);
        return b;
    }

    // With x = α x0 + σ ε: score = −ε/σ, eps = ε, data = x0, v = α ε − σ x0 (001 eqs 20, 37–38; Salimans & Ho 2022).
    private static Batch Truth(Prediction kind, double alpha, double sigma, Batch x0, Batch eps)
    {
        var r = new Batch(x0.Count, x0.Dimension);
        for (var i = 0; i < r.Values.Length; i++)
        {
            double a = x0.Values[i], e = eps.Values[i];
            r.Values[i] = kind switch
            {
                Prediction.Score => -e / sigma,
                Prediction.Epsilon => e,
                Prediction.Data => a,
                _ => alpha * e - sigma * a,
            };
        }
        return r;
    }

    [Theory]
    [InlineData(0.8, 0.6)]
    [InlineData(1.0, 0.01)]
    [InlineData(0.05, 3.0)]
    [InlineData(1.0, 40.0)]
    public void EveryPairConvertsExactly(double alpha, double sigma)
    {
        var x0 = Random(7, 3, 0);
        var eps = Random(7, 3, 1);
        var x = new Batch(7, 3);
        new Diffusion.Research.Kernels.TransitionKernel(alpha, sigma).Apply(x0, eps, x);
        foreach (var from in Enum.GetValues<Prediction>())
            foreach (var to in Enum.GetValues<Prediction>())
            {
                var source = Truth(from, alpha, sigma, x0, eps);
                var expected = Truth(to, alpha, sigma, x0, eps);
                var got = new Batch(7, 3);
                PredictionConversion.Convert(from, to, alpha, sigma, x, source, got);
                var scale = Math.Max(1, expected.Values.ToArray().Max(Math.Abs));
                for (var i = 0; i < got.Values.Length; i++)
                    Assert.True(Math.Abs(got.Values[i] - expected.Values[i]) < 1e-12 * scale * Math.Max(1, Math.Max(sigma, 1 / sigma) * Math.Max(1, 1 / alpha)),
                        $"{from}->{to}: {got.Values[i]} vs {expected.Values[i]}");
                // in place: destination = prediction batch
                PredictionConversion.Convert(from, to, alpha, sigma, x, source, source);
                Assert.Equal(got.ToArray(), source.ToArray());
            }
    }

    // Salimans & Ho: with α = cos φ, σ = sin φ, v = α ε − σ x0 is dx/dφ. Records our v definition (docs/errata.md, "Conventions").
    [Fact]
    public void VelocityIsTheAngularDerivativeForVpKernels()
    {
        double x0 = 0.7, eps = -1.3, phi = 0.9, h = 1e-6;
        double X(double p) => Math.Cos(p) * x0 + Math.Sin(p) * eps;
        var fd = (X(phi + h) - X(phi - h)) / (2 * h);
        var map = PredictionConversion.Map(Prediction.Epsilon, Prediction.Velocity, Math.Cos(phi), Math.Sin(phi));
        Assert.Equal(fd, map.StateWeight * X(phi) + map.PredictionWeight * eps, 1e-9);
    }

    [Fact]
    public void BadConversionsThrow()
    {
        Assert.Throws<ArgumentException>(() => PredictionConversion.Map(Prediction.Epsilon, Prediction.Score, 1.0, 0.0));
        Assert.Throws<ArgumentException>(() => PredictionConversion.Map(Prediction.Epsilon, Prediction.Data, 0.0, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PredictionConversion.Map(Prediction.Epsilon, Prediction.Data, -1.0, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PredictionConversion.Map((Prediction)17, Prediction.Data, 1.0, 1.0));
        Assert.Throws<ArgumentException>(() => PredictionConversion.Convert(Prediction.Epsilon, Prediction.Data, 1, 1, new Batch(2, 2), new Batch(2, 3), new Batch(2, 2)));
    }

    private sealed class PosteriorMeanModel(ExactNoisedScore exact) : IPredictionModel
    {
        public void Predict(double t, Batch x, Batch destination) => exact.PosteriorMean(t, x, destination);
    }

    private sealed class ConvertedModel(IScoreModel exact, Prediction kind, Diffusion.Research.Kernels.IKernel kernel) : IPredictionModel
    {
        public void Predict(double t, Batch x, Batch destination)
        {
            exact.Score(t, x, destination);
            PredictionConversion.Convert(Prediction.Score, kind, kernel, t, x, destination, destination);
        }
    }

    // Tweedie (001 eqs 24, 34; Robbins 1956; Efron 2011): an x0-model predicting E[x0|x_t] gives back the exact score
    // through the kernel.
    [Theory]
    [InlineData("vp")]
    [InlineData("ve")]
    public void ParametrisedScoreOfThePosteriorMeanIsTheExactScore(string name)
    {
        var sde = SdeRegistry.CreateDefault().Create(name);
        var mixture = ToyData.EightGaussians();
        var exact = new ExactNoisedScore(mixture, sde.Kernel!);
        var x = Random(50, 2, 3);
        foreach (var t in new[] { 0.05, 0.3, 0.9 })
        {
            var reference = new Batch(50, 2);
            exact.Score(t, x, reference);
            foreach (var kind in Enum.GetValues<Prediction>())
            {
                IPredictionModel inner = kind == Prediction.Data ? new PosteriorMeanModel(exact) : new ConvertedModel(exact, kind, sde.Kernel!);
                var model = new ParametrisedScoreModel(inner, kind, sde.Kernel!);
                var got = new Batch(50, 2);
                model.Score(t, x, got);
                for (var i = 0; i < got.Values.Length; i++)
                    Assert.True(Math.Abs(got.Values[i] - reference.Values[i]) < 1e-8 * Math.Max(1, Math.Abs(reference.Values[i])),
                        $"{name} {kind} t={t}: {got.Values[i]} vs {reference.Values[i]}");
            }
        }
    }

    [Fact]
    public void The_wrapper_refuses_a_missing_model_or_kernel_and_an_unknown_kind()
    {
        var sde = SdeRegistry.CreateDefault().Create("vp");
        var exact = new ExactNoisedScore(ToyData.EightGaussians(), sde.Kernel!);
        var inner = new PosteriorMeanModel(exact);
        Assert.Equal("inner", Assert.Throws<ArgumentNullException>(() => new ParametrisedScoreModel(null!, Prediction.Data, sde.Kernel!)).ParamName);
        Assert.Equal("kernel", Assert.Throws<ArgumentNullException>(() => new ParametrisedScoreModel(inner, Prediction.Data, null!)).ParamName);
        Assert.Equal("kind", Assert.Throws<ArgumentOutOfRangeException>(() => new ParametrisedScoreModel(inner, (Prediction)17, sde.Kernel!)).ParamName);
    }
}

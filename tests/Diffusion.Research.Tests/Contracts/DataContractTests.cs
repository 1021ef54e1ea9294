using System.Runtime.Intrinsics;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Tests.Contracts;


public class DataGaussianContractTests
{
    private static readonly double[] Mu = [0.37, 2.5];

    private static double[,] Covariance() => new[,] { { 0.8, 0.1 }, { 0.1, 0.6 } };

    [Fact]
    public void ConstructorRefusesNullsAndAcceptsAFullCovariance()
    {
        Contract.Null(() => _ = new Gaussian(null!, Covariance()), "mean");
        Contract.Null(() => _ = new Gaussian(Mu, null!), "covariance");
        var g = new Gaussian(Mu, Covariance());
        Assert.Equal(2, g.Dimension);
        Assert.False(g.IsIsotropic);
    }

    [Fact]
    public void IsotropicRefusesANullMean()
    {
        Contract.Null(() => Gaussian.Isotropic(null!, 0.37), "mean");
        Assert.True(Gaussian.Isotropic(Mu, 0.37).IsIsotropic);
    }

    [Fact]
    public void CenteredAndStandardNeedAPositiveDimension()
    {
        Contract.Guard(() => Gaussian.Centered(0, 0.37), "dimension");
        Contract.Guard(() => Gaussian.Centered(-2, 0.37), "dimension");
        Contract.Guard(() => Gaussian.Standard(0), "dimension");
        Assert.Equal(1, Gaussian.Centered(1, 0.37).Dimension);
        Assert.Equal(1, Gaussian.Standard(1).Dimension);
    }

    [Fact]
    public void CenteredNeedsAFinitePositiveStandardDeviation()
    {
        foreach (var s in new[] { 0.0, -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var e = Contract.OutOfRange(() => Gaussian.Centered(2, s), "standardDeviation", "The standard deviation must be finite and positive.");
            Assert.Equal(s, e.ActualValue);
        }
        var g = Gaussian.Centered(3, 0.37);
        Assert.Equal(0.37 * 0.37, g.Covariance[1, 1]);
    }

    [Fact]
    public void SampleChecksDestinationAndFirstParticle()
    {
        var g = new Gaussian(Mu, Covariance());
        var noise = new NoiseSource(5);
        Contract.Argument(() => g.Sample(new Batch(2, 3), noise, 0), "destination", "Batch 'destination' has dimension 3, the mixture has 2.");
        Contract.Guard(() => g.Sample(new Batch(2, 2), noise, -1), "firstParticle");
        var b = new Batch(2, 2);
        g.Sample(b, noise, 0);
        Assert.True(b.IsFinite());
    }
}

public class DataGaussianMixtureContractTests
{
    private static readonly double[] W = [0.37, 0.63];
    private static readonly double[] V = [0.37, 2.5];

    private static double[][] Means() => [[0.37, 2.5], [-1.25, 0.5]];

    private static double[,] Full() => new[,] { { 0.8, 0.1 }, { 0.1, 0.6 } };

    private static double[,] Scaled(double c) => new[,] { { c, 0.0 }, { 0.0, c } };

    private static GaussianMixture FullMixture() => new(W, Means(), [Full(), Scaled(0.5)]);

    private static GaussianMixture IsotropicMixture() => GaussianMixture.Isotropic(W, Means(), V);

    [Fact]
    public void NullArgumentsAreNamed()
    {
        Contract.Null(() => _ = new GaussianMixture(null!, Means(), [Full(), Full()]), "weights");
        Contract.Null(() => _ = new GaussianMixture(W, null!, [Full(), Full()]), "means");
        Contract.Null(() => _ = new GaussianMixture(W, Means(), null!), "covariances");
        Contract.Null(() => GaussianMixture.Isotropic(null!, Means(), V), "weights");
        Contract.Null(() => GaussianMixture.Isotropic(W, null!, V), "means");
        Contract.Null(() => GaussianMixture.Isotropic(W, Means(), null!), "variances");
        Assert.False(FullMixture().IsIsotropic);
        Assert.True(IsotropicMixture().IsIsotropic);
    }

    [Fact]
    public void CountsMustAgree()
    {
        Contract.Argument(() => _ = new GaussianMixture([], [], []), "weights", "A mixture needs at least one component.");
        Contract.Argument(() => _ = new GaussianMixture(W, [[0.37, 2.5]], [Full(), Full()]), "means", "1 means given for 2 weights.");
        Contract.Argument(() => _ = new GaussianMixture(W, [[0.37, 2.5], [1.0, 2.0], [3.0, 4.0]], [Full(), Full()]), "means", "3 means given for 2 weights.");
        Contract.Argument(() => _ = new GaussianMixture(W, Means(), [Scaled(0.37)]), "covariances", "1 covariances given for 2 weights.");
        Contract.Argument(() => _ = new GaussianMixture(W, Means(), [Full(), Full(), Full()]), "covariances", "3 covariances given for 2 weights.");
        Contract.Argument(() => GaussianMixture.Isotropic(W, Means(), [0.37]), "variances", "1 variances given for 2 weights.");
        Contract.Argument(() => GaussianMixture.Isotropic(W, Means(), [0.37, 2.5, 1.5]), "variances", "3 variances given for 2 weights.");
        Assert.Equal(1, GaussianMixture.Isotropic([1.0], [[0.37, 2.5]], [0.37]).Components);
        Assert.Equal(1, new GaussianMixture([1.0], [[0.37, 2.5]], [Full()]).Components);
    }

    [Fact]
    public void MeansMustBePresentNonEmptyOfOneLengthAndFinite()
    {
        Contract.Argument(() => GaussianMixture.Isotropic(W, [null!, [0.37, 2.5]], V), "means", "Mean 0 is null.");
        Contract.Argument(() => GaussianMixture.Isotropic(W, [[0.37, 2.5], null!], V), "means", "Mean 1 is null.");
        Contract.Argument(() => GaussianMixture.Isotropic(W, [[], []], V), "means", "Means must have at least one coordinate.");
        Assert.Equal(1, GaussianMixture.Isotropic(W, [[0.37], [2.5]], V).Dimension);
        Contract.Argument(() => GaussianMixture.Isotropic(W, [[0.37, 2.5], [1.0, 2.0, 3.0]], V), "means", "Mean 1 has 3 coordinates, mean 0 has 2.");
        Contract.Argument(() => GaussianMixture.Isotropic(W, [[0.37, 2.5], [1.0]], V), "means", "Mean 1 has 1 coordinates, mean 0 has 2.");
        foreach (var v in Contract.NonFinite)
        {
            Contract.Argument(() => GaussianMixture.Isotropic(W, [[0.37, 2.5], [v, 0.5]], V), "means", "Mean 1 has a non-finite coordinate.");
            Contract.Argument(() => _ = new GaussianMixture(W, [[0.37, v], [1.0, 0.5]], [Full(), Full()]), "means", "Mean 0 has a non-finite coordinate.");
        }
    }

    [Fact]
    public void IsotropicVariancesMustBeFiniteAndPositive()
    {
        foreach (var v in Contract.NotPositive)
            Contract.Argument(() => GaussianMixture.Isotropic(W, Means(), [0.37, v]), "variances", $"Covariance 1 = {v} I is not positive definite.");
        // Every covariance a multiple of I: the same check, named after the covariances.
        foreach (var v in new[] { 0.0, -0.37 })
            Contract.Argument(() => _ = new GaussianMixture(W, Means(), [Scaled(0.37), Scaled(v)]), "covariances", $"Covariance 1 = {v} I is not positive definite.");
        var m = new GaussianMixture(W, Means(), [Scaled(0.37), Scaled(2.5)]);
        Assert.True(m.IsIsotropic);
        Assert.Equal(2.5, m.Covariance(1)[1, 1]);
        Assert.Equal(2.5, GaussianMixture.Isotropic(W, Means(), [0.37, 2.5]).Covariance(1)[0, 0]);
    }

    [Fact]
    public void WeightsMustBeFinitePositiveAndSumToOne()
    {
        foreach (var w in Contract.NotPositive)
            Contract.Argument(() => GaussianMixture.Isotropic([w, 1.0], Means(), V), "weights", $"Weight 0 is {w}; every weight must be finite and positive.");
        Contract.Argument(() => GaussianMixture.Isotropic([0.37, -0.37], Means(), V), "weights", $"Weight 1 is {-0.37}; every weight must be finite and positive.");
        var low = 0.37 + 0.62;
        Contract.Argument(() => GaussianMixture.Isotropic([0.37, 0.62], Means(), V), "weights", $"Weights sum to {low:R}, not 1 (tolerance 1e-12).");
        var over = 0.63 + 1.1e-12;
        var overSum = 0.37 + over;
        Contract.Argument(() => GaussianMixture.Isotropic([0.37, over], Means(), V), "weights", $"Weights sum to {overSum:R}, not 1 (tolerance 1e-12).");
        var under = 0.63 - 1.1e-12;
        var underSum = 0.37 + under;
        Contract.Argument(() => GaussianMixture.Isotropic([0.37, under], Means(), V), "weights", $"Weights sum to {underSum:R}, not 1 (tolerance 1e-12).");
        // Just inside the tolerance on either side: accepted.
        Assert.Equal(2, GaussianMixture.Isotropic([0.37, 0.63 + 0.9e-12], Means(), V).Components);
        Assert.Equal(2, GaussianMixture.Isotropic([0.37, 0.63 - 0.9e-12], Means(), V).Components);
        Assert.Equal(2, new GaussianMixture([0.37, 0.63 + 0.9e-12], Means(), [Full(), Full()]).Components);
    }

    [Fact]
    public void CovariancesMustBePresentSquareFiniteAndSymmetric()
    {
        Contract.Argument(() => _ = new GaussianMixture(W, Means(), [Full(), null!]), "covariances", "Covariance 1 is null.");
        Contract.Argument(() => _ = new GaussianMixture(W, Means(), [Full(), new double[3, 2]]), "covariances", "Covariance 1 is 3 x 2, expected 2 x 2.");
        Contract.Argument(() => _ = new GaussianMixture(W, Means(), [Full(), new double[2, 3]]), "covariances", "Covariance 1 is 2 x 3, expected 2 x 2.");
        foreach (var v in Contract.NonFinite)
            Contract.Argument(() => _ = new GaussianMixture(W, Means(), [Full(), new[,] { { 0.5, 0.0 }, { 0.0, v } }]), "covariances", "Covariance 1 has a non-finite entry.");
        Contract.Argument(() => _ = new GaussianMixture(W, Means(), [Full(), new[,] { { 1.0, 2e-12 }, { 0.0, 1.0 } }]), "covariances",
            "Covariance 1 is not symmetric: entry (0,1) differs from (1,0).");
        // An asymmetry of exactly 1e-12 times the largest entry is tolerated (and symmetrised).
        var m = new GaussianMixture(W, Means(), [Full(), new[,] { { 1.0, 1e-12 }, { 0.0, 1.0 } }]);
        Assert.Equal(0.5e-12, m.Covariance(1)[1, 0]);
    }

    [Fact]
    public void CovariancesMustBePositiveDefinite()
    {
        Contract.Argument(() => _ = new GaussianMixture(W, Means(), [Full(), new[,] { { 1.0, 2.0 }, { 2.0, 1.0 } }]), "covariances",
            $"Covariance 1 is not positive definite (eigenvalues in [{-1.0:G6}, {3.0:G6}]).");
        // Smallest eigenvalue exactly 1e-14 times the largest: refused; a little above: accepted.
        Contract.Argument(() => _ = new GaussianMixture(W, Means(), [Full(), new[,] { { 1.0, 0.0 }, { 0.0, 1e-14 } }]), "covariances",
            $"Covariance 1 is not positive definite (eigenvalues in [{1e-14:G6}, {1.0:G6}]).");
        Assert.False(new GaussianMixture(W, Means(), [Full(), new[,] { { 1.0, 0.0 }, { 0.0, 2e-14 } }]).IsIsotropic);
        // An isotropic component of a non-isotropic mixture: its own check.
        foreach (var v in new[] { 0.0, -0.37 })
            Contract.Argument(() => _ = new GaussianMixture(W, Means(), [Full(), Scaled(v)]), "covariances", $"Covariance 1 = {v} I is not positive definite.");
        var mixed = new GaussianMixture(W, Means(), [Full(), Scaled(0.37)]);
        Assert.False(mixed.IsIsotropic);
        Assert.Equal(0.37, mixed.Covariance(1)[1, 1]);
    }

    [Fact]
    public void ComponentIndexMustBeInRange()
    {
        foreach (var m in new[] { FullMixture(), IsotropicMixture() })
        {
            foreach (var c in new[] { -1, 2 })
            {
                Contract.OutOfRange(() => m.Mean(c), "component", "Component index outside [0, 2).");
                Contract.OutOfRange(() => m.Covariance(c), "component", "Component index outside [0, 2).");
            }
            Assert.Equal(-1.25, m.Mean(1)[0]);
            Assert.Equal(0.37, m.Mean(0)[0]);
            Assert.Equal(2, m.Covariance(1).GetLength(0));
        }
    }

    private static void KernelChecks(Action<double, double> call)
    {
        foreach (var a in Contract.NonFinite)
            Contract.OutOfRange(() => call(a, 0.5), "alpha", "alpha must be finite.");
        foreach (var s in new[] { -0.37, double.NaN, double.PositiveInfinity })
            Contract.OutOfRange(() => call(0.37, s), "sigma", "sigma must be finite and non-negative.");
        Contract.Argument(() => call(0.0, 0.0), "sigma", "alpha and sigma are both 0: the noised distribution is a point mass at 0.");
        call(0.37, 0.0);
        call(0.0, 0.37);
        call(-0.37, 0.5);
    }

    [Fact]
    public void NoisedChecksTheKernel()
    {
        KernelChecks((a, s) => FullMixture().Noised(a, s));
        KernelChecks((a, s) => IsotropicMixture().Noised(a, s));
        Assert.Equal(0.37 * 0.37 * 0.37 + 0.25, IsotropicMixture().Noised(0.37, 0.5).Covariance(0)[0, 0], 12);
    }

    [Fact]
    public void EvaluationsCheckTheKernel()
    {
        var x = new Batch(3, 2);
        new NoiseSource(3).FillGaussian(0, 0, x);
        foreach (var m in new[] { FullMixture(), IsotropicMixture() })
        {
            KernelChecks((a, s) => m.NoisedLogDensity(a, s, x, new double[3]));
            KernelChecks((a, s) => m.NoisedScoreDivergence(a, s, x, new double[3]));
            KernelChecks((a, s) => m.NoisedScore(a, s, x, new Batch(3, 2)));
            KernelChecks((a, s) => m.NoisedPosteriorMean(a, s, x, new Batch(3, 2)));
        }
        var iso = IsotropicMixture();
        KernelChecks((a, s) => iso.PrepareLanes(a, s, new double[IsotropicScoreLanes.ConstantsLength(2, 2)]));
    }

    [Fact]
    public void PrepareLanesServesIsotropicMixturesOnly()
    {
        var constants = new double[IsotropicScoreLanes.ConstantsLength(2, 2)];
        var e = Assert.Throws<InvalidOperationException>(() => FullMixture().PrepareLanes(0.37, 0.5, constants));
        Assert.Equal("The lane evaluation serves isotropic mixtures only.", e.Message);
        IsotropicMixture().PrepareLanes(0.37, 0.5, constants);
        Assert.Equal(1.0 / (0.37 * 0.37 * 0.37 + 0.25), constants[4], 12);
    }

    [Fact]
    public void EvaluationsCheckShapes()
    {
        var x = new Batch(3, 2);
        new NoiseSource(3).FillGaussian(0, 0, x);
        var wide = new Batch(3, 3);
        foreach (var m in new[] { FullMixture(), IsotropicMixture() })
        {
            const string xMessage = "Batch 'x' has dimension 3, the mixture has 2.";
            Contract.Argument(() => m.NoisedLogDensity(0.37, 0.5, wide, new double[3]), "x", xMessage);
            Contract.Argument(() => m.NoisedScoreDivergence(0.37, 0.5, wide, new double[3]), "x", xMessage);
            Contract.Argument(() => m.NoisedScore(0.37, 0.5, wide, new Batch(3, 3)), "x", xMessage);
            Contract.Argument(() => m.NoisedPosteriorMean(0.37, 0.5, wide, new Batch(3, 3)), "x", xMessage);
            Contract.Argument(() => m.LogDensity(wide, new double[3]), "x", xMessage);
            Contract.Argument(() => m.Score(wide, new Batch(3, 3)), "x", xMessage);
            foreach (var n in new[] { 2, 4 })
            {
                Contract.Argument(() => m.NoisedLogDensity(0.37, 0.5, x, new double[n]), "destination", $"Destination has {n} entries for 3 particles.");
                Contract.Argument(() => m.NoisedScoreDivergence(0.37, 0.5, x, new double[n]), "destination", $"Destination has {n} entries for 3 particles.");
                Contract.Argument(() => m.NoisedScore(0.37, 0.5, x, new Batch(n, 2)), "destination", $"Batch 'destination' is {n} x 2, expected 3 x 2.");
                Contract.Argument(() => m.NoisedPosteriorMean(0.37, 0.5, x, new Batch(n, 2)), "destination", $"Batch 'destination' is {n} x 2, expected 3 x 2.");
            }
            Contract.Argument(() => m.NoisedScore(0.37, 0.5, x, new Batch(3, 3)), "destination", "Batch 'destination' is 3 x 3, expected 3 x 2.");
            var d = new double[3];
            m.NoisedLogDensity(0.37, 0.5, x, d);
            Assert.All(d, v => Assert.True(double.IsFinite(v)));
            m.NoisedScoreDivergence(0.37, 0.5, x, d);
            Assert.All(d, v => Assert.True(double.IsFinite(v)));
            var rows = new Batch(3, 2);
            m.NoisedScore(0.37, 0.5, x, rows);
            Assert.True(rows.IsFinite());
            m.NoisedPosteriorMean(0.37, 0.5, x, rows);
            Assert.True(rows.IsFinite());
        }
    }

    [Fact]
    public void SampleChecksDestinationAndFirstParticle()
    {
        var noise = new NoiseSource(5);
        foreach (var m in new[] { FullMixture(), IsotropicMixture() })
        {
            Contract.Argument(() => m.Sample(new Batch(2, 3), noise, 0), "destination", "Batch 'destination' has dimension 3, the mixture has 2.");
            Contract.Argument(() => m.Sample(new Batch(2, 1), noise, 0), "destination", "Batch 'destination' has dimension 1, the mixture has 2.");
            Contract.Guard(() => m.Sample(new Batch(2, 2), noise, -1), "firstParticle");
            var b = new Batch(2, 2);
            m.Sample(b, noise, 0);
            Assert.True(b.IsFinite());
        }
    }

    [Fact]
    public void SampleComponentChecksItsArguments()
    {
        var noise = new NoiseSource(5);
        var m = ToyData.EightGaussians();
        Contract.OutOfRange(() => m.SampleComponent(8, new Batch(1, 2), noise, 0u, 0), "component", "Component index outside [0, 8).");
        Contract.OutOfRange(() => m.SampleComponent(-1, new Batch(1, 2), noise, 0u, 0), "component", "Component index outside [0, 8).");
        Contract.Argument(() => m.SampleComponent(7, new Batch(1, 3), noise, 0u, 0), "destination", "Batch 'destination' has dimension 3, the mixture has 2.");
        Contract.Guard(() => m.SampleComponent(7, new Batch(1, 2), noise, 0u, -1), "firstParticle");
        var b = new Batch(1, 2);
        m.SampleComponent(7, b, noise, 0u, 0);
        Assert.True(b.IsFinite());
    }
}

public class DataIsotropicScoreLanesContractTests
{
    private const int L = IsotropicScoreLanes.Lanes;

    // K = 1, D = 2: [normaliser][-1/(2 lambda)][1/lambda][mean 0, mean 1].
    private static double[] Constants() => [0.0, -0.5 / 0.37, 1.0 / 0.37, 0.37, 2.5, 0, 0, 0, 0, 0];

    [Fact]
    public void EvaluatePlaneNeedsLongEnoughConstantsAndScratch()
    {
        var x = new[] { Vector512.Create(0.37), Vector512.Create(-2.5) };
        var score = new Vector512<double>[2];
        var big = new double[4 * L];
        const string message = "Constants or scratch too short.";
        Contract.Argument(() => IsotropicScoreLanes.Evaluate(Constants().AsSpan(0, 4), 1, x, score, big.AsSpan(0, L)), null, message);
        Contract.Argument(() => IsotropicScoreLanes.Evaluate(Constants().AsSpan(0, 5), 1, x, score, big.AsSpan(0, L - 1)), null, message);
        IsotropicScoreLanes.Evaluate(Constants().AsSpan(0, 5), 1, x, score, big.AsSpan(0, L));
        Assert.Equal((0.37 - 0.37) / 0.37, score[0][0], 12);
        Assert.Equal((2.5 + 2.5) / 0.37, score[1][3], 12);
    }

    [Fact]
    public void EvaluatePlanePairNeedsLongEnoughConstantsAndScratch()
    {
        var a = Vector512.Create(0.37);
        var b = Vector512.Create(-2.5);
        var big = new double[4 * L];
        const string message = "Constants or scratch too short.";
        Contract.Argument(() => IsotropicScoreLanes.EvaluatePlanePair(Constants().AsSpan(0, 4), 1, a, b, b, a, out _, out _, out _, out _, big.AsSpan(0, 2 * L)), null, message);
        Contract.Argument(() => IsotropicScoreLanes.EvaluatePlanePair(Constants().AsSpan(0, 5), 1, a, b, b, a, out _, out _, out _, out _, big.AsSpan(0, 2 * L - 1)), null, message);
        IsotropicScoreLanes.EvaluatePlanePair(Constants().AsSpan(0, 5), 1, a, b, b, a, out var s0a, out var s1a, out var s0b, out var s1b, big.AsSpan(0, 2 * L));
        Assert.Equal(0.0, s0a[0], 12);
        Assert.Equal(5.0 / 0.37, s1a[1], 12);
        Assert.Equal((0.37 + 2.5) / 0.37, s0b[2], 12);
        Assert.Equal((2.5 - 0.37) / 0.37, s1b[7], 12);
    }
}

public class DataOrthogonalBasisContractTests
{
    [Fact]
    public void RowMajorRefusesANonOrthogonalBasisUnderTheCallersName()
    {
        Contract.Argument(() => OrthogonalBasis.RowMajor(new[,] { { 1.0, 2e-9 }, { 0.0, 1.0 } }, "frame"), "frame", "The basis is not orthogonal (columns 1, 0).");
        Contract.Argument(() => OrthogonalBasis.RowMajor(new[,] { { 1.1, 0.0 }, { 0.0, 1.0 } }, "frame"), "frame", "The basis is not orthogonal (columns 0, 0).");
        Contract.Argument(() => OrthogonalBasis.RowMajor(new[,] { { 1.0, 0.0 }, { 0.0, 0.9 } }, "frame"), "frame", "The basis is not orthogonal (columns 1, 1).");
        // A column product of exactly 1e-9: tolerated.
        var (u, t) = OrthogonalBasis.RowMajor(new[,] { { 1.0, 1e-9 }, { 0.0, 1.0 } }, "frame");
        Assert.Equal(1e-9, u[1]);
        Assert.Equal(1e-9, t[2]);
        var (r, _) = OrthogonalBasis.RowMajor(Contract.Rotation(0.37), "frame");
        Assert.Equal(Math.Cos(0.37), r[0]);
    }
}

public class DataToyDataContractTests
{
    public static TheoryData<string> NoisyNames => new() { "moons", "rings", "swissroll" };

    public static TheoryData<string> AllNames => new() { "moons", "rings", "swissroll", "checkerboard", "pinwheel" };

    private static IDataSet Make(string name, double noise = 0.37) => name switch
    {
        "moons" => new Moons(noise),
        "rings" => new Rings(noise),
        "swissroll" => new SwissRoll(noise),
        "checkerboard" => new Checkerboard(),
        _ => new Pinwheel(),
    };

    private static double NoiseOf(IDataSet set) => set switch
    {
        Moons m => m.Noise,
        Rings r => r.Noise,
        SwissRoll s => s.Noise,
        _ => throw new InvalidOperationException(),
    };

    [Theory]
    [MemberData(nameof(NoisyNames))]
    public void NoiseMustBeFiniteAndNonNegative(string name)
    {
        foreach (var v in new[] { -0.37, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var e = Contract.OutOfRange(() => Make(name, v), "noise", "noise must be finite and non-negative.");
            Assert.Equal(v, e.ActualValue);
        }
        Assert.Equal(0.0, NoiseOf(Make(name, 0.0)));
        Assert.Equal(0.37, NoiseOf(Make(name, 0.37)));
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void SampleNeedsATwoDimensionalDestinationAndANonNegativeFirstParticle(string name)
    {
        var set = Make(name);
        var noise = new NoiseSource(7);
        foreach (var d in new[] { 1, 3 })
            Contract.Argument(() => set.Sample(new Batch(2, d), noise, 0), "destination", $"Toy data sets are 2-D; the destination has dimension {d}.");
        Contract.Guard(() => set.Sample(new Batch(2, 2), noise, -1), "firstParticle");
        var b = new Batch(2, 2);
        set.Sample(b, noise, 0);
        Assert.True(b.IsFinite());
    }
}

public class DataSpectralGaussianContractTests
{
    /// <summary>The noised evaluations take the kernel scales GaussianMixture takes: α finite, σ finite and ≥ 0, not both 0.</summary>
    [Fact]
    public void NoisedEvaluationsCheckTheKernelScales()
    {
        var g = SpectralGaussian.PowerLaw(2, 0.8, 1.3);
        var x = new Batch(3, 2);
        var rows = new Batch(3, 2);
        var scalars = new double[3];
        foreach (var (alpha, sigma, name) in new[] { (double.NaN, 0.5, "alpha"), (0.37, -0.1, "sigma"), (0.37, double.PositiveInfinity, "sigma"), (0.0, 0.0, "sigma") })
        {
            Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(() => g.NoisedScore(alpha, sigma, x, rows)).ParamName);
            Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(() => g.NoisedPosteriorMean(alpha, sigma, x, rows)).ParamName);
            Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(() => g.NoisedLogDensity(alpha, sigma, x, scalars)).ParamName);
            Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(() => g.NoisedScoreDivergence(alpha, sigma, x, scalars)).ParamName);
            Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(() => g.Noised(alpha, sigma)).ParamName);
        }
        g.NoisedScore(0.0, 0.37, x, rows); // α = 0: the data erased, the law N(0, σ² I)
        Assert.Equal(0.37 * 0.37, g.Noised(0.0, 0.37).CovarianceMatrix()[0, 0], 15);
    }

    private static readonly double[] Mu = [0.37, 2.5];
    private static readonly double[] Lambda = [0.37, 2.5];

    [Fact]
    public void ConstructorChecksEveryArgument()
    {
        Contract.Null(() => _ = new SpectralGaussian(null!, Lambda), "mean");
        Contract.Null(() => _ = new SpectralGaussian(Mu, null!), "eigenvalues");
        Contract.Argument(() => _ = new SpectralGaussian([], []), "mean", "A Gaussian needs at least one dimension.");
        Assert.Equal(1, new SpectralGaussian([0.37], [2.5]).Dimension);
        Contract.Argument(() => _ = new SpectralGaussian(Mu, [0.37, 2.5, 1.5]), "eigenvalues", "3 eigenvalues for a 2-dimensional mean.");
        Contract.Argument(() => _ = new SpectralGaussian(Mu, [0.37]), "eigenvalues", "1 eigenvalues for a 2-dimensional mean.");
        foreach (var l in Contract.NotPositive)
            Contract.Argument(() => _ = new SpectralGaussian(Mu, [0.37, l]), "eigenvalues", $"An eigenvalue is {l}; all must be finite and positive.");
        foreach (var m in Contract.NonFinite)
            Contract.Argument(() => _ = new SpectralGaussian([0.37, m], Lambda), "mean", $"The mean has a non-finite entry {m}.");
        Contract.Argument(() => _ = new SpectralGaussian(Mu, Lambda, new double[3, 2]), "basis", "The basis is 3 x 2, expected 2 x 2.");
        Contract.Argument(() => _ = new SpectralGaussian(Mu, Lambda, new double[2, 3]), "basis", "The basis is 2 x 3, expected 2 x 2.");
        Contract.Argument(() => _ = new SpectralGaussian(Mu, Lambda, new[,] { { 1.0, 0.5 }, { 0.0, 1.0 } }), "basis", "The basis is not orthogonal (columns 1, 0).");
        var g = new SpectralGaussian(Mu, Lambda, Contract.Rotation(0.37));
        Assert.True(g.IsRotated);
        Assert.False(new SpectralGaussian(Mu, Lambda).IsRotated);
    }

    [Fact]
    public void PowerLawNeedsAPositiveDimensionAndAFiniteExponent()
    {
        Contract.Guard(() => SpectralGaussian.PowerLaw(0, 0.37), "dimension");
        Contract.Guard(() => SpectralGaussian.PowerLaw(-2, 0.37), "dimension");
        Assert.Equal(1, SpectralGaussian.PowerLaw(1, 0.37).Dimension);
        foreach (var p in Contract.NonFinite)
        {
            var e = Contract.OutOfRange(() => SpectralGaussian.PowerLaw(3, p), "exponent", "Must be finite.");
            Assert.Equal(p, e.ActualValue);
        }
        Assert.Equal(2.5 * Math.Pow(2, -0.37), SpectralGaussian.PowerLaw(3, 0.37, 2.5).Eigenvalues[1], 12);
    }

    [Fact]
    public void LowRankPlusDiagonalChecksItsArguments()
    {
        var factor = new[,] { { 0.37 }, { 2.5 } };
        Contract.Null(() => SpectralGaussian.LowRankPlusDiagonal(null!, Lambda, factor), "mean");
        Contract.Null(() => SpectralGaussian.LowRankPlusDiagonal(Mu, null!, factor), "diagonal");
        Contract.Null(() => SpectralGaussian.LowRankPlusDiagonal(Mu, Lambda, null!), "factor");
        Contract.Argument(() => SpectralGaussian.LowRankPlusDiagonal(Mu, [0.37, 2.5, 1.5], factor), "diagonal", "diagonal has 3 entries and the factor 2 rows for D = 2.");
        Contract.Argument(() => SpectralGaussian.LowRankPlusDiagonal(Mu, Lambda, new[,] { { 0.37 }, { 2.5 }, { 1.5 } }), "factor", "diagonal has 2 entries and the factor 3 rows for D = 2.");
        var g = SpectralGaussian.LowRankPlusDiagonal(Mu, Lambda, factor);
        Assert.Equal(2.5 + 2.5 * 2.5, g.CovarianceMatrix()[1, 1], 9);
    }

    [Fact]
    public void FromCovarianceRefusesANullCovariance()
    {
        Contract.Null(() => SpectralGaussian.FromCovariance(Mu, null!), "covariance");
        Assert.Equal(2, SpectralGaussian.FromCovariance(Mu, new[,] { { 0.8, 0.1 }, { 0.1, 0.6 } }).Dimension);
    }

    [Fact]
    public void EvaluationsAndSampleCheckShapes()
    {
        foreach (var g in new[] { new SpectralGaussian(Mu, Lambda), new SpectralGaussian(Mu, Lambda, Contract.Rotation(0.37)) })
        {
            var wide = new Batch(2, 3);
            const string xMessage = "Batch 'x' has dimension 3, the Gaussian has 2.";
            Contract.Argument(() => g.Sample(wide, new NoiseSource(3), 0), "destination", "Batch 'destination' has dimension 3, the Gaussian has 2.");
            Contract.Argument(() => g.NoisedLogDensity(0.37, 0.5, wide, new double[2]), "x", xMessage);
            Contract.Argument(() => g.NoisedScore(0.37, 0.5, wide, new Batch(2, 3)), "x", xMessage);
            Contract.Argument(() => g.NoisedScoreDivergence(0.37, 0.5, wide, new double[2]), "x", xMessage);
            Contract.Argument(() => g.NoisedPosteriorMean(0.37, 0.5, wide, new Batch(2, 3)), "x", xMessage);
            var x = new Batch(2, 2);
            new NoiseSource(3).FillGaussian(0, 0, x);
            foreach (var n in new[] { 1, 3 })
            {
                Contract.Argument(() => g.NoisedLogDensity(0.37, 0.5, x, new double[n]), "destination", $"Destination has {n} entries for 2 particles.");
                Contract.Argument(() => g.NoisedScoreDivergence(0.37, 0.5, x, new double[n]), "destination", $"Destination has {n} entries for 2 particles.");
                Contract.Argument(() => g.NoisedScore(0.37, 0.5, x, new Batch(n, 2)), "destination", $"Batch 'destination' is {n} x 2, expected 2 x 2.");
                Contract.Argument(() => g.NoisedPosteriorMean(0.37, 0.5, x, new Batch(n, 2)), "destination", $"Batch 'destination' is {n} x 2, expected 2 x 2.");
            }
            var d = new double[2];
            g.NoisedLogDensity(0.37, 0.5, x, d);
            Assert.All(d, v => Assert.True(double.IsFinite(v)));
            g.NoisedScoreDivergence(0.37, 0.5, x, d);
            Assert.Equal(-1 / (0.37 * 0.37 * 0.37 + 0.25) - 1 / (0.37 * 0.37 * 2.5 + 0.25), d[1], 12);
            var rows = new Batch(2, 2);
            g.NoisedScore(0.37, 0.5, x, rows);
            Assert.True(rows.IsFinite());
            g.NoisedPosteriorMean(0.37, 0.5, x, rows);
            Assert.True(rows.IsFinite());
            g.Sample(rows, new NoiseSource(3), 0);
            Assert.True(rows.IsFinite());
        }
    }
}

public class DataSpectralMixtureContractTests
{
    private static readonly double[] W = [0.37, 0.63];

    private static double[][] Means() => [[0.37, 2.5], [-1.25, 0.5]];

    private static double[][] Spectra() => [[0.37, 2.5], [1.5, 0.8]];

    private static SpectralMixture Plain() => new(W, Means(), Spectra());

    private static SpectralMixture Rotated() => new(W, Means(), Spectra(), Contract.Rotation(0.37));

    [Fact]
    public void ConstructorRefusesNullsAndMismatchedCounts()
    {
        Contract.Null(() => _ = new SpectralMixture(null!, Means(), Spectra()), "weights");
        Contract.Null(() => _ = new SpectralMixture(W, null!, Spectra()), "means");
        Contract.Null(() => _ = new SpectralMixture(W, Means(), null!), "eigenvalues");
        Contract.Argument(() => _ = new SpectralMixture([], [], []), "weights", "A mixture needs at least one component.");
        Contract.Argument(() => _ = new SpectralMixture(W, [[0.37, 2.5]], Spectra()), "means", "2 weights, 1 means and 2 spectra.");
        Contract.Argument(() => _ = new SpectralMixture(W, Means(), [[0.37, 2.5]]), "means", "2 weights, 2 means and 1 spectra.");
        Contract.Argument(() => _ = new SpectralMixture(W, Means(), [[0.37, 2.5], [1.0, 2.0], [3.0, 4.0]]), "means", "2 weights, 2 means and 3 spectra.");
        Contract.Argument(() => _ = new SpectralMixture(W, [[], []], [[], []]), "means", "The dimension must be positive.");
        Assert.Equal(1, new SpectralMixture(W, [[0.37], [2.5]], [[0.37], [2.5]]).Dimension);
        Assert.Equal(1, new SpectralMixture([1.0], [[0.37, 2.5]], [[0.37, 2.5]]).Components);
        Assert.Equal(2, Plain().Components);
        Contract.Argument(() => _ = new SpectralMixture(W, [[0.37, 2.5], null!], Spectra()), "means", "Mean 1 is null.");
        Contract.Argument(() => _ = new SpectralMixture(W, Means(), [null!, [0.37, 2.5]]), "eigenvalues", "Spectrum 0 is null.");
    }

    [Fact]
    public void ComponentAccessorsCheckTheIndex()
    {
        var m = Plain();
        Assert.Equal([-1.25, 0.5], m.Mean(1));
        Assert.Equal(2.5, m.Covariance(0)[1, 1]);
        foreach (var k in new[] { -1, 2 })
        {
            Contract.OutOfRange(() => m.Mean(k), "component", "Component index outside [0, 2).");
            Contract.OutOfRange(() => m.Covariance(k), "component", "Component index outside [0, 2).");
        }
    }

    [Fact]
    public void WeightsMustBeFinitePositiveAndSumToOne()
    {
        foreach (var w in Contract.NotPositive)
            Contract.Argument(() => _ = new SpectralMixture([w, 1.0], Means(), Spectra()), "weights", $"A weight is {w}; all must be finite and positive.");
        var low = 0.37 + 0.62;
        Contract.Argument(() => _ = new SpectralMixture([0.37, 0.62], Means(), Spectra()), "weights", $"The weights sum to {low}, not 1.");
        var over = 0.63 + 1.1e-12;
        var overSum = 0.37 + over;
        Contract.Argument(() => _ = new SpectralMixture([0.37, over], Means(), Spectra()), "weights", $"The weights sum to {overSum}, not 1.");
        var under = 0.63 - 1.1e-12;
        var underSum = 0.37 + under;
        Contract.Argument(() => _ = new SpectralMixture([0.37, under], Means(), Spectra()), "weights", $"The weights sum to {underSum}, not 1.");
        Assert.Equal(2, new SpectralMixture([0.37, 0.63 + 0.9e-12], Means(), Spectra()).Components);
        Assert.Equal(2, new SpectralMixture([0.37, 0.63 - 0.9e-12], Means(), Spectra()).Components);
    }

    [Fact]
    public void ComponentsMustBeOfTheDimensionFiniteAndPositive()
    {
        Contract.Argument(() => _ = new SpectralMixture(W, [[0.37, 2.5], [1.0, 2.0, 3.0]], Spectra()), "means", "Component 1 is not 2-dimensional.");
        Contract.Argument(() => _ = new SpectralMixture(W, [[0.37, 2.5], [1.0]], Spectra()), "means", "Component 1 is not 2-dimensional.");
        Contract.Argument(() => _ = new SpectralMixture(W, Means(), [[0.37, 2.5], [1.0, 2.0, 3.0]]), "means", "Component 1 is not 2-dimensional.");
        Contract.Argument(() => _ = new SpectralMixture(W, Means(), [[0.37, 2.5], [1.0]]), "means", "Component 1 is not 2-dimensional.");
        foreach (var m in Contract.NonFinite)
            Contract.Argument(() => _ = new SpectralMixture(W, [[0.37, 2.5], [m, 0.5]], Spectra()), "means", "Mean 1 has a non-finite entry.");
        foreach (var l in Contract.NotPositive)
            Contract.Argument(() => _ = new SpectralMixture(W, Means(), [[0.37, 2.5], [1.5, l]]), "eigenvalues", $"Component 1 has an eigenvalue {l}.");
        Assert.Equal(0.8, Plain().Covariance(1)[1, 1]);
        Assert.Equal(-1.25, Plain().Mean(1)[0]);
    }

    [Fact]
    public void BasisMustBeSquareOfTheDimensionAndOrthogonal()
    {
        Contract.Argument(() => _ = new SpectralMixture(W, Means(), Spectra(), new double[3, 2]), "basis", "The basis is not 2 x 2.");
        Contract.Argument(() => _ = new SpectralMixture(W, Means(), Spectra(), new double[2, 3]), "basis", "The basis is not 2 x 2.");
        Contract.Argument(() => _ = new SpectralMixture(W, Means(), Spectra(), new[,] { { 1.0, 0.5 }, { 0.0, 1.0 } }), "basis", "The basis is not orthogonal (columns 1, 0).");
        Assert.Equal(2, Rotated().Dimension);
    }

    [Fact]
    public void PowerLawNeedsPositiveDimensionAndComponents()
    {
        Contract.Guard(() => SpectralMixture.PowerLaw(0, 2, 0.37, 2.5, 1.5, false, 3), "dimension");
        Contract.Guard(() => SpectralMixture.PowerLaw(-1, 2, 0.37, 2.5, 1.5, false, 3), "dimension");
        Contract.Guard(() => SpectralMixture.PowerLaw(2, 0, 0.37, 2.5, 1.5, false, 3), "components");
        Contract.Guard(() => SpectralMixture.PowerLaw(2, -1, 0.37, 2.5, 1.5, false, 3), "components");
        var m = SpectralMixture.PowerLaw(1, 1, 0.37, 2.5, 1.5, false, 3);
        Assert.Equal(1, m.Dimension);
        Assert.Equal(1, m.Components);
    }

    [Fact]
    public void SampleNeedsTheDimension()
    {
        foreach (var m in new[] { Plain(), Rotated() })
        {
            Contract.Argument(() => m.Sample(new Batch(2, 3), new NoiseSource(3), 0), "destination", "Batch 'destination' has dimension 3, the mixture has 2.");
            var b = new Batch(2, 2);
            m.Sample(b, new NoiseSource(3), 0);
            Assert.True(b.IsFinite());
        }
    }

    private static void Calls(SpectralMixture m, Batch x, Action<Action<double, double>> check)
    {
        var rows = new Batch(x.Count, x.Dimension);
        check((a, s) => m.NoisedLogDensity(a, s, x, new double[x.Count]));
        check((a, s) => m.NoisedScoreDivergence(a, s, x, new double[x.Count]));
        check((a, s) => m.NoisedScore(a, s, x, rows));
        check((a, s) => m.NoisedPosteriorMean(a, s, x, rows));
    }

    [Fact]
    public void EvaluationsNeedAPositiveAlphaAndANonNegativeSigma()
    {
        var x = new Batch(2, 2);
        new NoiseSource(3).FillGaussian(0, 0, x);
        foreach (var m in new[] { Plain(), Rotated() })
            Calls(m, x, call =>
            {
                foreach (var (a, s) in new[]
                         {
                             (0.0, 0.5), (-0.37, 0.5), (double.NaN, 0.5), (double.PositiveInfinity, 0.5),
                             (0.37, -0.37), (0.37, double.NaN), (0.37, double.PositiveInfinity),
                         })
                    Contract.OutOfRange(() => call(a, s), "alpha", $"alpha = {a}, sigma = {s}.");
                call(0.37, 0.0);
                call(1e-3, 0.5);
            });
    }

    [Fact]
    public void EvaluationsCheckShapes()
    {
        var x = new Batch(2, 2);
        new NoiseSource(3).FillGaussian(0, 0, x);
        var wide = new Batch(2, 3);
        foreach (var m in new[] { Plain(), Rotated() })
        {
            const string xMessage = "Batch 'x' has dimension 3, the mixture has 2.";
            Contract.Argument(() => m.NoisedLogDensity(0.37, 0.5, wide, new double[2]), "x", xMessage);
            Contract.Argument(() => m.NoisedScoreDivergence(0.37, 0.5, wide, new double[2]), "x", xMessage);
            Contract.Argument(() => m.NoisedScore(0.37, 0.5, wide, new Batch(2, 3)), "x", xMessage);
            Contract.Argument(() => m.NoisedPosteriorMean(0.37, 0.5, wide, new Batch(2, 3)), "x", xMessage);
            foreach (var n in new[] { 1, 3 })
            {
                Contract.Argument(() => m.NoisedLogDensity(0.37, 0.5, x, new double[n]), "destination", $"Destination has {n} entries for 2 particles.");
                Contract.Argument(() => m.NoisedScoreDivergence(0.37, 0.5, x, new double[n]), "destination", $"Destination has {n} entries for 2 particles.");
                Contract.Argument(() => m.NoisedScore(0.37, 0.5, x, new Batch(n, 2)), "destination", $"Batch 'destination' is {n} x 2, expected 2 x 2.");
                Contract.Argument(() => m.NoisedPosteriorMean(0.37, 0.5, x, new Batch(n, 2)), "destination", $"Batch 'destination' is {n} x 2, expected 2 x 2.");
            }
            var d = new double[2];
            m.NoisedLogDensity(0.37, 0.5, x, d);
            Assert.All(d, v => Assert.True(double.IsFinite(v)));
            m.NoisedScoreDivergence(0.37, 0.5, x, d);
            Assert.All(d, v => Assert.True(double.IsFinite(v)));
            var rows = new Batch(2, 2);
            m.NoisedScore(0.37, 0.5, x, rows);
            Assert.True(rows.IsFinite());
            m.NoisedPosteriorMean(0.37, 0.5, x, rows);
            Assert.True(rows.IsFinite());
        }
    }
}

public class DataRegistryContractTests
{
    private static readonly DataSetRegistry Registry = DataSetRegistry.CreateDefault();

    private static IDataSet Lists(string name, Dictionary<string, double[]> p) => Registry.CreateFromLists(name, p);

    private static IDataSet Scalars(string name, Dictionary<string, double> p) => Registry.Create(name, p);

    [Fact]
    public void GaussianNeedsADimensionOrAMeanThatAgree()
    {
        const string none = "Give 'dimension' or 'mean' for a gaussian.";
        Contract.Parameter(() => Lists("gaussian", new()), "dimension", none);
        Contract.Parameter(() => Lists("gaussian", new() { ["dimension"] = [0] }), "dimension", "Parameter 'dimension' must be positive, got 0.");
        Contract.Parameter(() => Lists("gaussian", new() { ["dimension"] = [-2] }), "dimension", "Parameter 'dimension' must be positive, got -2.");
        Assert.Equal(1, Lists("gaussian", new() { ["dimension"] = [1] }).Dimension);
        Assert.Equal(2, Lists("gaussian", new() { ["mean"] = [0.37, 2.5] }).Dimension);
        Assert.Equal(2, Lists("gaussian", new() { ["dimension"] = [2], ["mean"] = [0.37, 2.5] }).Dimension);
        Contract.Parameter(() => Lists("gaussian", new() { ["dimension"] = [3], ["mean"] = [0.37, 2.5] }), "dimension", "Parameter 'dimension' is 3 but 'mean' has 2 entries.");
        Contract.Parameter(() => Lists("gaussian", new() { ["dimension"] = [1], ["mean"] = [0.37, 2.5] }), "dimension", "Parameter 'dimension' is 1 but 'mean' has 2 entries.");
    }

    [Fact]
    public void GaussianTakesVarianceOrASquareCovariance()
    {
        Contract.Parameter(() => Lists("gaussian", new() { ["mean"] = [0.37, 2.5], ["variance"] = [0.37], ["covariance"] = [0.8, 0.1, 0.1, 0.6] }),
            "covariance", "Give 'variance' or 'covariance', not both.");
        Contract.Parameter(() => Lists("gaussian", new() { ["mean"] = [0.37, 2.5], ["covariance"] = [0.8, 0.1, 0.1] }), "covariance", "'covariance' has 3 entries, expected 2 x 2.");
        Contract.Parameter(() => Lists("gaussian", new() { ["mean"] = [0.37, 2.5], ["covariance"] = [0.8, 0.1, 0.1, 0.6, 0.5] }), "covariance", "'covariance' has 5 entries, expected 2 x 2.");
        var g = (Gaussian)Lists("gaussian", new() { ["mean"] = [0.37, 2.5], ["covariance"] = [0.8, 0.1, 0.1, 0.6] });
        Assert.Equal(0.1, g.Covariance[0, 1]);
        var v = (Gaussian)Lists("gaussian", new() { ["mean"] = [0.37, 2.5], ["variance"] = [0.37] });
        Assert.Equal(0.37, v.Covariance[1, 1]);
    }

    [Fact]
    public void MixtureMeansAreAPositiveMultipleOfTheWeights()
    {
        Contract.Parameter(() => Lists("mixture", new() { ["weights"] = [], ["means"] = [0.37], ["variances"] = [] }), "means",
            "'means' has 1 entries, not a positive multiple of the 0 weights.");
        Contract.Parameter(() => Lists("mixture", new() { ["weights"] = [0.37, 0.63], ["means"] = [0.37, 2.5, 1.0], ["variances"] = [0.37, 2.5] }), "means",
            "'means' has 3 entries, not a positive multiple of the 2 weights.");
        Contract.Parameter(() => Lists("mixture", new() { ["weights"] = [1.0], ["means"] = [], ["variances"] = [0.37] }), "means",
            "'means' has 0 entries, not a positive multiple of the 1 weights.");
        var m = (GaussianMixture)Lists("mixture", new() { ["weights"] = [0.37, 0.63], ["means"] = [0.37, 2.5], ["variances"] = [0.37, 2.5] });
        Assert.Equal(1, m.Dimension);
        Assert.Equal(2.5, m.Mean(1)[0]);
    }

    [Fact]
    public void MixtureTakesVariancesOrCovariancesOfTheRightLength()
    {
        var means = new[] { 0.37, 2.5, -1.25, 0.5 };
        double[] covariances = [0.8, 0.1, 0.1, 0.6, 0.5, 0.0, 0.0, 0.5];
        Contract.Parameter(() => Lists("mixture", new() { ["weights"] = [0.37, 0.63], ["means"] = means, ["variances"] = [0.37, 2.5], ["covariances"] = covariances }),
            "covariances", "Give 'variances' or 'covariances', not both.");
        Contract.Parameter(() => Lists("mixture", new() { ["weights"] = [0.37, 0.63], ["means"] = means, ["covariances"] = covariances[..7] }),
            "covariances", "'covariances' has 7 entries, expected 2 x 2 x 2.");
        Contract.Parameter(() => Lists("mixture", new() { ["weights"] = [0.37, 0.63], ["means"] = means, ["covariances"] = [.. covariances, 0.3] }),
            "covariances", "'covariances' has 9 entries, expected 2 x 2 x 2.");
        var full = (GaussianMixture)Lists("mixture", new() { ["weights"] = [0.37, 0.63], ["means"] = means, ["covariances"] = covariances });
        Assert.Equal(0.1, full.Covariance(0)[1, 0]);
        Contract.Parameter(() => Lists("mixture", new() { ["weights"] = [0.37, 0.63], ["means"] = means, ["variances"] = [0.37] }),
            "variances", "'variances' has 1 entries for 2 weights.");
        Contract.Parameter(() => Lists("mixture", new() { ["weights"] = [0.37, 0.63], ["means"] = means, ["variances"] = [0.37, 2.5, 1.5] }),
            "variances", "'variances' has 3 entries for 2 weights.");
        var iso = (GaussianMixture)Lists("mixture", new() { ["weights"] = [0.37, 0.63], ["means"] = means, ["variances"] = [0.37, 2.5] });
        Assert.Equal(2.5, iso.Covariance(1)[1, 1]);
    }

    [Fact]
    public void GaussianSpectrumChecksItsParameters()
    {
        const string dimension = "Give a positive 'dimension' for gaussian_spectrum.";
        Contract.Parameter(() => Scalars("gaussian_spectrum", new()), "dimension", dimension);
        Contract.Parameter(() => Scalars("gaussian_spectrum", new() { ["dimension"] = 0 }), "dimension", dimension);
        Contract.Parameter(() => Scalars("gaussian_spectrum", new() { ["dimension"] = -2 }), "dimension", dimension);
        Assert.Equal(1, Scalars("gaussian_spectrum", new() { ["dimension"] = 1 }).Dimension);
        foreach (var s in new[] { 0.0, -0.37 })
            Contract.Parameter(() => Scalars("gaussian_spectrum", new() { ["dimension"] = 3, ["scale"] = s }), "scale", $"'scale' must be finite and positive, got {s}.");
        Assert.Equal(0.37, ((SpectralGaussian)Scalars("gaussian_spectrum", new() { ["dimension"] = 3, ["scale"] = 0.37 })).Eigenvalues[0]);
        foreach (var r in new[] { 2, -1 })
            Contract.Parameter(() => Scalars("gaussian_spectrum", new() { ["dimension"] = 3, ["rotate"] = r }), "rotate", $"'rotate' must be 0 or 1, got {r}.");
        Assert.True(((SpectralGaussian)Scalars("gaussian_spectrum", new() { ["dimension"] = 3, ["rotate"] = 1 })).IsRotated);
        Assert.False(((SpectralGaussian)Scalars("gaussian_spectrum", new() { ["dimension"] = 3, ["rotate"] = 0 })).IsRotated);
        foreach (var k in new[] { -1, 4 })
            Contract.Parameter(() => Scalars("gaussian_spectrum", new() { ["dimension"] = 3, ["rank"] = k }), "rank", $"'rank' must be in [0, 3], got {k}.");
        Assert.True(((SpectralGaussian)Scalars("gaussian_spectrum", new() { ["dimension"] = 3, ["rank"] = 3 })).IsRotated);
        Assert.False(((SpectralGaussian)Scalars("gaussian_spectrum", new() { ["dimension"] = 3, ["rank"] = 0 })).IsRotated);
        Contract.Parameter(() => Scalars("gaussian_spectrum", new() { ["dimension"] = 3, ["rotate"] = 1, ["rank"] = 1 }), "rank", "'rotate' and 'rank' cannot be combined.");
    }

    [Fact]
    public void MixtureSpectrumChecksItsParameters()
    {
        const string dimension = "Give a positive 'dimension' for mixture_spectrum.";
        Contract.Parameter(() => Scalars("mixture_spectrum", new()), "dimension", dimension);
        Contract.Parameter(() => Scalars("mixture_spectrum", new() { ["dimension"] = 0 }), "dimension", dimension);
        Contract.Parameter(() => Scalars("mixture_spectrum", new() { ["dimension"] = -1 }), "dimension", dimension);
        Assert.Equal(1, Scalars("mixture_spectrum", new() { ["dimension"] = 1, ["components"] = 2 }).Dimension);
        foreach (var k in new[] { 0, -1 })
            Contract.Parameter(() => Scalars("mixture_spectrum", new() { ["dimension"] = 2, ["components"] = k }), "components", $"'components' must be positive, got {k}.");
        Assert.Equal(1, ((SpectralMixture)Scalars("mixture_spectrum", new() { ["dimension"] = 2, ["components"] = 1 })).Components);
        foreach (var s in new[] { 0.0, -0.37 })
            Contract.Parameter(() => Scalars("mixture_spectrum", new() { ["dimension"] = 2, ["components"] = 2, ["scale"] = s }), "scale", $"'scale' must be finite and positive, got {s}.");
        Assert.Equal(2, Scalars("mixture_spectrum", new() { ["dimension"] = 2, ["components"] = 2, ["scale"] = 0.37 }).Dimension);
        Contract.Parameter(() => Scalars("mixture_spectrum", new() { ["dimension"] = 2, ["components"] = 2, ["spread"] = -0.37 }), "spread", $"'spread' must be finite and >= 0, got {-0.37}.");
        var zero = (SpectralMixture)Scalars("mixture_spectrum", new() { ["dimension"] = 2, ["components"] = 2, ["spread"] = 0 });
        Assert.Equal(0.0, zero.Mean(1)[1]);
        foreach (var r in new[] { 2, -1 })
            Contract.Parameter(() => Scalars("mixture_spectrum", new() { ["dimension"] = 2, ["components"] = 2, ["rotate"] = r }), "rotate", $"'rotate' must be 0 or 1, got {r}.");
        Assert.Equal(2, Scalars("mixture_spectrum", new() { ["dimension"] = 2, ["components"] = 2, ["rotate"] = 1 }).Dimension);
        Assert.Equal(2, Scalars("mixture_spectrum", new() { ["dimension"] = 2, ["components"] = 2, ["rotate"] = 0 }).Dimension);
        Contract.Parameter(() => Scalars("mixture_spectrum", new() { ["dimension"] = 2, ["components"] = 2, ["seed"] = -1 }), "seed", "'seed' must be >= 0, got -1.");
        Assert.Equal(2, Scalars("mixture_spectrum", new() { ["dimension"] = 2, ["components"] = 2, ["seed"] = 0 }).Dimension);
    }
}

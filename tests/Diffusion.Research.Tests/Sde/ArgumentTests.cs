using Diffusion.Research.Data;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Sde;

public class ArgumentTests
{
    [Fact]
    public void BadParametersThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VeSde(1.0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VeSde(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VeSde(double.NaN, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => VpSde.Linear(0.1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => VpSde.Linear(5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => VpSde.Cosine(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => VpSde.Cosine(0.008, 0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => AffineSde.FlowMatching(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AffineSde.FlowMatching(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OrnsteinUhlenbeckSde(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OrnsteinUhlenbeckSde(1, 1, double.PositiveInfinity));
        Assert.Throws<ArgumentNullException>(() => new VpSde(null!));
        Assert.Throws<ArgumentNullException>(() => new OverdampedLangevinSde(null!));
        // σ²/α² decreasing: no real SDE has this kernel (g² < 0, 003 Lemma 4.4.1; Kingma et al. 2021; Lu et al. 2022, §2)
        var ex = Assert.Throws<ArgumentException>(() => new AffineSde(t => 1.0, t => 1 - 0.5 * t, 1.0));
        Assert.Contains("non-decreasing", ex.Message);
        Assert.Throws<ArgumentException>(() => new AffineSde(t => 1 - t, t => t, 1.0)); // α_1 = 0
        Assert.Throws<ArgumentException>(() => new LinearSde(t => -1, t => 0, 1.0)); // no noise
        Assert.Throws<ArgumentOutOfRangeException>(() => Gaussian.Centered(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gaussian.Centered(0, 1));
    }

    [Theory]
    [MemberData(nameof(BuiltInSdes.Names), MemberType = typeof(BuiltInSdes))]
    public void TimesOutsideTheHorizonThrow(string name)
    {
        var sde = BuiltInSdes.Get(name);
        foreach (var t in new[] { -0.01, sde.T * 1.01, double.NaN })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => sde.Diffusion(t));
            Assert.Throws<ArgumentOutOfRangeException>(() => sde.DriftCoefficient(t));
            Assert.Throws<ArgumentOutOfRangeException>(() => sde.Kernel!.Alpha(t));
            Assert.Throws<ArgumentOutOfRangeException>(() => sde.Kernel!.Sigma(t));
        }
        Assert.Throws<ArgumentException>(() => sde.Drift(0.5 * sde.T, new Batch(3, 2), new Batch(3, 1)));
    }

    [Fact]
    public void PriorsHaveTheDocumentedScale()
    {
        Assert.Equal(10.0, PriorStandardDeviation(new VeSde(0.01, 10).Prior(2)));
        Assert.Equal(1.0, PriorStandardDeviation(VpSde.Linear().Prior(3)));
        Assert.Equal(1.0, PriorStandardDeviation(SubVpSde.Linear().Prior(3)));
        Assert.Equal(0.999, PriorStandardDeviation(AffineSde.FlowMatching().Prior(2)), 1e-15);
        Assert.Equal(Math.Sqrt(4.0 / (2 * 0.5)), PriorStandardDeviation(new OrnsteinUhlenbeckSde(0.5, 2, 3).Prior(2)), 1e-15);
    }

    private static double PriorStandardDeviation(IDistribution prior)
    {
        var g = Assert.IsType<Gaussian>(prior);
        Assert.True(g.IsIsotropic);
        Assert.Equal(new double[g.Dimension], g.Mean);
        return Math.Sqrt(g.Covariance[0, 0]);
    }

    [Fact]
    public void CenteredGaussianDensityScoreAndSampling()
    {
        var prior = Gaussian.Centered(3, 2.0);
        var x = Batch.FromRows(new[] { new[] { 1.0, -2.0, 0.5 } });
        Span<double> lp = stackalloc double[1];
        prior.LogDensity(x, lp);
        Assert.Equal(-1.5 * Math.Log(2 * Math.PI * 4) - 0.5 * 5.25 / 4, lp[0], 1e-14);
        var s = new Batch(1, 3);
        prior.Score(x, s);
        Assert.Equal(new[] { -0.25, 0.5, -0.125 }, s.ToArray());
        // same particle index, same draw, whatever the batch
        var noise = new NoiseSource(5);
        var a = new Batch(10, 3);
        prior.Sample(a, noise, 0);
        var b = new Batch(4, 3);
        prior.Sample(b, noise, 6);
        Assert.Equal(a.Slice(6, 4).ToArray(), b.ToArray());
    }

    /// <summary>f(x, t) = f(t) x for every registered SDE (003 eq (5)), whatever the destination held before (VE: f = 0).</summary>
    [Fact]
    public void Drift_overwrites_the_destination()
    {
        var registry = SdeRegistry.CreateDefault();
        var x = new Batch(3, 2);
        new NoiseSource(4).FillGaussian(0, 0, x);
        foreach (var name in registry.Names)
        {
            var sde = (ILinearSde)registry.Create(name);
            var t = 0.37 * sde.T;
            var destination = new Batch(3, 2);
            destination.Values.Fill(7.25);
            sde.Drift(t, x, destination);
            var f = sde.DriftCoefficient(t);
            for (var i = 0; i < x.Values.Length; i++) Assert.Equal(f * x.Values[i], destination.Values[i], 14);
        }
    }
}

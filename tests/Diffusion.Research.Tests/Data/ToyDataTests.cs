using Diffusion.Research.Registries;
using Diffusion.Research.Data;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Tests.Data;

public class ToyDataTests
{
    private const int N = 100_000;

    public static TheoryData<string> Names => new() { "8gaussians", "swissroll", "moons", "checkerboard", "rings", "pinwheel", "gaussian", "mixture" };

    private static readonly DataSetRegistry Registry = DataSetRegistry.CreateDefault();

    private static IDataSet Create(string name) => name switch
    {
        "gaussian" => Registry.CreateFromLists(name, new Dictionary<string, double[]> { ["mean"] = [1.0, 2.0, 3.0], ["variance"] = [0.5] }),
        "mixture" => Registry.CreateFromLists(name, new Dictionary<string, double[]>
        {
            ["weights"] = [0.3, 0.7], ["means"] = [0.0, 0.0, 2.0, 1.0], ["covariances"] = [1.0, 0.2, 0.2, 0.5, 0.3, 0.0, 0.0, 0.3],
        }),
        _ => Registry.Create(name),
    };

    private static Batch Draw(IDataSet set, int n, ulong seed = 11)
    {
        var b = new Batch(n, set.Dimension);
        set.Sample(b, new NoiseSource(seed), 0);
        return b;
    }

    [Fact]
    public void DefaultRegistryHasTheDocumentedNames()
    {
        Assert.Equal(["8gaussians", "swissroll", "moons", "checkerboard", "rings", "pinwheel", "gaussian", "mixture", "gaussian_spectrum", "mixture_spectrum", "two_classes"], Registry.Names);
        foreach (var name in Registry.Names) Assert.False(string.IsNullOrWhiteSpace(Registry.Describe(name)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SamplingIsDeterministicAcrossBatchSizes(string name)
    {
        var set = Create(name);
        var whole = new Batch(500, set.Dimension);
        set.Sample(whole, new NoiseSource(3), 1000);
        var pieces = new Batch(500, set.Dimension);
        for (var start = 0; start < 500; start += 13)
        {
            var count = Math.Min(13, 500 - start);
            set.Sample(pieces.Slice(start, count), new NoiseSource(3), 1000 + start);
        }
        Assert.Equal(whole.ToArray(), pieces.ToArray());
        Assert.True(whole.IsFinite());
    }

    // Expected means: 8gaussians, rings, pinwheel, checkerboard are symmetric about 0. swissroll: t ~ U[1.5 pi, 4.5 pi],
    // E[t cos t] = [t sin t + cos t] / (3 pi) = 6 pi / 3 pi = 2 and E[t sin t] = [sin t - t cos t] / (3 pi) = 2 / (3 pi),
    // both / 5. moons: upper moon mean (0, 2/pi), lower (1, 1/2 - 2/pi), average (1/2, 1/4), then x 2 + (-1, -0.2) = (0, 0.3).
    [Theory]
    [InlineData("8gaussians", 0.0, 0.0)]
    [InlineData("swissroll", 0.4, 2.0 / (15.0 * Math.PI))]
    [InlineData("moons", 0.0, 0.3)]
    [InlineData("checkerboard", 0.0, 0.0)]
    [InlineData("rings", 0.0, 0.0)]
    [InlineData("pinwheel", 0.0, 0.0)]
    public void MeansMatchTheirClosedForms(string name, double mx, double my)
    {
        var x = Draw(Create(name), N);
        double[] expected = [mx, my];
        for (var d = 0; d < 2; d++)
        {
            double s = 0, s2 = 0;
            for (var i = 0; i < N; i++) { s += x[i, d]; s2 += x[i, d] * x[i, d]; }
            var mean = s / N;
            var se = Math.Sqrt((s2 / N - mean * mean) / N);
            // 5 standard errors of the sample mean (P(|Z| > 5) = 5.7e-7), fixed seed.
            Assert.True(Math.Abs(mean - expected[d]) <= 5 * se, $"{name} coordinate {d}: {mean} vs {expected[d]} (se {se})");
        }
    }

    [Fact]
    public void EightGaussiansFollowsFfjord()
    {
        var m = ToyData.EightGaussians();
        Assert.Equal(8, m.Components);
        Assert.True(m.IsIsotropic);
        var r = 4.0 / 1.414;
        var s = 0.5 / 1.414;
        for (var k = 0; k < 8; k++)
        {
            var mean = m.Mean(k);
            Assert.Equal(r, Math.Sqrt(mean[0] * mean[0] + mean[1] * mean[1]), 1e-12);
            Assert.Equal(s * s, m.Covariance(k)[0, 0], 1e-15);
        }
        var cov = m.MixtureCovariance();
        Assert.Equal(r * r / 2 + s * s, cov[0, 0], 1e-12);
        Assert.Equal(0.0, cov[0, 1], 1e-12);
    }

    [Fact]
    public void CheckerboardLiesOnTheBlackSquares()
    {
        // floor(x/2) + floor(y/2) is even on the squares FFJORD fills (x_2 - (floor(x_1) mod 2) in [0,1) or [-2,-1)).
        var x = Draw(new Checkerboard(), 20_000);
        var counts = new int[16];
        for (var i = 0; i < x.Count; i++)
        {
            Assert.InRange(x[i, 0], -4.0, 4.0);
            Assert.InRange(x[i, 1], -4.0, 4.0);
            var a = (int)Math.Floor(x[i, 0] / 2);
            var b = (int)Math.Floor(x[i, 1] / 2);
            Assert.Equal(0, (a + b) & 1);
            counts[(a + 2) * 4 + (b + 2)]++;
        }
        // 8 squares with probability 1/8 each: count ~ Binomial(20000, 1/8), sd = 46.8; allow 5 sd.
        Assert.Equal(8, counts.Count(c => c > 0));
        foreach (var c in counts.Where(c => c > 0)) Assert.InRange(c, 2500 - 234, 2500 + 234);
    }

    /// <summary>
    /// Every moons point lies near one of its two unit half circles: undoing the map's affine step, (X + 1)/2 and
    /// (Y + 0.2)/2 are within the noise of the upper circle about (0, 0) or the lower one about (1, 1/2). The Gaussian
    /// noise (sd 0.1 per coordinate) moves a point radially by at most its length, which exceeds 0.7 = 7 sd with
    /// probability e^(-24.5) = 2.3e-11 per point. (The mean test above cannot see a wrong map whose sample mean is
    /// heavy-tailed: its standard error grows with it.)
    /// </summary>
    [Fact]
    public void MoonsLieOnTheirHalfCircles()
    {
        var x = Draw(new Moons(0.1), 20_000);
        for (var i = 0; i < x.Count; i++)
        {
            var (u, v) = ((x[i, 0] + 1.0) / 2.0, (x[i, 1] + 0.2) / 2.0);
            var toUpper = Math.Abs(Math.Sqrt(u * u + v * v) - 1.0);
            var toLower = Math.Abs(Math.Sqrt((u - 1.0) * (u - 1.0) + (v - 0.5) * (v - 0.5)) - 1.0);
            Assert.True(Math.Min(toUpper, toLower) < 0.7, $"point {i} ({x[i, 0]}, {x[i, 1]}) is {toUpper} from the upper and {toLower} from the lower half circle");
        }
    }

    /// <summary>
    /// Each point of moons, swissroll and pinwheel is its data set's formula (FFJORD's toy data, Grathwohl et al. 2019;
    /// moons as scikit-learn's make_moons, then 2 p − (1, 0.2)) evaluated at that particle's draws: uniform draws of
    /// stream 0 and Gaussian draws of stream 1 of the noise source, at a noise level that is neither 0 nor 1 and from a
    /// first particle that is not 0.
    /// </summary>
    [Fact]
    public void MapsMatchTheirFormulasAtTheParticlesDraws()
    {
        const double sigma = 0.37;
        const long first = 5;
        var noise = new NoiseSource(13);
        double[] Moons(double[] u, double[] g)
        {
            var (px, py) = u[0] < 0.5 ? (Math.Cos(Math.PI * u[1]), Math.Sin(Math.PI * u[1])) : (1 - Math.Cos(Math.PI * u[1]), 0.5 - Math.Sin(Math.PI * u[1]));
            return [2 * (px + sigma * g[0]) - 1, 2 * (py + sigma * g[1]) - 0.2];
        }
        double[] SwissRoll(double[] u, double[] g)
        {
            var t = 1.5 * Math.PI * (1 + 2 * u[0]);
            return [(t * Math.Cos(t) + sigma * g[0]) / 5, (t * Math.Sin(t) + sigma * g[1]) / 5];
        }
        double[] Pinwheel(double[] u, double[] g)
        {
            // 5 arms, radial sd 0.3, tangential sd 0.1, rate 0.25: arm k's points rotated by 2 pi k / 5 + 0.25 e^r.
            var arm = Math.Min(4, (int)Math.Floor(5 * u[0]));
            var (r, s) = (1 + 0.3 * g[0], 0.1 * g[1]);
            var angle = 2 * Math.PI * arm / 5 + 0.25 * Math.Exp(r);
            return [2 * (r * Math.Cos(angle) + s * Math.Sin(angle)), 2 * (-r * Math.Sin(angle) + s * Math.Cos(angle))];
        }
        foreach (var (set, formula, uniforms) in new (IDataSet, Func<double[], double[], double[]>, int)[]
                 { (new Moons(sigma), Moons, 2), (new SwissRoll(sigma), SwissRoll, 1), (new Pinwheel(), Pinwheel, 1) })
        {
            var x = new Batch(500, 2);
            set.Sample(x, noise, first);
            for (var i = 0; i < x.Count; i++)
            {
                var u = new double[uniforms];
                var g = new double[2];
                noise.FillUniform(0, first + i, u);
                noise.FillGaussian(1, first + i, g);
                var expected = formula(u, g);
                for (var d = 0; d < 2; d++)
                    Assert.True(Math.Abs(x[i, d] - expected[d]) <= 1e-14 * (1 + Math.Abs(expected[d])), $"{set.GetType().Name} particle {first + i} coordinate {d}: {x[i, d]} vs {expected[d]}");
            }
        }
    }

    [Fact]
    public void RingsHaveTheirRadii()
    {
        var x = Draw(new Rings(), 20_000);
        double[] radii = [3.0, 2.25, 1.5, 0.75];
        double s = 0, s2 = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var r2 = x[i, 0] * x[i, 0] + x[i, 1] * x[i, 1];
            var r = Math.Sqrt(r2);
            // Radial deviation is at most about |noise| <= 6 sd = 0.48 except with probability ~2e-9 per point.
            Assert.True(radii.Min(q => Math.Abs(q - r)) < 0.48, $"radius {r}");
            s += r2;
            s2 += r2 * r2;
        }
        // E|x|^2 = mean of the squared radii + 2 noise^2.
        var expected = radii.Sum(q => q * q) / 4 + 2 * 0.08 * 0.08;
        var mean = s / x.Count;
        Assert.True(Math.Abs(mean - expected) <= 5 * Math.Sqrt((s2 / x.Count - mean * mean) / x.Count), $"{mean} vs {expected}");
    }

    [Fact]
    public void RegistryRejectsBadNamesAndParameters()
    {
        Assert.Throws<UnknownNameException>("name", () => Registry.Create("9gaussians"));
        Assert.Throws<ParameterException>("nosie", () => Registry.CreateFromLists("moons", new Dictionary<string, double[]> { ["nosie"] = [0.1] }));
        Assert.Throws<ParameterException>("means", () => Registry.CreateFromLists("mixture", new Dictionary<string, double[]> { ["weights"] = [0.5, 0.5], ["means"] = [1.0, 2.0, 3.0], ["variances"] = [1.0, 1.0] }));
        Assert.Throws<ArgumentOutOfRangeException>("noise", () => Registry.CreateFromLists("rings", new Dictionary<string, double[]> { ["noise"] = [-1.0] }));
        Assert.Throws<UnknownNameException>("name", () => new DataSetRegistry().Describe("x"));
        var r = DataSetRegistry.CreateDefault();
        Assert.Throws<ArgumentException>("name", () => r.Register("moons", "again", _ => new Moons()));
        Assert.Throws<ArgumentException>("destination", () => new Moons().Sample(new Batch(3, 3), new NoiseSource(1), 0));
    }

    [Fact]
    public void ParametricEntriesBuildWhatTheySay()
    {
        var g = Assert.IsType<Gaussian>(Create("gaussian"));
        Assert.Equal([1.0, 2.0, 3.0], g.Mean);
        Assert.Equal(0.5, g.Covariance[2, 2]);
        var m = Assert.IsType<GaussianMixture>(Create("mixture"));
        Assert.Equal(2, m.Components);
        Assert.Equal(0.2, m.Covariance(0)[0, 1]);
        Assert.False(m.IsIsotropic);
    }
}

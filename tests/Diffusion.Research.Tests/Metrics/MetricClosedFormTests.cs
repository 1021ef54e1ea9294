using Diffusion.Research.Metrics;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Tests.Metrics;

/// <summary>
/// Sample metrics against closed forms in several dimensions: exact values on small hand-worked samples (catching
/// a wrong pair count, a dropped factor 2, a biased denominator) and, for the O(N²) distances, the population value
/// between two Gaussians with a threshold from the spread of independent replicates (5 standard errors of the mean of
/// R replicates; fixed seeds). The sliced W2 of a pure shift is checked both as computed (with its unit directions,
/// E(θ·v)² = |v|²/D) and rescaled by sqrt(D) to |v|, in D = 2 and D = 5.
/// </summary>
public class MetricClosedFormTests
{
    private static Batch Gaussian(int n, int d, ulong seed, double scale, double[]? shift = null)
    {
        var b = new Batch(n, d);
        new NoiseSource(seed).FillGaussian(0, 0, b);
        for (var i = 0; i < n; i++)
        for (var k = 0; k < d; k++)
            b.Values[i * d + k] = scale * b.Values[i * d + k] + (shift?[k] ?? 0);
        return b;
    }

    private static Batch Shifted(Batch x, double[] v)
    {
        var y = new Batch(x.Count, x.Dimension);
        for (var i = 0; i < x.Count; i++)
        for (var k = 0; k < x.Dimension; k++)
            y.Values[i * x.Dimension + k] = x.Values[i * x.Dimension + k] + v[k];
        return y;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void SlicedW2OfAShiftIsTheRmsProjectedShift(int d)
    {
        const int p = 512;
        var v = Enumerable.Range(0, d).Select(k => 0.8 - 0.37 * k).ToArray();
        var v2 = v.Sum(c => c * c);
        var x = Gaussian(300, d, 17, 1.3);
        var metric = new SlicedWasserstein(p, seed: 5);
        var sw = metric.Compute(Shifted(x, v), x);
        // Exactly: each projection of a shifted copy is the same sorted set moved by θ·v, W2² = (θ·v)².
        var directions = metric.Directions(d);
        var mean = 0.0;
        for (var j = 0; j < p; j++)
        {
            var row = directions.Row(j);
            Assert.Equal(1.0, Math.Sqrt(row.ToArray().Sum(c => c * c)), 1e-12); // unit directions
            var proj = 0.0;
            for (var k = 0; k < d; k++) proj += row[k] * v[k];
            mean += proj * proj / p;
        }
        Assert.Equal(Math.Sqrt(mean), sw, 1e-9);
        // In distribution: (θ·v)²/|v|² ~ Beta(1/2, (D − 1)/2), mean 1/D, variance 2(D − 1)/(D²(D + 2)).
        var se = v2 * Math.Sqrt(2.0 * (d - 1) / (d * d * (d + 2.0)) / p);
        Assert.InRange(sw * sw, v2 / d - 5 * se, v2 / d + 5 * se);
        // Without the 1/D of the unit sphere (rescaled by sqrt(D)) the distance is the shift's length.
        var scaled = Math.Sqrt(d) * sw;
        Assert.InRange(scaled * scaled, v2 - 5 * d * se, v2 + 5 * d * se);
    }

    [Fact]
    public void SlicedW2OneDimensionalDistanceOfUnequalSizesIsTheQuantileIntegral()
    {
        // F⁻¹ = 0 on (0, 1/2], 1 on (1/2, 1]; G⁻¹ = 0, 1, 2 on thirds: ∫(F⁻¹ − G⁻¹)² = 1/6 + 1/3 = 1/2.
        Assert.Equal(0.5, SlicedWasserstein.SquaredDistance1D([0.0, 1.0], [0.0, 1.0, 2.0]), 1e-15);
        Assert.Equal(0.5, SlicedWasserstein.SquaredDistance1D([0.0, 1.0, 2.0], [0.0, 1.0]), 1e-15);
        // Equal sizes: mean squared difference of sorted values: ((1 − 0.5)² + (4 − 2)²)/2 = 2.125
        Assert.Equal(2.125, SlicedWasserstein.SquaredDistance1D([1.0, 4.0], [0.5, 2.0]), 1e-15);
    }

    [Fact]
    public void MmdOnAHandWorkedSampleInThreeDimensions()
    {
        // X = {0, e1}, Y = {2 e2, e3}, k = Σ_b exp(−r²/(2 h_b²)), h = (0.8, 1.9).
        double K(double r2) => Math.Exp(-r2 / (2 * 0.8 * 0.8)) + Math.Exp(-r2 / (2 * 1.9 * 1.9));
        var x = new Batch([0.0, 0, 0, 1, 0, 0], 2, 3);
        var y = new Batch([0.0, 2, 0, 0, 0, 1], 2, 3);
        // U-statistic: Σ_{i≠j} k(x_i, x_j)/(n(n−1)) = k(1); same for Y with |y0 − y1|² = 5; cross squared distances 4, 1, 5, 2.
        var expected = K(1) + K(5) - 2 * (K(4) + K(1) + K(5) + K(2)) / 4;
        Assert.Equal(expected, new MaximumMeanDiscrepancy([0.8, 1.9]).Compute(x, y), 1e-14);
    }

    [Fact]
    public void EnergyDistanceOnAHandWorkedSample()
    {
        // X = {(0,0), (3,4)}, Y = {(0,4), (6,8)}: |x0 − x1| = 5, |y0 − y1| = sqrt(52), cross distances 4, 10, 3, 5.
        var x = new Batch([0.0, 0, 3, 4], 2, 2);
        var y = new Batch([0.0, 4, 6, 8], 2, 2);
        Assert.Equal(2 * 22.0 / 4 - 5 - Math.Sqrt(52), new EnergyDistance().Compute(x, y), 1e-13);
    }

    // Mean and standard error of R replicates of a metric between N(0, s² I) and N(Δ, s² I) samples of size n.
    private static (double Mean, double StandardError) Replicates(ISampleMetric metric, int d, double s, double[] delta, int r, int n)
    {
        var values = new double[r];
        for (var i = 0; i < r; i++)
            values[i] = metric.Compute(Gaussian(n, d, (ulong)(100 + 2 * i), s), Gaussian(n, d, (ulong)(101 + 2 * i), s, delta));
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (r - 1));
        return (mean, sd / Math.Sqrt(r));
    }

    [Fact]
    public void MmdOfTwoGaussiansMatchesItsClosedFormInThreeDimensions()
    {
        // E exp(−|Z|²/(2h²)), Z ~ N(m, τ² I_D) = (h²/(h² + τ²))^{D/2} exp(−|m|²/(2(h² + τ²))); X − X' has τ² = 2s², m = 0;
        // X − Y has m = Δ. MMD² = 2 c (1 − exp(−|Δ|²/(2(h² + 2s²)))), c = (h²/(h² + 2s²))^{D/2}.
        const int d = 3;
        const double s = 0.6, h = 1.1;
        double[] delta = [0.9, -0.4, 0.3];
        var d2 = delta.Sum(c => c * c);
        var c = Math.Pow(h * h / (h * h + 2 * s * s), d / 2.0);
        var exact = 2 * c * (1 - Math.Exp(-d2 / (2 * (h * h + 2 * s * s))));
        var (mean, se) = Replicates(new MaximumMeanDiscrepancy([h]), d, s, delta, 30, 200);
        Assert.InRange(mean, exact - 5 * se, exact + 5 * se);
    }

    private static double Erf(double x)
    {
        // Maclaurin series 2/sqrt(π) Σ (−1)^n x^{2n+1}/(n! (2n + 1)), ample for |x| < 3.
        double sum = 0, term = x;
        for (var n = 0; n < 80; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    [Fact]
    public void EnergyDistanceOfTwoGaussiansMatchesItsClosedFormInThreeDimensions()
    {
        // For Z ~ N(m, τ² I_3) (noncentral chi, 3 degrees of freedom), with ρ = |m|/τ:
        // E|Z| = τ (sqrt(2/π) e^{−ρ²/2} + (ρ + 1/ρ) erf(ρ/√2)), → 2τ sqrt(2/π) as ρ → 0.
        // Energy = 2 E|X − Y| − E|X − X'| − E|Y − Y'| with τ² = 2s² for every difference.
        const double s = 0.6;
        double[] delta = [0.9, -0.4, 0.3];
        var tau = s * Math.Sqrt(2);
        var rho = Math.Sqrt(delta.Sum(c => c * c)) / tau;
        var cross = tau * (Math.Sqrt(2 / Math.PI) * Math.Exp(-rho * rho / 2) + (rho + 1 / rho) * Erf(rho / Math.Sqrt(2)));
        var within = 2 * tau * Math.Sqrt(2 / Math.PI);
        var exact = 2 * cross - 2 * within;
        var (mean, se) = Replicates(new EnergyDistance(), 3, s, delta, 30, 200);
        Assert.InRange(mean, exact - 5 * se, exact + 5 * se);
    }

    [Fact]
    public void MeanAndCovarianceErrorsInThreeDimensions()
    {
        // X: ±e1, ±2 e2 (mean 0, unbiased covariance diag(2/3, 8/3, 0)); Y = 1.5 X + v.
        var x = new Batch([1.0, 0, 0, -1, 0, 0, 0, 2, 0, 0, -2, 0], 4, 3);
        double[] v = [0.3, -1.1, 0.6];
        var y = new Batch(4, 3);
        for (var i = 0; i < 12; i++) y.Values[i] = 1.5 * x.Values[i] + v[i % 3];
        Assert.Equal(Math.Sqrt(0.09 + 1.21 + 0.36), new MeanError().Compute(y, x), 1e-14);
        // cov(Y) − cov(X) = (1.5² − 1) diag(2/3, 8/3, 0): Frobenius 1.25 sqrt(4 + 64)/3
        Assert.Equal(1.25 * Math.Sqrt(68) / 3, new CovarianceError().Compute(y, x), 1e-14);
        // An off-diagonal term: rotate X by 45° in the (1, 2) plane; covariance diag(2/3, 8/3) becomes
        // [[5/3, −1], [−1, 5/3]] and differs from X's by [[1, −1], [−1, −1]]: Frobenius 2.
        var c = Math.Sqrt(0.5);
        var rotated = new Batch(4, 3);
        for (var i = 0; i < 4; i++)
        {
            double a = x.Values[3 * i], b = x.Values[3 * i + 1];
            rotated.Values[3 * i] = c * (a - b);
            rotated.Values[3 * i + 1] = c * (a + b);
        }
        Assert.Equal(2.0, new CovarianceError().Compute(rotated, x), 1e-14);
    }

    [Fact]
    public void KolmogorovSmirnovTakesTheWorstCoordinateAndHandlesUnequalSizesAndTies()
    {
        // coordinate 0 identical; coordinate 1 shifted by 2.5: sup |F − G| = 3/4 (at 2 and at 3)
        var x = new Batch([1.0, 0, 2, 1, 3, 2, 4, 3], 4, 2);
        var y = new Batch([1.0, 2.5, 2, 3.5, 3, 4.5, 4, 5.5], 4, 2);
        Assert.Equal(0.75, new KolmogorovSmirnov().Compute(x, y), 1e-15);
        Assert.Equal(0.0, KolmogorovSmirnov.TwoSample(x, y, 0), 1e-15);
        // {0, 1, 2} against {0.5, 1.5}: largest gap 2/3 − 1 at 1.5
        Assert.Equal(1.0 / 3, new KolmogorovSmirnov().Compute(new Batch([0.0, 1, 2], 3, 1), new Batch([0.5, 1.5], 2, 1)), 1e-15);
        // ties across samples: {1, 1, 2} against {1, 2, 2}: at 1, 2/3 − 1/3
        Assert.Equal(1.0 / 3, new KolmogorovSmirnov().Compute(new Batch([1.0, 1, 2], 3, 1), new Batch([1.0, 2, 2], 3, 1)), 1e-15);
    }
}

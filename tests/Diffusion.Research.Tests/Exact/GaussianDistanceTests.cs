using Diffusion.Research.Exact;

namespace Diffusion.Research.Tests.Exact;

public class GaussianDistanceTests
{
    [Fact]
    public void OneDimensionalValuesWorkedByHand()
    {
        // p = N(1, 4), q = N(-0.5, 1). KL(p||q) = 1/2 [4 + 1.5^2 - 1 - ln 4]; KL(q||p) = 1/2 [1/4 + 1.5^2/4 - 1 + ln 4];
        // W2^2 = 1.5^2 + (2 - 1)^2 = 3.25.
        var p = GaussianLaw.Full([1.0], new[,] { { 4.0 } });
        var q = GaussianLaw.Diagonal([-0.5], [1.0]);
        Assert.Equal(0.5 * (4 + 2.25 - 1 - Math.Log(4)), GaussianDistance.KullbackLeibler(p, q), 12);
        Assert.Equal(0.5 * (0.25 + 2.25 / 4 - 1 + Math.Log(4)), GaussianDistance.KullbackLeibler(q, p), 12);
        Assert.Equal(Math.Sqrt(3.25), GaussianDistance.Wasserstein2(p, q), 12);
        Assert.Equal(1.5, GaussianDistance.MeanError(p, q), 12);
        Assert.Equal(3.0, GaussianDistance.CovarianceError(p, q), 12);
    }

    [Fact]
    public void TwoDimensionalFullCovarianceAgainstTheStandardNormal()
    {
        // p = N((1, 2), [[2, .5], [.5, 1]]), q = N(0, I); det S_p = 1.75, S_p^-1 = [[1, -.5], [-.5, 2]] / 1.75.
        // KL(p||q) = 1/2 [tr S_p + |m|^2 - 2 - ln 1.75] = 1/2 [3 + 5 - 2 - ln 1.75].
        // KL(q||p) = 1/2 [tr S_p^-1 + m' S_p^-1 m - 2 + ln 1.75] = 1/2 [3/1.75 + 7/1.75 - 2 + ln 1.75].
        // W2^2 = 5 + 3 + 2 - 2 tr S_p^(1/2), tr S_p^(1/2) = sqrt(tr S_p + 2 sqrt(det S_p)) (2 x 2 PSD identity).
        var p = GaussianLaw.Full([1.0, 2.0], new[,] { { 2.0, 0.5 }, { 0.5, 1.0 } });
        var q = GaussianLaw.Isotropic(2, 1.0);
        Assert.Equal(0.5 * (6 - Math.Log(1.75)), GaussianDistance.KullbackLeibler(p, q), 12);
        Assert.Equal(0.5 * (10 / 1.75 - 2 + Math.Log(1.75)), GaussianDistance.KullbackLeibler(q, p), 12);
        Assert.Equal(Math.Sqrt(10 - 2 * Math.Sqrt(3 + 2 * Math.Sqrt(1.75))), GaussianDistance.Wasserstein2(p, q), 12);
    }

    [Fact]
    public void TwoDimensionalNonCommutingCovariancesMatchTheTwoByTwoBuresFormula()
    {
        // For 2 x 2 PSD A, B: tr (A^1/2 B A^1/2)^1/2 = sqrt(tr AB + 2 sqrt(det A det B)).
        double[,] a = { { 2.0, 0.5 }, { 0.5, 1.0 } }, b = { { 1.5, -0.3 }, { -0.3, 0.7 } };
        var p = GaussianLaw.Full([1.0, 2.0], a);
        var q = GaussianLaw.Full([-0.5, 0.25], b);
        var trAb = a[0, 0] * b[0, 0] + a[0, 1] * b[1, 0] + a[1, 0] * b[0, 1] + a[1, 1] * b[1, 1];
        var det = (a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]) * (b[0, 0] * b[1, 1] - b[0, 1] * b[1, 0]);
        var expected = Math.Sqrt(1.5 * 1.5 + 1.75 * 1.75 + 3.0 + 2.2 - 2 * Math.Sqrt(trAb + 2 * Math.Sqrt(det)));
        Assert.Equal(expected, GaussianDistance.Wasserstein2(p, q), 11);
        Assert.Equal(expected, GaussianDistance.Wasserstein2(q, p), 11);
    }

    [Fact]
    public void ThreeDimensionalValuesWorkedByHand()
    {
        // p = N(0, diag(1, 4, 9)) given as a full matrix, q = N((1, 1, 1), I): KL(p||q) = 1/2 [14 + 3 - 3 - ln 36];
        // W2^2 = 3 + 0 + 1 + 4 = 8.
        var p = GaussianLaw.Full([0.0, 0.0, 0.0], new[,] { { 1.0, 0, 0 }, { 0, 4.0, 0 }, { 0, 0, 9.0 } });
        var q = GaussianLaw.Full([1.0, 1.0, 1.0], new[,] { { 1.0, 0, 0 }, { 0, 1.0, 0 }, { 0, 0, 1.0 } });
        Assert.Equal(0.5 * (14 - Math.Log(36)), GaussianDistance.KullbackLeibler(p, q), 12);
        Assert.Equal(Math.Sqrt(8), GaussianDistance.Wasserstein2(p, q), 12);
    }

    [Fact]
    public void DiagonalAndFullPathsAgreeAndDistancesAreRotationInvariant()
    {
        const int d = 5;
        double[] m1 = [0.3, -1.2, 0.7, 2.0, -0.4], v1 = [0.5, 1.7, 2.2, 0.9, 3.1];
        double[] m2 = [-0.1, 0.4, 1.1, 1.5, 0.2], v2 = [1.3, 0.6, 2.9, 1.1, 0.8];
        var p = GaussianLaw.Diagonal(m1, v1);
        var q = GaussianLaw.Diagonal(m2, v2);
        var pf = GaussianLaw.Full(m1, p.CovarianceMatrix());
        var qf = GaussianLaw.Full(m2, q.CovarianceMatrix());
        Assert.Equal(GaussianDistance.KullbackLeibler(pf, qf), GaussianDistance.KullbackLeibler(p, q), 11);
        Assert.Equal(GaussianDistance.Wasserstein2(pf, qf), GaussianDistance.Wasserstein2(p, q), 11);
        // Rotate both by the same orthogonal U (a product of Givens rotations): KL and W2 do not change.
        var u = new double[d, d];
        for (var i = 0; i < d; i++) u[i, i] = 1;
        for (var k = 0; k < d - 1; k++)
        {
            double c = Math.Cos(0.3 + k), s = Math.Sin(0.3 + k);
            for (var i = 0; i < d; i++)
            {
                double a = u[i, k], b = u[i, k + 1];
                u[i, k] = c * a - s * b;
                u[i, k + 1] = s * a + c * b;
            }
        }
        var pr = Rotate(u, m1, v1);
        var qr = Rotate(u, m2, v2);
        Assert.Equal(GaussianDistance.KullbackLeibler(p, q), GaussianDistance.KullbackLeibler(pr, qr), 10);
        Assert.Equal(GaussianDistance.KullbackLeibler(q, p), GaussianDistance.KullbackLeibler(qr, pr), 10);
        Assert.Equal(GaussianDistance.Wasserstein2(p, q), GaussianDistance.Wasserstein2(pr, qr), 10);
        Assert.Equal(0.0, GaussianDistance.KullbackLeibler(pr, pr), 10);
        Assert.Equal(0.0, GaussianDistance.Wasserstein2(pr, pr), 6);
    }

    private static GaussianLaw Rotate(double[,] u, double[] m, double[] v)
    {
        var d = m.Length;
        var mean = new double[d];
        var cov = new double[d, d];
        for (var i = 0; i < d; i++)
        {
            for (var k = 0; k < d; k++) mean[i] += u[i, k] * m[k];
            for (var j = 0; j < d; j++)
                for (var k = 0; k < d; k++) cov[i, j] += u[i, k] * v[k] * u[j, k];
        }
        return GaussianLaw.Full(mean, cov);
    }
}

using Diffusion.Research.Data;
using Diffusion.Research.Kernels;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Tests.Scores;

/// <summary>
/// The identities ISM = ESM − C and DSM = ESM + C' (001 eqs 9–15; Hyvärinen 2005, Thm 1; Vincent 2011) for an affine score field
/// and Gaussian data,
/// on Gauss–Hermite tensor quadrature, which is exact for the polynomials of degree ≤ 5 per variable that
/// appear here; so the identities must hold to rounding. (The theorem suite checks them on random fields.)
/// </summary>
public class ScoreMatchingObjectiveTests
{
    // Probabilists' Gauss–Hermite, 3 nodes: exact for E[z^k], k ≤ 5, z ~ N(0, 1).
    private static readonly double[] Nodes = { -Math.Sqrt(3), 0, Math.Sqrt(3) };
    private static readonly double[] NodeWeights = { 1.0 / 6, 2.0 / 3, 1.0 / 6 };

    private static readonly double[] Mu = { 0.4, -1.0 };
    private static readonly double[] Sd = { 0.7, 1.3 };
    private static readonly AffineScoreField Field = new(new[,] { { -0.8, 0.3 }, { 0.1, -1.7 } }, new[] { 0.2, -0.4 });

    private static (Batch X, double[] W) GaussianQuadrature()
    {
        var rows = new List<double[]>();
        var w = new List<double>();
        for (var a = 0; a < 3; a++)
            for (var b = 0; b < 3; b++)
            {
                rows.Add(new[] { Mu[0] + Sd[0] * Nodes[a], Mu[1] + Sd[1] * Nodes[b] });
                w.Add(NodeWeights[a] * NodeWeights[b]);
            }
        return (Batch.FromRows(rows), w.ToArray());
    }

    private static Gaussian Data() => new(Mu, new[,] { { Sd[0] * Sd[0], 0 }, { 0, Sd[1] * Sd[1] } });

    [Fact]
    public void IsmEqualsEsmMinusC()
    {
        var (x, w) = GaussianQuadrature();
        var p = Data();
        var esm = ExplicitScoreMatchingObjective.Evaluate(Field, p, 0, x, w);
        var ism = ImplicitScoreMatchingObjective.Evaluate(Field, Field, 0, x, w);
        // C = ½ E‖∇log p‖² = ½ Σ_d 1/v_d for a diagonal Gaussian (001 eq 11; Hyvärinen 2005, Thm 1)
        var c = 0.5 * (1 / (Sd[0] * Sd[0]) + 1 / (Sd[1] * Sd[1]));
        Assert.Equal(esm - c, ism, 1e-12);
        // the exact score has ESM = 0
        var exact = new AffineScoreField(new[,] { { -1 / (Sd[0] * Sd[0]), 0 }, { 0, -1 / (Sd[1] * Sd[1]) } },
            new[] { Mu[0] / (Sd[0] * Sd[0]), Mu[1] / (Sd[1] * Sd[1]) });
        Assert.Equal(0, ExplicitScoreMatchingObjective.Evaluate(exact, p, 0, x, w), 1e-14);
    }

    [Fact]
    public void DsmEqualsEsmPlusCPrime()
    {
        // pairs (x0, x_t = α x0 + σ ε) on the 4-D Gauss–Hermite grid of (z1, z2, ε1, ε2)
        var kernel = new TransitionKernel(0.8, 0.5);
        var data = new List<double[]>();
        var noisy = new List<double[]>();
        var w = new List<double>();
        for (var a = 0; a < 3; a++)
        for (var b = 0; b < 3; b++)
        for (var c = 0; c < 3; c++)
        for (var d = 0; d < 3; d++)
        {
            var x0 = new[] { Mu[0] + Sd[0] * Nodes[a], Mu[1] + Sd[1] * Nodes[b] };
            data.Add(x0);
            noisy.Add(new[] { 0.8 * x0[0] + 0.5 * Nodes[c], 0.8 * x0[1] + 0.5 * Nodes[d] });
            w.Add(NodeWeights[a] * NodeWeights[b] * NodeWeights[c] * NodeWeights[d]);
        }
        Batch x0s = Batch.FromRows(data), xts = Batch.FromRows(noisy);
        var weights = w.ToArray();
        var scores = new Batch(81, 2);
        Field.Score(0, xts, scores);
        var dsm = DenoisingScoreMatchingObjective.Evaluate(scores, xts, x0s, kernel, weights);
        // ESM against the exact marginal p_t = N(α μ, α² v + σ²) at the same x_t points
        var pt = Data().Noised(0.8, 0.5);
        var esm = ExplicitScoreMatchingObjective.Evaluate(Field, pt, 0, xts, weights);
        // C' = ½ E‖(x_t − α x0)/σ²‖² − ½ E‖∇log p_t‖² = D/(2σ²) − ½ Σ_d 1/(α² v_d + σ²)   (001 eq 15; Vincent 2011)
        var cPrime = 2 / (2 * 0.25) - 0.5 * (1 / (0.64 * Sd[0] * Sd[0] + 0.25) + 1 / (0.64 * Sd[1] * Sd[1] + 0.25));
        Assert.Equal(esm + cPrime, dsm, 1e-12);
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        var (x, w) = GaussianQuadrature();
        Assert.Throws<ArgumentException>(() => ImplicitScoreMatchingObjective.Evaluate(Field, Field, 0, x, w.AsSpan(1)));
        var bad = (double[])w.Clone();
        bad[0] = double.NaN;
        Assert.Throws<ArgumentException>(() => ExplicitScoreMatchingObjective.Evaluate(Field, Data(), 0, x, bad));
        Assert.Throws<ArgumentException>(() => new AffineScoreField(new double[2, 3], new double[2]));
        Assert.Throws<ArgumentException>(() => Field.Score(0, new Batch(2, 3), new Batch(2, 3)));
    }
}

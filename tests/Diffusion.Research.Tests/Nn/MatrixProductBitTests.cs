using Diffusion.Research.Nn.Autodiff;

namespace Diffusion.Research.Tests.Nn;

/// <summary>
/// The packed, register-blocked matrix products of the tape (A B, A Bᵀ, Aᵀ B) against the scalar definition
/// c = Σ_p a·b summed from 0 over p in order with a rounded product and a rounded sum: equal to the last bit for every
/// shape (edge strips and panels, a single row or column, inner dimensions 1..600) and for 1, 2 and 3 threads. This is
/// what keeps training numbers (and the committed results tables built on them) unchanged by the kernels.
/// </summary>
public sealed class MatrixProductBitTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 3, 5, 2 }, { 7, 9, 15 }, { 8, 16, 16 }, { 9, 17, 17 }, { 33, 2, 130 }, { 512, 34, 128 },
        { 130, 128, 2 }, { 64, 600, 40 }, { 517, 128, 129 }, { 40, 1, 23 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ProductsEqualTheOrderedScalarSumBitForBit(int m, int k, int n)
    {
        var random = new Random(m * 10007 + k * 101 + n);
        double[] Values(int count) => Enumerable.Range(0, count).Select(_ => (random.NextDouble() - 0.43) * 3.7).ToArray();
        var a = Values(m * k); // m x k
        var b = Values(k * n); // k x n
        var bt = Values(n * k); // n x k (for A Bᵀ)
        var at = Values(k * m); // k x m (for Aᵀ B: (k x m)ᵀ (k x n) = m x n)
        var c = Values(k * n); // k x n

        var expectedAb = Reference(m, k, n, (i, p) => a[i * k + p], (p, j) => b[p * n + j]);
        var expectedAbt = Reference(m, k, n, (i, p) => a[i * k + p], (p, j) => bt[j * k + p]);
        var expectedAtb = Reference(m, k, n, (i, p) => at[p * m + i], (p, j) => c[p * n + j]);
        foreach (var threads in new[] { 1, 2, 3 })
        {
            var tape = new Tape(threads);
            Assert.Equal(expectedAb, tape.MatMul(tape.Constant(a, m, k), tape.Constant(b, k, n)).ToArray());
            Assert.Equal(expectedAbt, tape.MatMulTransposeB(tape.Constant(a, m, k), tape.Constant(bt, n, k)).ToArray());
            Assert.Equal(expectedAtb, tape.MatMulTransposeA(tape.Constant(at, k, m), tape.Constant(c, k, n)).ToArray());
        }
    }

    [Fact]
    public void RecycledBuffersDoNotLeakIntoProducts()
    {
        // A tape reuses node arrays (larger than the shape after a reset): products must read only their own entries.
        var tape = new Tape(2);
        var big = tape.Constant(200, 200, double.NaN);
        _ = tape.MatMul(big, big);
        tape.Reset();
        var a = tape.Constant(19, 23, 0.37);
        var b = tape.Constant(23, 21, -1.3);
        var y = tape.MatMul(a, b).ToArray();
        var expected = Reference(19, 23, 21, (_, _) => 0.37, (_, _) => -1.3);
        Assert.Equal(expected, y);
    }

    private static double[] Reference(int m, int k, int n, Func<int, int, double> a, Func<int, int, double> b)
    {
        var result = new double[m * n];
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            var s = 0.0;
            for (var p = 0; p < k; p++)
            {
                var product = a(i, p) * b(p, j);
                s += product;
            }
            result[i * n + j] = s;
        }
        return result;
    }
}

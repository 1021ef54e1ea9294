using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Training;

namespace Diffusion.Research.Tests.Nn;

/// <summary>
/// The vectorised training kernels against their scalar definitions, bit for bit: the Adam update (Kingma and Ba 2015,
/// Algorithm 1 with bias correction) on a length that leaves a scalar tail, and the fused first-order SiLU backward
/// (g ⊙ SiLU'(a) from the kept σ(a)) against the recorded composite Multiply(g, SiluPrime(a)) of create-graph mode.
/// </summary>
public sealed class TrainingKernelBitTests
{
    [Fact]
    public void AdamEqualsTheScalarUpdateBitForBit()
    {
        const int length = 37; // four Vector512 blocks and a tail of 5
        const double beta1 = 0.85, beta2 = 0.995, epsilon = 1e-7;
        var random = new Random(5);
        var p = new Diffusion.Research.Nn.Parameter("w", 1, length);
        for (var i = 0; i < length; i++) p.Values[i] = random.NextDouble() - 0.4;
        var theta = (double[])p.Values.Clone();
        var m = new double[length];
        var v = new double[length];
        var adam = new Adam([p], beta1, beta2, epsilon);
        for (var step = 1; step <= 4; step++)
        {
            for (var i = 0; i < length; i++) p.Gradient[i] = (random.NextDouble() - 0.55) * 3.1;
            var rate = 0.013 * step;
            adam.Step([p], rate);
            var c1 = 1.0 - Math.Pow(beta1, step);
            var c2 = 1.0 - Math.Pow(beta2, step);
            for (var i = 0; i < length; i++)
            {
                var g = p.Gradient[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                theta[i] -= rate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + epsilon);
            }
            Assert.Equal(theta, p.Values);
        }
    }

    [Fact]
    public void FusedSiluBackwardEqualsTheRecordedCompositeBitForBit()
    {
        var random = new Random(9);
        var x = Enumerable.Range(0, 37 * 19).Select(_ => (random.NextDouble() - 0.5) * 9).ToArray();
        var w = Enumerable.Range(0, 19 * 23).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[][] Gradients(bool createGraph)
        {
            var tape = new Tape();
            var xt = tape.Variable(x, 37, 19);
            var wt = tape.Variable(w, 19, 23);
            var y = tape.Sum(tape.Square(tape.Silu(tape.MatMul(tape.Silu(xt), wt))));
            return tape.Gradients(y, [xt, wt], createGraph).Select(g => g.ToArray()).ToArray();
        }
        var fused = Gradients(false);
        var composite = Gradients(true);
        Assert.Equal(composite[0], fused[0]);
        Assert.Equal(composite[1], fused[1]);
    }

    [Fact]
    public void SiluOverWorkerBlocksEqualsOneCallBitForBit()
    {
        // 3 blocks of 8192 entries and a ragged remainder (the last block takes it): values and gradients with 2 and 3
        // threads equal those of one call on one thread.
        const int rows = 211, columns = 117;
        var random = new Random(13);
        var x = Enumerable.Range(0, rows * columns).Select(_ => (random.NextDouble() - 0.45) * 12).ToArray();
        (double[] Value, double[] Gradient) Run(int threads)
        {
            var tape = new Tape(threads);
            var xt = tape.Variable(x, rows, columns);
            var s = tape.Silu(xt);
            var y = tape.Sum(tape.Multiply(s, s));
            return (s.ToArray(), tape.Gradients(y, [xt])[0].ToArray());
        }
        var one = Run(1);
        foreach (var threads in new[] { 2, 3 })
        {
            var many = Run(threads);
            Assert.Equal(one.Value, many.Value);
            Assert.Equal(one.Gradient, many.Gradient);
        }
    }
}

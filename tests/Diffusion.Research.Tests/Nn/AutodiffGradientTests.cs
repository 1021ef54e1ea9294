using Diffusion.Research.Nn.Autodiff;

namespace Diffusion.Research.Tests.Nn;

/// <summary>
/// Property tests of the tape: first derivatives against central finite differences, and second
/// derivatives (Hessian-vector products through create-graph) against central differences of the
/// first, over seeded random shapes and values, for every operation.
/// </summary>
public sealed class AutodiffGradientTests
{
    /// <summary>A scalar test function of a few inputs whose shapes come from (m, k, n).</summary>
    private sealed record Case(string Name, Func<int, int, int, (int Rows, int Columns)[]> Shapes, Func<Tape, Tensor[], Tensor> F);

    private static Tensor Positive(Tape t, Tensor x) => t.AddScalar(t.Softplus(x), 0.5);

    private static readonly Case[] Cases =
    [
        new("add-broadcast-row", (m, k, n) => [(m, n), (1, n)], (t, v) => t.Sum(t.Square(t.Add(v[0], v[1])))),
        new("add-broadcast-column", (m, k, n) => [(m, n), (m, 1)], (t, v) => t.Sum(t.Tanh(t.Add(v[1], v[0])))),
        new("sub-broadcast-scalar", (m, k, n) => [(1, 1), (m, n)], (t, v) => t.Sum(t.Square(t.Subtract(v[0], v[1])))),
        new("sub-broadcast-row", (m, k, n) => [(m, n), (1, n)], (t, v) => t.Sum(t.Sin(t.Subtract(v[1], v[0])))),
        new("mul-broadcast", (m, k, n) => [(m, n), (m, 1), (1, n)], (t, v) => t.Sum(t.Multiply(t.Multiply(v[0], v[1]), t.Multiply(v[2], v[0])))),
        new("scale-addscalar", (m, k, n) => [(m, n)], (t, v) => t.Sum(t.Cos(t.AddScalar(t.Scale(v[0], -1.7), 0.3)))),
        new("matmul", (m, k, n) => [(m, k), (k, n)], (t, v) => t.Sum(t.Tanh(t.MatMul(v[0], v[1])))),
        new("matmul-wide", (m, k, n) => [(m, 3 * k + 9), (3 * k + 9, 2 * n + 9)], (t, v) => t.Sum(t.Silu(t.MatMul(v[0], v[1])))),
        new("matmul-transpose-a", (m, k, n) => [(m, k), (m, n)], (t, v) => t.Sum(t.Sigmoid(t.MatMulTransposeA(v[0], v[1])))),
        new("matmul-transpose-b", (m, k, n) => [(m, k), (n, k)], (t, v) => t.Sum(t.Softplus(t.MatMulTransposeB(v[0], v[1])))),
        new("reductions", (m, k, n) => [(m, n)], (t, v) => t.Add(t.Mean(t.Square(t.SumColumns(v[0]))), t.Sum(t.Exp(t.SumRows(t.Scale(v[0], 0.3)))))),
        new("broadcast-to", (m, k, n) => [(1, n), (m, 1)], (t, v) => t.Sum(t.Tanh(t.Multiply(t.BroadcastTo(v[0], v[1].Rows, v[0].Columns), t.BroadcastTo(v[1], v[1].Rows, v[0].Columns))))),
        new("tanh-sigmoid", (m, k, n) => [(m, n)], (t, v) => t.Sum(t.Multiply(t.Tanh(v[0]), t.Sigmoid(v[0])))),
        new("silu", (m, k, n) => [(m, n)], (t, v) => t.Sum(t.Multiply(t.Silu(v[0]), v[0]))),
        new("silu-prime", (m, k, n) => [(m, n)], (t, v) => t.Sum(t.SiluPrime(t.Scale(v[0], 2.0)))),
        new("softplus", (m, k, n) => [(m, n)], (t, v) => t.Sum(t.Square(t.Softplus(t.Scale(v[0], 3.0))))),
        new("exp-log", (m, k, n) => [(m, n)], (t, v) => t.Sum(t.Multiply(t.Log(Positive(t, v[0])), t.Exp(t.Scale(v[0], 0.5))))),
        new("sin-cos", (m, k, n) => [(m, n)], (t, v) => t.Sum(t.Multiply(t.Sin(v[0]), t.Cos(t.Scale(v[0], 1.3))))),
        new("reciprocal", (m, k, n) => [(m, n)], (t, v) => t.Sum(t.Multiply(t.Reciprocal(Positive(t, v[0])), v[0]))),
        new("columns", (m, k, n) => [(m, n), (m, k)], (t, v) =>
        {
            var c = t.ConcatColumns(v[0], t.Tanh(v[1]));
            var s = t.SliceColumns(c, 1, c.Columns - 1);
            var back = t.ScatterColumns(t.Square(s), 1, c.Columns);
            return t.Sum(t.Multiply(back, c));
        }),
        new("mlp-layer", (m, k, n) => [(m, k), (k, n), (1, n), (n, 1)], (t, v) =>
            t.Mean(t.Square(t.MatMul(t.Silu(t.Add(t.MatMul(v[0], v[1]), v[2])), v[3])))),
    ];

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c.Name);
        return data;
    }

    private static (Tape Tape, Tensor[] Inputs) Build(Case c, double[][] values, (int Rows, int Columns)[] shapes)
    {
        var tape = new Tape();
        var inputs = new Tensor[shapes.Length];
        for (var i = 0; i < shapes.Length; i++) inputs[i] = tape.Variable(values[i], shapes[i].Rows, shapes[i].Columns);
        return (tape, inputs);
    }

    private static double Evaluate(Case c, double[][] values, (int Rows, int Columns)[] shapes)
    {
        var (tape, inputs) = Build(c, values, shapes);
        return c.F(tape, inputs).Scalar;
    }

    private static double[][] Gradient(Case c, double[][] values, (int Rows, int Columns)[] shapes)
    {
        var (tape, inputs) = Build(c, values, shapes);
        var grads = tape.Gradients(c.F(tape, inputs), inputs);
        return grads.Select(g => g.ToArray()).ToArray();
    }

    private static (double[][] Values, (int Rows, int Columns)[] Shapes) RandomInputs(Case c, Random random)
    {
        var shapes = c.Shapes(random.Next(1, 6), random.Next(1, 6), random.Next(1, 6));
        var values = shapes.Select(s => Enumerable.Range(0, s.Rows * s.Columns).Select(_ => 2.0 * random.NextDouble() - 1.0).ToArray()).ToArray();
        return (values, shapes);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void FirstDerivativesMatchCentralDifferences(string name)
    {
        var c = Cases.Single(x => x.Name == name);
        var random = new Random(1234 + name.Length);
        for (var trial = 0; trial < 5; trial++)
        {
            var (values, shapes) = RandomInputs(c, random);
            var grads = Gradient(c, values, shapes);
            const double h = 1e-5;
            for (var i = 0; i < values.Length; i++)
            for (var j = 0; j < values[i].Length; j++)
            {
                var keep = values[i][j];
                values[i][j] = keep + h;
                var plus = Evaluate(c, values, shapes);
                values[i][j] = keep - h;
                var minus = Evaluate(c, values, shapes);
                values[i][j] = keep;
                var fd = (plus - minus) / (2 * h);
                // Central difference error is O(h² f''') + O(eps |f| / h): about 1e-9 here.
                Assert.True(Math.Abs(fd - grads[i][j]) <= 1e-6 * (1 + Math.Abs(fd)),
                    $"{name} trial {trial} input {i} entry {j}: autodiff {grads[i][j]}, finite difference {fd}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void HessianVectorProductsMatchCentralDifferencesOfGradients(string name)
    {
        var c = Cases.Single(x => x.Name == name);
        var random = new Random(4321 + name.Length);
        for (var trial = 0; trial < 3; trial++)
        {
            var (values, shapes) = RandomInputs(c, random);
            var directions = values.Select(v => v.Select(_ => 2.0 * random.NextDouble() - 1.0).ToArray()).ToArray();

            // Hv = ∇ (∇f · v) with the first gradient recorded (create-graph).
            var (tape, inputs) = Build(c, values, shapes);
            var first = tape.Gradients(c.F(tape, inputs), inputs, createGraph: true);
            Tensor? dot = null;
            for (var i = 0; i < first.Length; i++)
            {
                var term = tape.Sum(tape.Multiply(first[i], tape.Constant(directions[i], shapes[i].Rows, shapes[i].Columns)));
                dot = dot is null ? term : tape.Add(dot, term);
            }
            var hv = tape.Gradients(dot!, inputs).Select(g => g.ToArray()).ToArray();

            const double h = 1e-5;
            var plus = Gradient(c, Shift(values, directions, h), shapes);
            var minus = Gradient(c, Shift(values, directions, -h), shapes);
            for (var i = 0; i < values.Length; i++)
            for (var j = 0; j < values[i].Length; j++)
            {
                var fd = (plus[i][j] - minus[i][j]) / (2 * h);
                Assert.True(Math.Abs(fd - hv[i][j]) <= 1e-6 * (1 + Math.Abs(fd)),
                    $"{name} trial {trial} input {i} entry {j}: Hv {hv[i][j]}, finite difference {fd}");
            }
        }
    }

    private static double[][] Shift(double[][] values, double[][] directions, double h) =>
        values.Select((v, i) => v.Select((x, j) => x + h * directions[i][j]).ToArray()).ToArray();

    [Fact]
    public void ThirdDerivativeOfSiluMatchesDifferenceOfSecond()
    {
        // d³/dx³ Σ SiLU(x) at scalar points: differentiate SiLU'' (a create-graph of a create-graph).
        foreach (var x0 in new[] { -2.1, -0.3, 0.0, 0.7, 3.2 })
        {
            double Second(double x)
            {
                var tape = new Tape();
                var v = tape.Variable([x], 1, 1);
                var g1 = tape.Gradients(tape.Silu(v), [v], createGraph: true)[0];
                return tape.Gradients(g1, [v])[0].Scalar;
            }
            var t3 = new Tape();
            var xv = t3.Variable([x0], 1, 1);
            var d1 = t3.Gradients(t3.Silu(xv), [xv], createGraph: true)[0];
            var d2 = t3.Gradients(d1, [xv], createGraph: true)[0];
            var d3 = t3.Gradients(d2, [xv])[0].Scalar;
            const double h = 1e-4;
            var fd = (Second(x0 + h) - Second(x0 - h)) / (2 * h);
            Assert.True(Math.Abs(fd - d3) < 1e-7, $"x = {x0}: autodiff {d3}, difference {fd}");
        }
    }

    [Fact]
    public void GradientOfUnusedInputIsZeroAndTapeRejectsForeignTensors()
    {
        var tape = new Tape();
        var a = tape.Variable([1.0, 2.0], 1, 2);
        var b = tape.Variable([3.0], 1, 1);
        var g = tape.Gradients(tape.Sum(tape.Square(a)), [a, b]);
        Assert.Equal([2.0, 4.0], g[0].ToArray());
        Assert.Equal([0.0], g[1].ToArray());

        var other = new Tape();
        var c = other.Variable([1.0], 1, 1);
        Assert.Throws<ArgumentException>(() => tape.Add(a, c));
        Assert.Throws<ArgumentException>(() => tape.MatMul(a, a));
        Assert.Throws<ArgumentException>(() => tape.Gradients(a, [a]));
        tape.Reset();
        Assert.Throws<ArgumentException>(() => tape.Square(a));
    }

    [Fact]
    public void MatrixProductsDoNotDependOnThreadCount()
    {
        var random = new Random(7);
        var x = Enumerable.Range(0, 300 * 130).Select(_ => random.NextDouble() - 0.5).ToArray();
        var w = Enumerable.Range(0, 130 * 140).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[][] Run(int threads)
        {
            var tape = new Tape(threads);
            var xt = tape.Variable(x, 300, 130);
            var wt = tape.Variable(w, 130, 140);
            var y = tape.Sum(tape.Tanh(tape.MatMul(xt, wt)));
            return tape.Gradients(y, [xt, wt]).Select(g => g.ToArray()).ToArray();
        }
        var one = Run(1);
        var two = Run(2);
        var four = Run(4);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(one[i], two[i]);
            Assert.Equal(one[i], four[i]);
        }
    }
}

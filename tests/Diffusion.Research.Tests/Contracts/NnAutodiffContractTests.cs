using Diffusion.Research.Nn;
using Diffusion.Research.Nn.Autodiff;
using Diffusion.Research.Nn.Models;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>The small model and the points the nn contract tests share.</summary>
internal static class NnFixtures
{
    public static ModelOptions Small(Prediction output = Prediction.Score) =>
        new ModelOptions().WithWidth(4).WithHiddenLayers(1).WithEmbedding(TimeEmbeddingKind.Sinusoidal, 2).WithOutput(output).WithSeed(3);

    public static Batch Points(int count, int dimension)
    {
        var b = new Batch(count, dimension);
        for (var i = 0; i < b.Values.Length; i++) b.Values[i] = 0.37 + 0.25 * i;
        return b;
    }
}

/// <summary>Every argument check of src/Diffusion.Research.Nn/Parameter.cs.</summary>
public class NnParameterContractTests
{
    [Fact]
    public void Parameter_checks_its_name_and_shape()
    {
        Contract.Null("name", () => _ = new Parameter(null!, 2, 3));
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => _ = new Parameter("", 2, 3)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => _ = new Parameter("  ", 2, 3)).ParamName);
        Contract.Guard("rows", () => _ = new Parameter("w", 0, 3));
        Contract.Guard("rows", () => _ = new Parameter("w", -1, 3));
        Contract.Guard("columns", () => _ = new Parameter("w", 2, 0));
        Contract.Guard("columns", () => _ = new Parameter("w", 2, -1));
        var p = new Parameter("w", 1, 1);
        Assert.Equal((1, 1, 1), (p.Rows, p.Columns, p.Length));
        Assert.Equal(6, new Parameter("w", 2, 3).Length);
    }
}

/// <summary>Every argument check of src/Diffusion.Research.Nn/Autodiff (Tape, Tape.Operations, Tensor).</summary>
public class NnAutodiffContractTests
{
    private const string Foreign = "The tensor does not belong to this tape (or the tape was reset since it was made).";

    private static Tensor M(Tape tape, int rows, int columns) => tape.Constant(rows, columns, 0.37);

    [Fact]
    public void Tape_constructor_checks_the_thread_count()
    {
        Contract.Guard("threads", () => _ = new Tape(0));
        Contract.Guard("threads", () => _ = new Tape(-1));
        Assert.Equal(1, new Tape(1).Threads);
        Assert.Equal(3, new Tape(3).Threads);
    }

    [Fact]
    public void Constant_checks_its_shape()
    {
        var tape = new Tape();
        Contract.Guard("rows", () => tape.Constant(0, 3, 2.5));
        Contract.Guard("rows", () => tape.Constant(-1, 3, 2.5));
        Contract.Guard("columns", () => tape.Constant(2, 0, 2.5));
        Contract.Guard("columns", () => tape.Constant(2, -1, 2.5));
        Assert.Equal(2.5, tape.Constant(1, 1, 2.5).Scalar);

        Contract.Guard("rows", () => tape.Constant(ReadOnlySpan<double>.Empty, 0, 3));
        Contract.Guard("columns", () => tape.Constant(ReadOnlySpan<double>.Empty, 2, 0));
        Contract.Refused<ArgumentException>("values", "5 values cannot fill 2 x 3.", () => tape.Constant(new double[5], 2, 3));
        Contract.Refused<ArgumentException>("values", "7 values cannot fill 2 x 3.", () => tape.Constant(new double[7], 2, 3));
        Contract.Refused<ArgumentException>("values", "5 values cannot fill 2 x 3.", () => tape.Variable(new double[5], 2, 3));
        Assert.Equal(6, tape.Constant(new double[6], 2, 3).Length);
        Assert.Equal(0.37, tape.Constant([0.37], 1, 1).Scalar);
    }

    [Fact]
    public void Parameter_leaf_refuses_null()
    {
        var tape = new Tape();
        Contract.Null("parameter", () => tape.Parameter(null!));
        Assert.Equal(6, tape.Parameter(new Parameter("w", 2, 3)).Length);
    }

    [Fact]
    public void Gradients_of_a_scalar_check_the_output()
    {
        var tape = new Tape();
        var x = tape.Variable(new double[] { 0.37, 2.5, 0.5, 1.5, 0.25, 0.75 }, 2, 3);
        Contract.Null("output", () => tape.Gradients(null!, [x]));
        Contract.Refused<ArgumentException>("output", "Gradients of a 2 x 3 output need a seed; use the overload with one.", () => tape.Gradients(tape.Square(x), [x]));
        var row = tape.SumRows(x); // 1 x 3
        Contract.Refused<ArgumentException>("output", "Gradients of a 1 x 3 output need a seed; use the overload with one.", () => tape.Gradients(row, [x]));
        var column = tape.SumColumns(x); // 2 x 1
        Contract.Refused<ArgumentException>("output", "Gradients of a 2 x 1 output need a seed; use the overload with one.", () => tape.Gradients(column, [x]));
        var g = tape.Gradients(tape.Sum(x), [x]);
        Assert.Equal(new[] { 1.0, 1, 1, 1, 1, 1 }, g[0].ToArray());
    }

    [Fact]
    public void Gradients_with_a_seed_check_every_argument()
    {
        var tape = new Tape();
        var x = tape.Variable(new double[] { 0.37, 2.5, 0.5, 1.5, 0.25, 0.75 }, 2, 3);
        var y = tape.Scale(x, 2.5);
        var seed = M(tape, 2, 3);
        Contract.Null("wrt", () => tape.Gradients(y, seed, null!));
        Contract.Null("output", () => tape.Gradients(null!, seed, [x], new Tensor[1]));
        Contract.Null("wrt", () => tape.Gradients(y, seed, null!, new Tensor[1]));
        Contract.Null("destination", () => tape.Gradients(y, seed, [x], null!));

        var other = new Tape();
        var theirs = other.Variable(new double[6], 2, 3);
        Contract.Refused<ArgumentException>("output", Foreign, () => tape.Gradients(other.Scale(theirs, 2.5), seed, [x], new Tensor[1]));

        Contract.Refused<ArgumentException>("destination", "Destination holds 1 tensors, 2 are needed.", () => tape.Gradients(y, seed, [x, x], new Tensor[1]));
        Contract.Refused<ArgumentException>("destination", "Destination holds 0 tensors, 1 are needed.", () => tape.Gradients(y, seed, [x], []));
        var exact = new Tensor[2];
        tape.Gradients(y, seed, [x, x], exact);
        Assert.Equal(0.37 * 2.5, exact[1][1, 2], 12);
        var longer = new Tensor[3];
        tape.Gradients(y, seed, [x], longer);
        Assert.Null(longer[1]);

        Contract.Refused<ArgumentException>("seed", Foreign, () => tape.Gradients(y, other.Constant(2, 3, 0.37), [x], new Tensor[1]));
        Contract.Refused<ArgumentException>("seed", "Seed is 1 x 3, output is 2 x 3.", () => tape.Gradients(y, M(tape, 1, 3), [x], new Tensor[1]));
        Contract.Refused<ArgumentException>("seed", "Seed is 2 x 1, output is 2 x 3.", () => tape.Gradients(y, M(tape, 2, 1), [x], new Tensor[1]));
        Contract.Refused<ArgumentException>("seed", "Seed is 3 x 2, output is 2 x 3.", () => tape.Gradients(y, M(tape, 3, 2), [x], new Tensor[1]));

        Contract.Null("wrt[1]", () => tape.Gradients(y, seed, [x, null!], new Tensor[2]));
        Contract.Refused<ArgumentException>("wrt[1]", Foreign, () => tape.Gradients(y, seed, [x, theirs], new Tensor[2]));
        Assert.Equal(2, tape.Gradients(y, seed, [x, x]).Length);
        Assert.Single(tape.Gradients(y, null, [x]));
    }

    [Fact]
    public void Tensors_of_another_or_a_reset_tape_are_refused_by_name()
    {
        var tape = new Tape();
        var other = new Tape();
        _ = M(other, 2, 2);
        _ = M(other, 2, 2);
        var theirs = M(other, 2, 2); // id 2, beyond this tape's nodes
        var mine = M(tape, 2, 2);
        Contract.Refused<ArgumentException>("a", Foreign, () => tape.Add(theirs, mine));
        Contract.Refused<ArgumentException>("b", Foreign, () => tape.Add(mine, theirs));
        var early = other.Constant(2, 2, 2.5); // id 3
        Contract.Refused<ArgumentException>("a", Foreign, () => tape.Scale(other.Constant(2, 2, 0.5), 2.5));
        Assert.NotNull(early);

        // A tensor made before Reset: same tape, its slot is gone.
        var stale = M(tape, 2, 2);
        tape.Reset();
        Contract.Refused<ArgumentException>("a", Foreign, () => tape.Scale(stale, 2.5));
        var fresh = M(tape, 2, 2);
        Assert.Equal(0.37 * 2.5, tape.Scale(fresh, 2.5)[1, 1], 12);
    }

    [Fact]
    public void Operands_are_checked_for_null_by_name()
    {
        var tape = new Tape();
        var a = M(tape, 2, 3);
        Contract.Null("a", () => tape.Add(null!, a));
        Contract.Null("b", () => tape.Add(a, null!));
        Contract.Null("a", () => tape.Scale(null!, 2.5));
        Contract.Null("a", () => tape.Tanh(null!));
        Contract.Null("b", () => tape.MatMul(a, null!));
        Contract.Null("a", () => tape.SliceColumns(null!, 0, 1));
        Contract.Null("b", () => tape.ConcatColumns(a, null!));
    }

    [Fact]
    public void Broadcasting_arithmetic_checks_the_shapes()
    {
        var tape = new Tape();
        var a = M(tape, 2, 3);
        Contract.Refused<ArgumentException>("b", "Cannot broadcast 2 x 3 with 3 x 3: rows differ and neither is 1.", () => tape.Add(a, M(tape, 3, 3)));
        Contract.Refused<ArgumentException>("b", "Cannot broadcast 2 x 3 with 2 x 2: columns differ and neither is 1.", () => tape.Subtract(a, M(tape, 2, 2)));
        Contract.Refused<ArgumentException>("b", "Cannot broadcast 2 x 3 with 3 x 1: rows differ and neither is 1.", () => tape.Multiply(a, M(tape, 3, 1)));
        Assert.Equal((2, 3), Shape(tape.Add(a, M(tape, 2, 3))));
        Assert.Equal((2, 3), Shape(tape.Add(a, M(tape, 1, 3))));
        Assert.Equal((2, 3), Shape(tape.Add(M(tape, 1, 3), a)));
        Assert.Equal((2, 3), Shape(tape.Multiply(a, M(tape, 2, 1))));
        Assert.Equal((2, 3), Shape(tape.Multiply(M(tape, 2, 1), a)));
        Assert.Equal((2, 3), Shape(tape.Subtract(M(tape, 1, 1), a)));
    }

    private static (int, int) Shape(Tensor t) => (t.Rows, t.Columns);

    [Fact]
    public void Matrix_products_check_the_shapes()
    {
        var tape = new Tape();
        var a = M(tape, 2, 3);
        Contract.Refused<ArgumentException>("b", "MatMul of 2 x 3 by 2 x 3: inner dimensions differ.", () => tape.MatMul(a, M(tape, 2, 3)));
        Assert.Equal((2, 4), Shape(tape.MatMul(a, M(tape, 3, 4))));
        Contract.Refused<ArgumentException>("b", "MatMulTransposeA of 2 x 3 by 3 x 2: row counts differ.", () => tape.MatMulTransposeA(a, M(tape, 3, 2)));
        Assert.Equal((3, 4), Shape(tape.MatMulTransposeA(a, M(tape, 2, 4))));
        Contract.Refused<ArgumentException>("b", "MatMulTransposeB of 2 x 3 by 3 x 2: column counts differ.", () => tape.MatMulTransposeB(a, M(tape, 3, 2)));
        Assert.Equal((2, 4), Shape(tape.MatMulTransposeB(a, M(tape, 4, 3))));
    }

    [Fact]
    public void ReduceTo_and_BroadcastTo_check_the_target()
    {
        var tape = new Tape();
        var a = M(tape, 2, 3);
        Contract.Refused<ArgumentException>("rows", "Cannot reduce 2 x 3 to 4 x 3.", () => tape.ReduceTo(a, 4, 3));
        Contract.Refused<ArgumentException>("rows", "Cannot reduce 2 x 3 to 2 x 4.", () => tape.ReduceTo(a, 2, 4));
        Contract.Refused<ArgumentException>("rows", "Cannot reduce 2 x 3 to 4 x 1.", () => tape.ReduceTo(a, 4, 1));
        Contract.Refused<ArgumentException>("rows", "Cannot reduce 2 x 3 to 1 x 4.", () => tape.ReduceTo(a, 1, 4));
        Assert.Equal((1, 3), Shape(tape.ReduceTo(a, 1, 3)));
        Assert.Equal((2, 1), Shape(tape.ReduceTo(a, 2, 1)));
        Assert.Equal((1, 1), Shape(tape.ReduceTo(a, 1, 1)));
        Assert.Same(a, tape.ReduceTo(a, 2, 3));

        Contract.Refused<ArgumentException>("rows", "Cannot broadcast 2 x 3 to 4 x 3.", () => tape.BroadcastTo(a, 4, 3));
        Contract.Refused<ArgumentException>("rows", "Cannot broadcast 2 x 3 to 2 x 4.", () => tape.BroadcastTo(a, 2, 4));
        Contract.Refused<ArgumentException>("rows", "Cannot broadcast 2 x 1 to 4 x 5.", () => tape.BroadcastTo(M(tape, 2, 1), 4, 5));
        Contract.Refused<ArgumentException>("rows", "Cannot broadcast 1 x 3 to 4 x 5.", () => tape.BroadcastTo(M(tape, 1, 3), 4, 5));
        Assert.Equal((4, 3), Shape(tape.BroadcastTo(M(tape, 1, 3), 4, 3)));
        Assert.Equal((2, 5), Shape(tape.BroadcastTo(M(tape, 2, 1), 2, 5)));
        Assert.Equal((4, 5), Shape(tape.BroadcastTo(M(tape, 1, 1), 4, 5)));
        Assert.Same(a, tape.BroadcastTo(a, 2, 3));
    }

    [Fact]
    public void Apply_refuses_an_unknown_activation()
    {
        var tape = new Tape();
        var a = M(tape, 2, 3);
        Contract.Refused<ArgumentOutOfRangeException>("activation", "Unknown activation.", () => tape.Apply((Activation)9, a));
        Assert.Equal((2, 3), Shape(tape.Apply(Activation.Softplus, a)));
    }

    [Fact]
    public void Column_operations_check_their_ranges()
    {
        var tape = new Tape();
        var a = M(tape, 2, 3);
        Contract.Refused<ArgumentOutOfRangeException>("start", "Columns [-1, 1) are outside [0, 3).", () => tape.SliceColumns(a, -1, 2));
        Contract.Refused<ArgumentOutOfRangeException>("start", "Columns [1, 1) are outside [0, 3).", () => tape.SliceColumns(a, 1, 0));
        Contract.Refused<ArgumentOutOfRangeException>("start", "Columns [1, 0) are outside [0, 3).", () => tape.SliceColumns(a, 1, -1));
        Contract.Refused<ArgumentOutOfRangeException>("start", "Columns [1, 4) are outside [0, 3).", () => tape.SliceColumns(a, 1, 3));
        Assert.Equal((2, 1), Shape(tape.SliceColumns(a, 0, 1)));
        Assert.Equal((2, 2), Shape(tape.SliceColumns(a, 1, 2)));
        Assert.Equal((2, 1), Shape(tape.SliceColumns(a, 2, 1)));
        Assert.Same(a, tape.SliceColumns(a, 0, 3));

        var b = M(tape, 2, 2);
        Contract.Refused<ArgumentOutOfRangeException>("start", "Columns [-1, 1) do not fit in 5.", () => tape.ScatterColumns(b, -1, 5));
        Contract.Refused<ArgumentOutOfRangeException>("start", "Columns [4, 6) do not fit in 5.", () => tape.ScatterColumns(b, 4, 5));
        Contract.Refused<ArgumentOutOfRangeException>("start", "Columns [0, 2) do not fit in 1.", () => tape.ScatterColumns(b, 0, 1));
        Assert.Equal((2, 5), Shape(tape.ScatterColumns(b, 0, 5)));
        Assert.Equal((2, 5), Shape(tape.ScatterColumns(b, 3, 5)));
        Assert.Same(b, tape.ScatterColumns(b, 0, 2));

        Contract.Refused<ArgumentException>("b", "ConcatColumns of 2 and 3 rows.", () => tape.ConcatColumns(a, M(tape, 3, 3)));
        Contract.Refused<ArgumentException>("b", "ConcatColumns of 2 and 1 rows.", () => tape.ConcatColumns(a, M(tape, 1, 3)));
        Assert.Equal((2, 4), Shape(tape.ConcatColumns(a, M(tape, 2, 1))));
    }

    [Fact]
    public void Tensor_checks_scalar_rows_and_indices()
    {
        var tape = new Tape();
        var a = tape.Constant(new double[] { 0.37, 2.5, 0.5, 1.5, 0.25, 0.75 }, 2, 3);
        Contract.Invalid("Scalar needs a 1 x 1 tensor, this one is 2 x 3.", () => _ = a.Scalar);
        Contract.Invalid("Scalar needs a 1 x 1 tensor, this one is 1 x 3.", () => _ = M(tape, 1, 3).Scalar);
        Contract.Invalid("Scalar needs a 1 x 1 tensor, this one is 3 x 1.", () => _ = M(tape, 3, 1).Scalar);
        Assert.Equal(0.37, M(tape, 1, 1).Scalar);

        Contract.Refused<ArgumentOutOfRangeException>("row", "Row outside [0, 2).", () => a.Row(2));
        Contract.Refused<ArgumentOutOfRangeException>("row", "Row outside [0, 2).", () => a.Row(-1));
        Assert.Equal(1.5, a.Row(1)[0]);
        Assert.Equal(0.37, a.Row(0)[0]);

        Contract.Refused<ArgumentOutOfRangeException>("row", "Row outside [0, 2).", () => _ = a[2, 0]);
        Contract.Refused<ArgumentOutOfRangeException>("row", "Row outside [0, 2).", () => _ = a[-1, 0]);
        Contract.Refused<ArgumentOutOfRangeException>("column", "Column outside [0, 3).", () => _ = a[0, 3]);
        Contract.Refused<ArgumentOutOfRangeException>("column", "Column outside [0, 3).", () => _ = a[0, -1]);
        Contract.Refused<ArgumentOutOfRangeException>("column", "Column outside [0, 3).", () => a[1, 3] = 2.5);
        Assert.Equal(0.75, a[1, 2]);
        Assert.Equal(0.37, a[0, 0]);
    }
}

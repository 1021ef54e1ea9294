using Diffusion.Research.Nn.Autodiff;

namespace Diffusion.Research.Tests.Nn;

/// <summary>The tape refuses operands it cannot combine, naming their shapes, and operands of another tape.</summary>
public sealed class TapeArgumentTests
{
    [Fact]
    public void MismatchedShapesAreRefusedWithTheirShapes()
    {
        var tape = new Tape(1);
        var a = tape.Constant(2, 3, 1.0);
        var b = tape.Constant(3, 2, 1.0);
        var e = Assert.Throws<ArgumentException>(() => tape.Add(a, b));
        Assert.Equal("Cannot broadcast 2 x 3 with 3 x 2: rows differ and neither is 1. (Parameter 'b')", e.Message);
        e = Assert.Throws<ArgumentException>(() => tape.MatMul(a, a));
        Assert.Contains("MatMul of 2 x 3 by 2 x 3: inner dimensions differ", e.Message);
        e = Assert.Throws<ArgumentException>(() => tape.MatMulTransposeA(a, b));
        Assert.Contains("MatMulTransposeA of 2 x 3 by 3 x 2: row counts differ", e.Message);
        e = Assert.Throws<ArgumentException>(() => tape.MatMulTransposeB(a, b));
        Assert.Equal("b", e.ParamName);
    }

    [Fact]
    public void OperandsOfAnotherTapeAreRefusedByName()
    {
        var tape = new Tape(1);
        var other = new Tape(1);
        var mine = tape.Constant(2, 2, 1.0);
        var theirs = other.Constant(2, 2, 1.0);
        foreach (var product in new Func<Tensor, Tensor, Tensor>[] { tape.MatMul, tape.MatMulTransposeA, tape.MatMulTransposeB, tape.Add })
        {
            Assert.Equal("a", Assert.Throws<ArgumentException>(() => product(theirs, mine)).ParamName);
            Assert.Equal("b", Assert.Throws<ArgumentException>(() => product(mine, theirs)).ParamName);
        }
    }
}

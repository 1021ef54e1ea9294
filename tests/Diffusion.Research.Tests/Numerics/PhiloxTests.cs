using Diffusion.Research.Numerics;

namespace Diffusion.Research.Tests.Numerics;

public class PhiloxTests
{
    // Known-answer tests from Random123 (kat_vectors: philox4x32_10).
    [Fact]
    public void MatchesRandom123KnownAnswers()
    {
        Span<uint> o = stackalloc uint[4];
        Philox4x32.Generate(0UL, 0, 0, 0, 0, o);
        Assert.Equal(new uint[] { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 }, o.ToArray());
        Philox4x32.Generate(ulong.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, o);
        Assert.Equal(new uint[] { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd }, o.ToArray());
        Philox4x32.Generate(0x299f31d0_a4093822UL, // key words (k0, k1) = (0xa4093822, 0x299f31d0)
            0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, o);
        Assert.Equal(new uint[] { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 }, o.ToArray());
    }
}

using System.Buffers.Binary;
using System.Text;
using Diffusion.Research.Experiments.Samples;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>Issue 13 items 2 and 7: every malformed .npy/.csv is a plain InvalidDataException naming the file (and row and column).</summary>
public class SampleFileHardeningTests
{
    private static string Npy(string dir, string name, string header, byte[] data, int major = 1, long? headerLength = null)
    {
        var h = Encoding.ASCII.GetBytes(header);
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.Add((byte)major);
        bytes.Add(0);
        var len = new byte[major == 1 ? 2 : 4];
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)(headerLength ?? h.Length));
        else BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)(headerLength ?? h.Length));
        bytes.AddRange(len);
        bytes.AddRange(h);
        bytes.AddRange(data);
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    private static string Header(string shape) => $"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}\n";

    private static byte[] Doubles(params double[] values)
    {
        var b = new byte[8 * values.Length];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(8 * i), values[i]);
        return b;
    }

    [Theory]
    [InlineData("(1000000000000, 2)", 1, null, "needs 16000000000000 bytes of data but the file holds 32")]
    [InlineData("(9223372036854775807, 9223372036854775807)", 1, null, "needs more than 2^63 bytes")]
    [InlineData("(99999999999999999999, 2)", 1, null, "is too large")]
    [InlineData("(-3, 2)", 1, null, "has a negative dimension -3")]
    [InlineData("('a', 2)", 2, null, "has a dimension 'a' that is not a whole number")]
    [InlineData("(2, 2)", 1, 5000L, "the .npy header claims 5000 bytes but only")]
    [InlineData("(2, 2)", 2, 4000000000L, "the .npy header claims 4000000000 bytes")]
    [InlineData("(2, 2)", 7, null, ".npy format version 7.0 is not supported")]
    [InlineData("(2, 2, 1)", 1, null, "expected a 1-D or 2-D array")]
    [InlineData("(0, 2)", 1, null, "no points")]
    [InlineData("(3, 2)", 1, null, "needs 48 bytes of data but the file holds 32")]
    public void Malformed_npy_headers_give_plain_errors_naming_the_file(string shape, int major, long? headerLength, string text)
    {
        var dir = TestFiles.NewDirectory("npy");
        var path = Npy(dir, "bad.npy", Header(shape), Doubles(1, 2, 3, 4), major, headerLength);
        var e = Assert.Throws<InvalidDataException>(() => SampleFile.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(text, e.Message);
    }

    /// <summary>Versions 1 and 2 store the header in ASCII, version 3 in UTF-8 (the .npy format specification); the message says which.</summary>
    [Theory]
    [InlineData(1, 0xE9, "ASCII")]
    [InlineData(2, 0xE9, "ASCII")]
    [InlineData(3, 0xFF, "UTF-8")]
    public void A_header_that_is_not_text_of_its_version_is_named_so(int major, byte bad, string encoding)
    {
        var dir = TestFiles.NewDirectory("npy");
        var path = Npy(dir, "bad.npy", Header("(2, 2)"), Doubles(1, 2, 3, 4), major);
        var bytes = File.ReadAllBytes(path);
        bytes[(major == 1 ? 10 : 12) + 2] = bad; // inside 'descr'
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => SampleFile.Read(path));
        Assert.Equal($"{path}: the .npy header is not {encoding} text.", e.Message);
    }

    [Fact]
    public void Npy_version_2_and_3_headers_are_read()
    {
        var dir = TestFiles.NewDirectory("npy");
        foreach (var major in new[] { 2, 3 })
        {
            var batch = SampleFile.Read(Npy(dir, $"v{major}.npy", Header("(2, 2)"), Doubles(1.5, -2, 3, 4), major));
            Assert.Equal(new[] { 1.5, -2, 3, 4 }, batch.ToArray());
        }
    }

    [Theory]
    [InlineData(double.NaN, "row 2, column 1: NaN is not a finite number")]
    [InlineData(double.PositiveInfinity, "row 2, column 1: Infinity is not a finite number")]
    public void Non_finite_npy_values_are_named_by_row_and_column(double value, string text)
    {
        var dir = TestFiles.NewDirectory("npy");
        var path = Npy(dir, "nan.npy", Header("(2, 2)"), Doubles(1, 2, value, 4));
        Assert.Contains(text, Assert.Throws<InvalidDataException>(() => SampleFile.Read(path)).Message);
    }

    [Theory]
    [InlineData("x,y\n1,2\n3,NaN\n", "bad.csv:3: row 2, column 2: NaN is not a finite number")]
    [InlineData("x,y\n1,2\n1e400,4\n", "bad.csv:3: row 2, column 1: 1e400 is not a finite number")]
    [InlineData("1,2\n-Infinity,4\n", "bad.csv:2: row 2, column 1: -Infinity is not a finite number")]
    [InlineData("x,y\n1,2\n3,four\n", "bad.csv:3: row 2, column 2: 'four' is not a number")]
    [InlineData("x,y\n", "no rows of numbers")]
    public void Malformed_csv_values_are_named_by_line_row_and_column(string text, string expected)
    {
        var dir = TestFiles.NewDirectory("csv");
        var path = TestFiles.Write(dir, "bad.csv", text);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => SampleFile.Read(path)).Message);
    }

    /// <summary>The magic is \x93 and NUMPY, both: a file with either part wrong is not a .npy file.</summary>
    [Fact]
    public void Either_half_of_a_wrong_magic_is_refused()
    {
        var dir = TestFiles.NewDirectory("npy-magic");
        var good = Npy(dir, "good.npy", Header("(2, 1)"), Doubles(0.37, 2.5));
        Assert.Equal(2, SampleFile.Read(good).Count);
        var bytes = File.ReadAllBytes(good);
        foreach (var (index, value) in new[] { (0, (byte)'X'), (5, (byte)'Z') })
        {
            var bad = (byte[])bytes.Clone();
            bad[index] = value;
            var path = Path.Combine(dir, $"bad{index}.npy");
            File.WriteAllBytes(path, bad);
            Assert.Equal($"{path}: not a .npy file (it does not start with the \\x93NUMPY magic).",
                Assert.Throws<InvalidDataException>(() => SampleFile.Read(path)).Message);
        }
    }

    [Fact]
    public void Truncated_or_foreign_npy_files_give_plain_errors()
    {
        var dir = TestFiles.NewDirectory("npy");
        foreach (var bytes in new[] { Array.Empty<byte>(), "\u0093NUMPY"u8.ToArray(), "PK\u0003\u0004 zip"u8.ToArray(), new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 1, 0 } })
        {
            var path = Path.Combine(dir, "t.npy");
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<InvalidDataException>(() => SampleFile.Read(path));
            Assert.StartsWith(path + ": ", e.Message);
        }
    }
}

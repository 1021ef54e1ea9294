using System.Buffers.Binary;
using System.Text;
using Diffusion.Research.Numerics;
using Diffusion.Research.Experiments.Samples;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.Contracts;

public class ExperimentsSampleFileContractTests
{
    private static string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(TestFiles.NewDirectory("contract-samples"), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Csv(string text) => Write("s.csv", Encoding.UTF8.GetBytes(text));

    /// <summary>A .npy file of version <paramref name="major"/>.0 with <paramref name="header"/> (encoded as given) and the data.</summary>
    private static byte[] Npy(byte major, byte[] header, params double[] data)
    {
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(header);
        var buffer = new byte[8];
        foreach (var v in data)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(buffer, v);
            bytes.AddRange(buffer);
        }
        return [.. bytes];
    }

    private static string NpyFile(string header, params double[] data) => Write("s.npy", Npy(1, Encoding.ASCII.GetBytes(header), data));

    private static string Header(string shape, string descr = "<f8", string fortran = "False") =>
        $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': ({shape}), }}";

    private static void Bad(string path, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => SampleFile.Read(path));
        Assert.Equal(message, e.Message);
    }

    private static void BadStart(string path, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => SampleFile.Read(path));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_needs_a_csv_or_npy_path()
    {
        Contract.Null(() => SampleFile.Read(null!), "path");
        Contract.Argument(() => SampleFile.Read("points.txt"), "path", "Sample file 'points.txt' must end in .csv or .npy, not '.txt'.");
        Contract.Argument(() => SampleFile.Read("points"), "path", "Sample file 'points' must end in .csv or .npy, not ''.");
        var upper = Write("S.CSV", Encoding.UTF8.GetBytes("0.37,2.5\n"));
        Assert.Equal(2, SampleFile.Read(upper).Dimension);
        var missing = Path.Combine(TestFiles.NewDirectory("contract-samples"), "missing.csv");
        Bad(missing, $"the sample file '{missing}' does not exist.");
    }

    [Fact]
    public void Csv_problems_name_the_file_row_and_column()
    {
        var p = Write("b.csv", [0x31, 0x2C, 0xFF, 0xFE, 0x0A]);
        Bad(p, $"{p}: not UTF-8 text; is it a binary file?");
        p = Csv("0.37,2.5\n1.5,abc\n");
        Bad(p, $"{p}:2: row 2, column 2: 'abc' is not a number.");
        p = Csv("0.37,2.5\nx1,x2\n"); // a header only on the first line
        Bad(p, $"{p}:2: row 2, column 1: 'x1' is not a number.");
        p = Csv("\nx1,x2\n0.37,2.5\n"); // not on line 1: no header
        Bad(p, $"{p}:2: row 1, column 1: 'x1' is not a number.");
        p = Csv("x1,x2\n0.37,2.5\n1.5,0.25\n");
        Assert.Equal(2, SampleFile.Read(p).Count);
        p = Csv("0.37,2.5\n1.5\n");
        Bad(p, $"{p}:2: row 2 has 1 columns, the first row has 2.");
        p = Csv("0.37,2.5\n1.5,0.25,4\n");
        Bad(p, $"{p}:2: row 2 has 3 columns, the first row has 2.");
        p = Csv("x1,x2\n\n");
        Bad(p, $"{p}: no rows of numbers.");
        p = Csv("0.37\n");
        Assert.Equal(1, SampleFile.Read(p).Count);
    }

    [Fact]
    public void Npy_preamble_problems_are_named()
    {
        var p = Write("a.npy", Encoding.ASCII.GetBytes("hello world, not numpy"));
        Bad(p, $"{p}: not a .npy file (it does not start with the \\x93NUMPY magic).");
        p = Write("b.npy", [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 0]);
        Bad(p, $"{p}: not a .npy file (it does not start with the \\x93NUMPY magic).");
        p = Write("c.npy", [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 0, 0]); // 10 bytes: a preamble, an empty header
        Bad(p, $"{p}: the .npy header has no 'descr' entry: ");
        p = Write("d.npy", [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0, 0, 0]);
        Bad(p, $"{p}: the .npy preamble is cut short (11 bytes).");
        p = Write("e.npy", [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 3, 0, 0, 0, 0, 0]);
        Bad(p, $"{p}: the .npy header has no 'descr' entry: ");
        p = Write("f.npy", [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 4, 1, 0, 0, 0, 0]);
        Bad(p, $"{p}: .npy format version 4.1 is not supported (1.0, 2.0 and 3.0 are).");
    }

    [Fact]
    public void Npy_header_problems_are_named()
    {
        var header = Header("1, 2");
        var exact = Npy(1, Encoding.ASCII.GetBytes(header), 0.37, 2.5);
        Assert.Equal(2, SampleFile.Read(Write("ok.npy", exact)).Dimension);
        var p = Write("h.npy", Npy(1, Encoding.Latin1.GetBytes(header.Replace("}", "'n': 'é'}", StringComparison.Ordinal)), 0.37, 2.5));
        Bad(p, $"{p}: the .npy header is not ASCII text.");
        p = Write("h3.npy", Npy(3, [.. Encoding.ASCII.GetBytes(header), 0xFF], 0.37, 2.5));
        Bad(p, $"{p}: the .npy header is not UTF-8 text.");
        p = Write("u3.npy", Npy(3, Encoding.UTF8.GetBytes(header.Replace("}", "'n': 'é'}", StringComparison.Ordinal)), 0.37, 2.5));
        Assert.Equal(2, SampleFile.Read(p).Dimension);
        p = NpyFile("{'fortran_order': False, 'shape': (1, 2), }", 0.37, 2.5);
        Bad(p, $"{p}: the .npy header has no 'descr' entry: {{'fortran_order': False, 'shape': (1,...");
        p = NpyFile(Header("1, 2", descr: ">f8"), 0.37, 2.5);
        Bad(p, $"{p}: the array holds '>f8'; only little-endian float64 ('<f8') is supported (numpy: a.astype('<f8')).");
        p = NpyFile(Header("1, 2", descr: "<f4"), 0.37, 2.5);
        Bad(p, $"{p}: the array holds '<f4'; only little-endian float64 ('<f8') is supported (numpy: a.astype('<f8')).");
        Assert.Equal(2, SampleFile.Read(NpyFile(Header("1, 2", descr: "<d"), 0.37, 2.5)).Dimension);
        p = NpyFile("{'descr': '<f8', 'shape': (1, 2), }", 0.37, 2.5);
        Bad(p, $"{p}: the .npy header has no 'fortran_order': True/False entry.");
        p = NpyFile(Header("1, 2", fortran: "True"), 0.37, 2.5);
        Bad(p, $"{p}: Fortran order is not supported (numpy: np.ascontiguousarray(a)).");
        p = NpyFile("{'descr': '<f8', 'fortran_order': False, }", 0.37, 2.5);
        Bad(p, $"{p}: the .npy header has no 'shape': (...) entry.");
    }

    [Fact]
    public void Npy_shape_problems_are_named()
    {
        var p = NpyFile(Header("99999999999999999999, 2"), 0.37, 2.5);
        Bad(p, $"{p}: the .npy shape dimension 99999999999999999999 is too large.");
        p = NpyFile(Header("1, 2, 1"), 0.37, 2.5);
        Bad(p, $"{p}: expected a 1-D or 2-D array (N points x D dimensions), the shape (1, 2, 1) has 3 dimensions.");
        p = NpyFile(Header(""), 0.37);
        Bad(p, $"{p}: expected a 1-D or 2-D array (N points x D dimensions), the shape () has 0 dimensions.");
        var one = SampleFile.Read(NpyFile(Header("2,"), 0.37, 2.5));
        Assert.Equal((2, 1), (one.Count, one.Dimension));
        p = NpyFile(Header("0, 2"));
        Bad(p, $"{p}: the array has shape (0, 2): no points.");
        p = NpyFile(Header("2, 0"));
        Bad(p, $"{p}: the array has shape (2, 0): no points.");
        p = NpyFile(Header("1, 2"), 0.37);
        BadStart(p, $"{p}: the .npy shape (1, 2) needs 16 bytes of data but the file holds 8");
        p = NpyFile(Header("1, 2"), 0.37, 2.5, 4.0);
        BadStart(p, $"{p}: the .npy shape (1, 2) needs 16 bytes of data but the file holds 24");
    }

    [Fact]
    public void Writers_refuse_a_missing_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "never-written.csv");
        foreach (var write in new Action<string, Batch>[] { SampleFile.WriteCsv, SampleFile.WriteNpy })
        {
            Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => write(null!, new Batch(1, 2))).ParamName);
        }
        Assert.False(File.Exists(path));
    }
}

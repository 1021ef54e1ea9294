using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Experiments.Samples;

/// <summary>
/// Reads and writes particle sets as CSV (one row per particle, optional header line) or NumPy .npy
/// (format 1.0, little-endian float64, C order, shape (N, D)).
/// </summary>
public static partial class SampleFile
{
    /// <summary>Reads a .csv or .npy file (by extension).</summary>
    public static Batch Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(path),
            ".npy" => ReadNpy(path),
            var e => throw new ArgumentException($"Sample file '{path}' must end in .csv or .npy, not '{e}'.", nameof(path)),
        };
    }

    /// <summary>Writes samples as CSV with a header x1..xD and round-trip numbers.</summary>
    public static void WriteCsv(string path, Batch samples)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sb = new StringBuilder();
        sb.AppendJoin(',', Enumerable.Range(1, samples.Dimension).Select(d => "x" + d.ToString(CultureInfo.InvariantCulture))).Append('\n');
        for (var i = 0; i < samples.Count; i++)
        {
            var row = samples.Row(i);
            for (var d = 0; d < row.Length; d++)
            {
                if (d > 0) sb.Append(',');
                sb.Append(row[d].ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>The largest sample file read, 1 GiB.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>
    /// Reads CSV rows of numbers; a first line that is not numeric is a header. Every problem (not a regular file, not
    /// UTF-8, a non-numeric or non-finite value, ragged rows) is an <see cref="InvalidDataException"/> naming the file,
    /// row and column.
    /// </summary>
    public static Batch ReadCsv(string path)
    {
        var bytes = ReadBytes(path);
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"{path}: not UTF-8 text; is it a binary file?");
        }
        var rows = new List<double[]>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            var values = new double[parts.Length];
            var firstBad = -1;
            for (var d = 0; d < parts.Length; d++)
                if (!double.TryParse(parts[d].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[d]) && firstBad < 0) firstBad = d;
            if (firstBad >= 0)
            {
                if (rows.Count == 0 && lineNumber == 1) continue; // a header line
                throw new InvalidDataException($"{path}:{lineNumber}: row {rows.Count + 1}, column {firstBad + 1}: '{Short(parts[firstBad].Trim())}' is not a number.");
            }
            for (var d = 0; d < values.Length; d++)
                if (!double.IsFinite(values[d]))
                    throw new InvalidDataException($"{path}:{lineNumber}: row {rows.Count + 1}, column {d + 1}: {Short(parts[d].Trim())} is not a finite number; initial particles must be finite.");
            if (rows.Count > 0 && values.Length != rows[0].Length)
                throw new InvalidDataException($"{path}:{lineNumber}: row {rows.Count + 1} has {values.Length} columns, the first row has {rows[0].Length}.");
            rows.Add(values);
        }
        if (rows.Count == 0) throw new InvalidDataException($"{path}: no rows of numbers.");
        return Batch.FromRows(rows);
    }

    /// <summary>Writes samples as a .npy file (float64, C order, shape (N, D)).</summary>
    public static void WriteNpy(string path, Batch samples)
    {
        ArgumentNullException.ThrowIfNull(path);
        var header = $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({samples.Count}, {samples.Dimension}), }}";
        var total = 10 + header.Length + 1;
        var padded = header + new string(' ', (64 - total % 64) % 64) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)padded.Length);
        stream.Write(len);
        stream.Write(Encoding.ASCII.GetBytes(padded));
        Span<byte> buffer = stackalloc byte[8];
        foreach (var v in samples.Values)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(buffer, v);
            stream.Write(buffer);
        }
    }

    /// <summary>
    /// Reads a 2-D float64 little-endian C-order .npy file (format 1.0, 2.0 or 3.0; a 1-D array is read as N x 1). Every
    /// field of the header is checked before anything is allocated; every problem (bad magic or version, a header past the
    /// end of the file, a negative, non-numeric or overflowing shape, a data size that does not match the shape, a
    /// non-finite value) is an <see cref="InvalidDataException"/> naming the file (and the row and column of a bad value).
    /// </summary>
    public static Batch ReadNpy(string path)
    {
        var bytes = ReadBytes(path);
        // NumPy format (numpy.lib.format): magic \x93NUMPY, major and minor version, header length (2 bytes little-endian
        // in 1.0, 4 bytes in 2.0 and 3.0), an ASCII (3.0: UTF-8) Python dict literal, then the data.
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path}: not a .npy file (it does not start with the \\x93NUMPY magic).");
        var major = bytes[6];
        int offset;
        long headerLength;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
                offset = 10;
                break;
            case 2 or 3:
                if (bytes.Length < 12) throw new InvalidDataException($"{path}: the .npy preamble is cut short ({bytes.Length} bytes).");
                headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
                offset = 12;
                break;
            default:
                throw new InvalidDataException($"{path}: .npy format version {major}.{bytes[7]} is not supported (1.0, 2.0 and 3.0 are).");
        }
        if (headerLength > bytes.Length - offset)
            throw new InvalidDataException($"{path}: the .npy header claims {headerLength} bytes but only {bytes.Length - offset} follow the preamble; the file is truncated or corrupt.");
        string header;
        try
        {
            header = (major == 3 ? new UTF8Encoding(false, true) : (Encoding)Encoding.GetEncoding("us-ascii", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback))
                .GetString(bytes, offset, (int)headerLength);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"{path}: the .npy header is not {(major == 3 ? "UTF-8" : "ASCII")} text.");
        }
        var descr = NpyDescr().Match(header);
        if (!descr.Success) throw new InvalidDataException($"{path}: the .npy header has no 'descr' entry: {Short(header.Trim())}");
        if (descr.Groups[1].Value is not ("<f8" or "<d"))
            throw new InvalidDataException($"{path}: the array holds '{Short(descr.Groups[1].Value)}'; only little-endian float64 ('<f8') is supported (numpy: a.astype('<f8')).");
        var fortran = NpyFortran().Match(header);
        if (!fortran.Success) throw new InvalidDataException($"{path}: the .npy header has no 'fortran_order': True/False entry.");
        if (fortran.Groups[1].Value == "True") throw new InvalidDataException($"{path}: Fortran order is not supported (numpy: np.ascontiguousarray(a)).");
        var shape = NpyShape().Match(header);
        if (!shape.Success) throw new InvalidDataException($"{path}: the .npy header has no 'shape': (...) entry.");
        var parts = shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > 0 && parts[^1].Length == 0) parts = parts[..^1];
        var dims = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            if (p.StartsWith('-') && long.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                throw new InvalidDataException($"{path}: the .npy shape ({shape.Groups[1].Value}) has a negative dimension {p}.");
            if (p.Length == 0 || !p.All(char.IsAsciiDigit))
                throw new InvalidDataException($"{path}: the .npy shape ({Short(shape.Groups[1].Value)}) has a dimension {Short(p)} that is not a whole number.");
            if (!long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]))
                throw new InvalidDataException($"{path}: the .npy shape dimension {Short(p)} is too large.");
        }
        if (dims.Length is < 1 or > 2) throw new InvalidDataException($"{path}: expected a 1-D or 2-D array (N points x D dimensions), the shape ({shape.Groups[1].Value}) has {dims.Length} dimensions.");
        var n = dims[0];
        var d = dims.Length == 2 ? dims[1] : 1;
        if (n == 0 || d == 0) throw new InvalidDataException($"{path}: the array has shape ({shape.Groups[1].Value}): no points.");
        var start = offset + headerLength;
        var available = bytes.Length - start;
        // n·d·8 without overflow: compare n against the bytes available before multiplying.
        if (n > available / 8 / d || n * d * 8 != available)
            throw new InvalidDataException($"{path}: the .npy shape ({shape.Groups[1].Value}) needs {(n > long.MaxValue / 8 / d ? "more than 2^63" : (n * d * 8).ToString(CultureInfo.InvariantCulture))} bytes of data but the file holds {available}.");
        var batch = new Batch((int)n, (int)d);
        var values = batch.Values;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((int)start + 8 * i));
            if (!double.IsFinite(values[i]))
                throw new InvalidDataException($"{path}: row {i / d + 1}, column {i % d + 1}: {values[i].ToString(CultureInfo.InvariantCulture)} is not a finite number; initial particles must be finite.");
        }
        return batch;
    }

    private static byte[] ReadBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (RegularFile.Read(path, MaxFileBytes, "sample file", out var bytes) is { } problem) throw new InvalidDataException(problem + ".");
        return bytes!;
    }

    private static string Short(string s) => s.Length <= 40 ? s : s[..37] + "...";

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex NpyDescr();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex NpyFortran();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex NpyShape();
}

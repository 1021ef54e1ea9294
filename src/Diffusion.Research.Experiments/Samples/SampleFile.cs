using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Diffusion.Research.Numerics;

namespace Diffusion.Research.Experiments.Samples;

/// <summary>
/// Reads and writes particle sets as CSV (one row per particle, optional header line) or NumPy .npy
/// (format 1.0, little-endian float64, C order, shape (N, D)).
/// </summary>
public static class SampleFile
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

    /// <summary>Reads CSV rows of numbers; a first line that is not numeric is a header.</summary>
    public static Batch ReadCsv(string path)
    {
        var rows = new List<double[]>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            var values = new double[parts.Length];
            var numeric = true;
            for (var d = 0; d < parts.Length; d++)
                numeric &= double.TryParse(parts[d].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[d]);
            if (!numeric)
            {
                if (rows.Count == 0 && lineNumber == 1) continue;
                throw new InvalidDataException($"{path}:{lineNumber}: not a row of numbers.");
            }
            if (rows.Count > 0 && values.Length != rows[0].Length)
                throw new InvalidDataException($"{path}:{lineNumber}: {values.Length} columns, the first row has {rows[0].Length}.");
            rows.Add(values);
        }
        if (rows.Count == 0) throw new InvalidDataException($"{path}: no rows.");
        return Batch.FromRows(rows);
    }

    /// <summary>Writes samples as a .npy file (float64, C order, shape (N, D)).</summary>
    public static void WriteNpy(string path, Batch samples)
    {
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

    /// <summary>Reads a 2-D float64 little-endian C-order .npy file (a 1-D array is read as N x 1).</summary>
    public static Batch ReadNpy(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path}: not a .npy file.");
        int headerLength, offset;
        if (bytes[6] == 1) { headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)); offset = 10; }
        else { headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)); offset = 12; }
        var header = Encoding.ASCII.GetString(bytes, offset, headerLength);
        if (!header.Contains("'<f8'", StringComparison.Ordinal)) throw new InvalidDataException($"{path}: only little-endian float64 ('<f8') is supported; header {header.Trim()}.");
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal)) throw new InvalidDataException($"{path}: Fortran order is not supported.");
        var open = header.IndexOf("'shape': (", StringComparison.Ordinal);
        if (open < 0) throw new InvalidDataException($"{path}: no shape in header.");
        var close = header.IndexOf(')', open);
        var dims = header[(open + 10)..close].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        if (dims.Length is < 1 or > 2) throw new InvalidDataException($"{path}: expected a 1-D or 2-D array, shape has {dims.Length} dimensions.");
        var n = dims[0];
        var d = dims.Length == 2 ? dims[1] : 1;
        var start = offset + headerLength;
        if (bytes.Length - start < (long)n * d * 8) throw new InvalidDataException($"{path}: truncated data.");
        var batch = new Batch(n, d);
        var values = batch.Values;
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(start + 8 * i));
        return batch;
    }
}

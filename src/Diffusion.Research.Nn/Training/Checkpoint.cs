using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Diffusion.Research.Nn.Training;

/// <summary>
/// The complete state of a training run: the options that made it, the step reached, the weights, the
/// optimiser state, the EMA and the loss history. Saved in a versioned binary format with every double
/// stored as its 8 bytes, so a reload (and a resumed run) is bit-exact.
/// </summary>
public sealed record Checkpoint
{
    /// <summary>Format version written by <see cref="Save(Stream)"/> (2: the body of version 1 behind its length and followed by its SHA-256).</summary>
    public const int FormatVersion = 2;

    /// <summary>The largest checkpoint body read, 1 GiB (a 2x2048 MLP with Adam state and EMA is about 130 MB).</summary>
    public const long MaxBodyBytes = 1L << 30;

    private static readonly byte[] Magic = "DRNNCKPT"u8.ToArray();

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The options of the run.</summary>
    public required TrainingOptions Options { get; init; }

    /// <summary>Steps completed.</summary>
    public required int Step { get; init; }

    /// <summary>Parameter values in model order.</summary>
    public required IReadOnlyList<double[]> Parameters { get; init; }

    /// <summary>Optimiser name.</summary>
    public required string OptimizerName { get; init; }

    /// <summary>Optimiser step count.</summary>
    public required long OptimizerSteps { get; init; }

    /// <summary>Optimiser buffers.</summary>
    public required IReadOnlyList<double[]> OptimizerState { get; init; }

    /// <summary>EMA buffers (empty when EMA is off).</summary>
    public required IReadOnlyList<double[]> Ema { get; init; }

    /// <summary>Loss per completed step.</summary>
    public required IReadOnlyList<double> LossHistory { get; init; }

    /// <summary>The options as JSON (as stored in the file).</summary>
    public string OptionsJson => JsonSerializer.Serialize(Options, Json);

    /// <summary>
    /// Writes the checkpoint to <paramref name="stream"/>: magic, format version, the body length (int64), the body
    /// (options JSON, step, weights, optimiser name, steps and state, EMA, loss history; every double as its 8 bytes) and
    /// the SHA-256 of the body, so any change to the body is detected on load.
    /// </summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var body = new MemoryStream();
        using (var b = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            b.Write(OptionsJson);
            b.Write(Step);
            WriteArrays(b, Parameters);
            b.Write(OptimizerName);
            b.Write(OptimizerSteps);
            WriteArrays(b, OptimizerState);
            WriteArrays(b, Ema);
            b.Write(LossHistory.Count);
            foreach (var v in LossHistory) b.Write(v);
        }
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(body.Length);
        w.Write(body.GetBuffer(), 0, (int)body.Length);
        w.Write(SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length)));
    }

    /// <summary>Writes the checkpoint to a file.</summary>
    public void Save(string path)
    {
        using var f = File.Create(path);
        Save(f);
    }

    /// <summary>
    /// Reads a checkpoint written by <see cref="Save(Stream)"/> (format 2, checksum verified) or by an earlier build
    /// (format 1, no checksum). Every count and length is checked against the bytes left before anything is allocated,
    /// the options must parse and validate, the weights, optimiser state and EMA must be finite and consistent; any
    /// problem is an <see cref="InvalidDataException"/> "checkpoint NAME is corrupt: ...".
    /// </summary>
    public static Checkpoint Load(Stream stream) => Load(stream, "(stream)");

    /// <summary>Reads a checkpoint file (see <see cref="Load(Stream)"/>); errors name the file.</summary>
    public static Checkpoint Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream f;
        try
        {
            f = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"checkpoint {path} cannot be read: {e.Message}", e);
        }
        using (f) return Load(f, path);
    }

    private static Checkpoint Load(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            var magic = r.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic)) throw Corrupt("it does not start with the DRNNCKPT magic (not a Diffusion.Research.Nn checkpoint?)");
            var version = r.ReadInt32();
            switch (version)
            {
                case 1:
                    return ReadBody(r, stream.CanSeek ? stream.Length - stream.Position : MaxBodyBytes);
                case 2:
                {
                    var length = r.ReadInt64();
                    var left = stream.CanSeek ? stream.Length - stream.Position - 32 : MaxBodyBytes;
                    if (length < 0 || length > MaxBodyBytes || length > left)
                        throw Corrupt($"the body length {length} does not fit the file ({Math.Max(0, left)} bytes left before the checksum)");
                    var body = r.ReadBytes((int)length);
                    var sum = r.ReadBytes(32);
                    if (body.Length != length || sum.Length != 32) throw Corrupt("it ends early (truncated)");
                    if (!SHA256.HashData(body).AsSpan().SequenceEqual(sum)) throw Corrupt("the SHA-256 checksum of its body does not match (the file was changed or damaged)");
                    if (stream.CanSeek && stream.Position != stream.Length) throw Corrupt($"{stream.Length - stream.Position} unexpected bytes after the checksum");
                    using var br = new BinaryReader(new MemoryStream(body, writable: false), Encoding.UTF8);
                    var checkpoint = ReadBody(br, length);
                    if (br.BaseStream.Position != length) throw Corrupt("the body has unread bytes at its end");
                    return checkpoint;
                }
                default:
                    throw Corrupt($"format version {version} (this build reads versions 1 and 2)");
            }
        }
        catch (CorruptException e)
        {
            throw new InvalidDataException($"checkpoint {name} is corrupt: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"checkpoint {name} is corrupt: it ends early (truncated)", e);
        }
    }

    // The body of formats 1 and 2; `left` bounds every count and length before an array is allocated.
    private static Checkpoint ReadBody(BinaryReader r, long left)
    {
        long Left() => r.BaseStream.CanSeek ? r.BaseStream.Length - r.BaseStream.Position : left;
        var json = ReadString(r, Left(), "options");
        TrainingOptions options;
        try
        {
            options = JsonSerializer.Deserialize<TrainingOptions>(json, Json) ?? throw Corrupt("the options are empty");
            options.Validate();
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException or OverflowException)
        {
            throw Corrupt($"the options are not valid JSON ({e.Message.ReplaceLineEndings(" ")})");
        }
        catch (ArgumentException e)
        {
            throw Corrupt($"the options are invalid ({e.Message.ReplaceLineEndings(" ")})");
        }
        var step = r.ReadInt32();
        if (step < 0) throw Corrupt($"negative step {step}");
        var parameters = ReadArrays(r, Left(), "weights");
        var optimizer = ReadString(r, Left(), "optimiser name");
        if (optimizer.Length == 0) throw Corrupt("the optimiser name is empty");
        var optimizerSteps = r.ReadInt64();
        if (optimizerSteps < 0) throw Corrupt($"negative optimiser step count {optimizerSteps}");
        var state = ReadArrays(r, Left(), "optimiser state");
        var ema = ReadArrays(r, Left(), "EMA weights");
        if (ema.Length != 0 && (ema.Length != parameters.Length || ema.Where((e, i) => e.Length != parameters[i].Length).Any()))
            throw Corrupt("the EMA weights do not have the shapes of the weights");
        var n = r.ReadInt32();
        if (n < 0 || (long)n * 8 > Left()) throw Corrupt($"loss history of {n} values does not fit the {Left()} bytes left");
        if (n != step) throw Corrupt($"the loss history has {n} values for step {step}");
        var history = new double[n];
        for (var i = 0; i < n; i++) history[i] = r.ReadDouble();
        return new Checkpoint
        {
            Options = options, Step = step, Parameters = parameters, OptimizerName = optimizer, OptimizerSteps = optimizerSteps,
            OptimizerState = state, Ema = ema, LossHistory = history,
        };
    }

    private static string ReadString(BinaryReader r, long left, string what)
    {
        // BinaryWriter.Write(string): the UTF-8 byte count as a 7-bit encoded int, then the bytes.
        int length;
        try
        {
            length = r.Read7BitEncodedInt();
        }
        catch (FormatException)
        {
            throw Corrupt($"the length of the {what} is malformed");
        }
        if (length < 0 || length > left) throw Corrupt($"the {what} claims {length} bytes but {left} are left");
        var bytes = r.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt($"the {what} is not UTF-8 text");
        }
    }

    private static CorruptException Corrupt(string message) => new(message);

    /// <summary>A problem found while reading; turned into the public "checkpoint NAME is corrupt" error.</summary>
    private sealed class CorruptException(string message) : Exception(message);

    private static void WriteArrays(BinaryWriter w, IReadOnlyList<double[]> arrays)
    {
        w.Write(arrays.Count);
        foreach (var a in arrays)
        {
            w.Write(a.Length);
            foreach (var v in a) w.Write(v);
        }
    }

    private static double[][] ReadArrays(BinaryReader r, long left, string what)
    {
        var count = r.ReadInt32();
        // Each array takes at least its 4-byte length, so more arrays than left / 4 cannot be in the file.
        if (count < 0 || count > left / 4) throw Corrupt($"{what}: {count} arrays do not fit the {left} bytes left");
        var arrays = new double[count][];
        var remaining = left - 4;
        for (var i = 0; i < count; i++)
        {
            var n = r.ReadInt32();
            remaining -= 4;
            if (n < 0 || (long)n * 8 > remaining) throw Corrupt($"{what}: array {i} claims {n} values but {Math.Max(0, remaining)} bytes are left");
            arrays[i] = new double[n];
            for (var j = 0; j < n; j++)
            {
                var v = r.ReadDouble();
                if (!double.IsFinite(v)) throw Corrupt($"{what}: value {j} of array {i} is {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                arrays[i][j] = v;
            }
            remaining -= 8L * n;
        }
        return arrays;
    }
}

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
    /// <summary>Format version written by <see cref="Save(Stream)"/>.</summary>
    public const int FormatVersion = 1;

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

    /// <summary>Writes the checkpoint to <paramref name="stream"/>.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(OptionsJson);
        w.Write(Step);
        WriteArrays(w, Parameters);
        w.Write(OptimizerName);
        w.Write(OptimizerSteps);
        WriteArrays(w, OptimizerState);
        WriteArrays(w, Ema);
        w.Write(LossHistory.Count);
        foreach (var v in LossHistory) w.Write(v);
    }

    /// <summary>Writes the checkpoint to a file.</summary>
    public void Save(string path)
    {
        using var f = File.Create(path);
        Save(f);
    }

    /// <summary>Reads a checkpoint written by <see cref="Save(Stream)"/>.</summary>
    public static Checkpoint Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var magic = r.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("Not a Diffusion.Research.Nn checkpoint (bad magic).");
        var version = r.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"Checkpoint format version {version}; this build reads version {FormatVersion}.");
        var options = JsonSerializer.Deserialize<TrainingOptions>(r.ReadString(), Json) ?? throw new InvalidDataException("Checkpoint options are empty.");
        var step = r.ReadInt32();
        var parameters = ReadArrays(r);
        var optimizer = r.ReadString();
        var optimizerSteps = r.ReadInt64();
        var state = ReadArrays(r);
        var ema = ReadArrays(r);
        var n = r.ReadInt32();
        var history = new double[n];
        for (var i = 0; i < n; i++) history[i] = r.ReadDouble();
        return new Checkpoint
        {
            Options = options, Step = step, Parameters = parameters, OptimizerName = optimizer, OptimizerSteps = optimizerSteps,
            OptimizerState = state, Ema = ema, LossHistory = history,
        };
    }

    /// <summary>Reads a checkpoint file.</summary>
    public static Checkpoint Load(string path)
    {
        using var f = File.OpenRead(path);
        return Load(f);
    }

    private static void WriteArrays(BinaryWriter w, IReadOnlyList<double[]> arrays)
    {
        w.Write(arrays.Count);
        foreach (var a in arrays)
        {
            w.Write(a.Length);
            foreach (var v in a) w.Write(v);
        }
    }

    private static double[][] ReadArrays(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0) throw new InvalidDataException("Negative array count.");
        var arrays = new double[count][];
        for (var i = 0; i < count; i++)
        {
            var n = r.ReadInt32();
            if (n < 0) throw new InvalidDataException("Negative array length.");
            arrays[i] = new double[n];
            for (var j = 0; j < n; j++) arrays[i][j] = r.ReadDouble();
        }
        return arrays;
    }
}

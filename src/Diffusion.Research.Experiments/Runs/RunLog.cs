using System.Text;

namespace Diffusion.Research.Experiments;

/// <summary>
/// The append-only run log runs.jsonl. Each record is appended with one write of a whole line and flushed to disk,
/// so a kill leaves at most a torn last line; reading ignores it and opening for append cuts it off.
/// </summary>
public sealed class RunLog
{
    /// <summary>The file name inside a results folder.</summary>
    public const string FileName = "runs.jsonl";

    /// <summary>Creates a log at <paramref name="path"/>.</summary>
    public RunLog(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
    }

    /// <summary>The file path.</summary>
    public string Path { get; }

    /// <summary>Reads every complete record. A torn last line (no newline) is ignored; a malformed complete line throws <see cref="InvalidDataException"/>.</summary>
    public IReadOnlyList<ResultRecord> Read()
    {
        var records = new List<ResultRecord>();
        if (!File.Exists(Path)) return records;
        var text = File.ReadAllText(Path, Encoding.UTF8);
        var lines = text.Split('\n');
        // The last element is "" after a final newline, or a torn line without one: either way it is skipped.
        for (var i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i].Length == 0) continue;
            try
            {
                records.Add(ResultRecord.Parse(lines[i]));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{Path}:{i + 1}: malformed run record: {e.Message}", e);
            }
        }
        return records;
    }

    /// <summary>Cuts off a torn last line, if any, so that appends start on a fresh line.</summary>
    public void Repair()
    {
        if (!File.Exists(Path)) return;
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite);
        var length = stream.Length;
        if (length == 0) return;
        var buffer = new byte[1];
        var end = length;
        while (end > 0)
        {
            stream.Position = end - 1;
            stream.ReadExactly(buffer);
            if (buffer[0] == (byte)'\n') break;
            end--;
        }
        if (end != length) stream.SetLength(end);
    }

    /// <summary>Appends one record as a single line and flushes it to disk.</summary>
    public void Append(ResultRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = Encoding.UTF8.GetBytes(record.ToJsonLine() + "\n");
        using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}

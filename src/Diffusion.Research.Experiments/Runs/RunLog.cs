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
        var first = new Dictionary<(string Cell, int Repeat), (int Line, ResultRecord Record)>();
        // The last element is "" after a final newline, or a torn line without one: either way it is skipped.
        for (var i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i].Length == 0) continue;
            ResultRecord record;
            try
            {
                record = ResultRecord.Parse(lines[i]);
            }
            catch (System.Text.Json.JsonException e)
            {
                // Not JSON: the column where the reader stopped, and its sentence without the reader's own location suffix.
                var column = e.BytePositionInLine is { } b ? $"{b + 1}:" : "";
                var message = e.Message;
                var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
                throw new InvalidDataException($"{Path}:{i + 1}:{column} malformed run record: {(cut >= 0 ? message[..cut] : message)}", e);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{Path}:{i + 1}: malformed run record: {e.Message}", e);
            }
            // A (cell, repeat) recorded twice with the same result is harmless (the first one counts); with a different
            // result the log contradicts itself and no table can be trusted.
            if (first.TryGetValue((record.Cell, record.Repeat), out var earlier))
            {
                if (!SameResult(earlier.Record, record))
                    throw new InvalidDataException($"{Path}:{i + 1}: cell #{record.Index} repeat {record.Repeat} is recorded again with a different result (first at line {earlier.Line}); remove one of the two lines, or rerun with --force");
            }
            else
            {
                first.Add((record.Cell, record.Repeat), (i + 1, record));
            }
            records.Add(record);
        }
        return records;
    }

    /// <summary>Whether two records of the same cell and repeat hold the same result (status, message, metrics, floor, solver statistics; wall time aside).</summary>
    public static bool SameResult(ResultRecord a, ResultRecord b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Status == b.Status && a.Message == b.Message && a.Nfe == b.Nfe && a.Accepted == b.Accepted && a.Rejected == b.Rejected
            && SameValues(a.Metrics, b.Metrics) && SameValues(a.Floor, b.Floor);
    }

    private static bool SameValues(IReadOnlyDictionary<string, double?> a, IReadOnlyDictionary<string, double?> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (key, value) in a)
            if (!b.TryGetValue(key, out var other) || !Nullable.Equals(value, other)) return false;
        return true;
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

using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Experiments.Output;

/// <summary>
/// manifest.json: what produced a results folder — git commit, config hash, framework and .NET versions, machine,
/// seed, repeats, shard, counts and elapsed time. Not part of the byte-identical outputs.
/// </summary>
public static class Manifest
{
    /// <summary>The file name inside a results folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Writes the manifest.</summary>
    public static void Write(string path, ExperimentPlan plan, IReadOnlyList<ResultRecord> records, string shard, TimeSpan elapsed, string? sourceDirectory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(records);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("name", plan.Name);
            w.WriteString("config_hash", plan.ConfigHash);
            w.WriteString("source", plan.SourceFile);
            if (sourceDirectory is null) w.WriteNull("source_directory"); else w.WriteString("source_directory", sourceDirectory);
            w.WriteString("git_commit", GitCommit(sourceDirectory ?? ".", Path.GetDirectoryName(Path.GetFullPath(path))));
            w.WriteString("framework_version", typeof(Manifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
            w.WriteString("dotnet", RuntimeInformation.FrameworkDescription);
            w.WriteStartObject("machine");
            w.WriteString("os", RuntimeInformation.OSDescription);
            w.WriteString("architecture", RuntimeInformation.ProcessArchitecture.ToString());
            w.WriteNumber("processors", Environment.ProcessorCount);
            w.WriteEndObject();
            var devices = records.Select(r => r.Device).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (devices.Count > 0) // written only when a cell ran off the plain CPU path (device: gpu, gpu-emulated or auto)
            {
                w.WriteStartArray("devices");
                foreach (var d in devices) w.WriteStringValue(d);
                w.WriteEndArray();
            }
            w.WriteNumber("seed", plan.Seed);
            w.WriteNumber("repeats", plan.Repeats);
            w.WriteNumber("cells", plan.Cells.Count);
            w.WriteString("last_shard", shard);
            w.WriteNumber("records", records.Count);
            w.WriteNumber("failed", records.Count(r => !r.IsSuccess));
            w.WriteNumber("elapsed_seconds", Math.Round(elapsed.TotalSeconds, 3));
            w.WriteNumber("cell_seconds_total", Math.Round(records.Sum(r => r.WallSeconds), 3));
            w.WriteString("written_utc", DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        File.WriteAllText(path, Encoding.UTF8.GetString(stream.ToArray()) + "\n");
    }

    /// <summary>
    /// The git commit of the working tree that holds <paramref name="directory"/>, with "-dirty" when a tracked file of
    /// the tree differs from it, or "unknown". Changes under <paramref name="resultsDirectory"/> (the results folder the
    /// manifest describes, which the run itself has just rewritten) do not count: a rerun of a committed experiment on a
    /// clean tree records the clean commit.
    /// </summary>
    public static string GitCommit(string directory, string? resultsDirectory = null)
    {
        try
        {
            var info = new ProcessStartInfo("git", "rev-parse --show-toplevel HEAD")
            {
                WorkingDirectory = Directory.Exists(directory) ? directory : ".",
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info);
            if (process is null) return "unknown";
            var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            process.WaitForExit(5000);
            if (process.ExitCode != 0 || lines.Length != 2) return "unknown";
            var (top, output) = (lines[0], lines[1]);
            var status = new ProcessStartInfo("git")
            {
                WorkingDirectory = info.WorkingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "status", "--porcelain", "--untracked-files=no", "--", ":/" }) status.ArgumentList.Add(a); // ":/": the whole tree, not just the working directory
            // Excluded only when inside the tree (git refuses a pathspec outside it, e.g. --out /tmp/x: nothing to exclude then).
            var results = resultsDirectory is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(resultsDirectory));
            if (results is not null && results.StartsWith(Path.TrimEndingDirectorySeparator(top) + "/", StringComparison.Ordinal))
                status.ArgumentList.Add(":(exclude)" + results);
            using var dirty = Process.Start(status);
            if (dirty is null) return output + "-dirty";
            var changes = dirty.StandardOutput.ReadToEnd().Trim();
            dirty.WaitForExit(5000);
            // A failed status cannot show the tree clean: dirty, conservatively.
            return changes.Length > 0 || dirty.ExitCode != 0 ? output + "-dirty" : output;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return "unknown";
        }
    }
}

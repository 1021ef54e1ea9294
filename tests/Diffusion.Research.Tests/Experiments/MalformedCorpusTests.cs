using System.Text.RegularExpressions;
using Diffusion.Research.Cli;
using Diffusion.Research.Experiments.Backend;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>
/// Every file of the Malformed corpus must give a located error (file:line:column, the location listed in
/// Malformed/expected.txt) and exit code 2 from `diffusion validate` and from `diffusion run`, writing nothing.
/// </summary>
public class MalformedCorpusTests
{
    private static string CorpusDirectory => Path.Combine(TestFiles.RepositoryRoot(), "tests", "Diffusion.Research.Tests", "Experiments", "Malformed");

    // A line of expected.txt: FILE LINE:COLUMN [real] [TEXT]. "real" checks the file with the real backend (for errors
    // only the real components find: sample files, SDE ranges, component messages); TEXT must appear in the error line.
    public static TheoryData<string, int, int, bool, string> Corpus()
    {
        var data = new TheoryData<string, int, int, bool, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(CorpusDirectory, "expected.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            var at = parts[1].Split(':');
            var rest = parts.Length > 2 ? parts[2] : "";
            var real = rest == "real" || rest.StartsWith("real ", StringComparison.Ordinal);
            if (real) rest = rest.Length > 4 ? rest[5..] : "";
            data.Add(parts[0], int.Parse(at[0]), int.Parse(at[1]), real, rest);
        }
        return data;
    }

    [Fact]
    public void Corpus_has_at_least_twenty_files_and_every_file_is_listed()
    {
        var files = Directory.GetFiles(CorpusDirectory, "*.yaml").Select(f => Path.GetFileName(f)!).Order().ToList();
        var listed = Corpus().Select(row => (string)row[0]).Order().ToList();
        Assert.True(files.Count >= 20, $"only {files.Count} malformed files");
        Assert.Equal(files, listed);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Malformed_file_gives_located_error_and_exit_code_2(string file, int line, int column, bool real, string text)
    {
        var path = Path.Combine(CorpusDirectory, file);
        var outDir = TestFiles.NewDirectory("malformed");
        foreach (var command in new[] { new[] { "validate", path }, new[] { "run", path, "--out", outDir } })
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            IExperimentBackend backend = real ? ExperimentBackend.CreateDefault() : new FakeBackend();
            var code = new DiffusionCli(backend, stdout, stderr, interactive: false).Invoke(command);
            Assert.Equal(ExitCodes.InvalidInput, code);
            var expected = $"{path}:{line}:{column}: error: ";
            var errorLine = stderr.ToString().Split('\n').FirstOrDefault(l => l.StartsWith(expected, StringComparison.Ordinal));
            Assert.True(errorLine is not null, $"expected '{expected}' in:\n{stderr}");
            Assert.Contains(text, errorLine, StringComparison.Ordinal);
            Assert.Matches(new Regex(@":\d+:\d+: error: \S"), stderr.ToString());
            Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal); // never a stack trace
        }
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    /// <summary>
    /// What `diffusion validate` prints for each corpus file, whole: every message a researcher reads on these paths,
    /// its wording, its order and that no follow-on error joins it (golden files in Malformed/messages/, the corpus
    /// folder written as <c>{corpus}</c>). After a deliberate change of wording, regenerate them with
    /// <c>DIFFUSION_UPDATE_GOLDEN=1 dotnet test --filter Validate_prints_the_golden_message</c> and review the diff.
    /// </summary>
    [Theory]
    [MemberData(nameof(Corpus))]
    public void Validate_prints_the_golden_message(string file, int line, int column, bool real, string text)
    {
        _ = (line, column, text);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        IExperimentBackend backend = real ? ExperimentBackend.CreateDefault() : new FakeBackend();
        Assert.Equal(ExitCodes.InvalidInput, new DiffusionCli(backend, stdout, stderr, interactive: false).Invoke(["validate", Path.Combine(CorpusDirectory, file)]));
        var printed = stderr.ToString().Replace(CorpusDirectory, "{corpus}", StringComparison.Ordinal).ReplaceLineEndings("\n");
        var golden = Path.Combine(CorpusDirectory, "messages", Path.ChangeExtension(file, ".txt"));
        if (Environment.GetEnvironmentVariable("DIFFUSION_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllText(golden, printed);
        }
        Assert.True(File.Exists(golden), $"no golden file {golden}; create it with DIFFUSION_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(golden).ReplaceLineEndings("\n"), printed);
    }
}

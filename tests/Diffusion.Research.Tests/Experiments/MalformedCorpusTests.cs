using System.Text.RegularExpressions;
using Diffusion.Research.Cli;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>
/// Every file of the Malformed corpus must give a located error (file:line:column, the location listed in
/// Malformed/expected.txt) and exit code 2 from `diffusion validate` and from `diffusion run`, writing nothing.
/// </summary>
public class MalformedCorpusTests
{
    private static string CorpusDirectory => Path.Combine(TestFiles.RepositoryRoot(), "tests", "Diffusion.Research.Tests", "Experiments", "Malformed");

    public static TheoryData<string, int, int> Corpus()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var line in File.ReadAllLines(Path.Combine(CorpusDirectory, "expected.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var at = parts[1].Split(':');
            data.Add(parts[0], int.Parse(at[0]), int.Parse(at[1]));
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
    public void Malformed_file_gives_located_error_and_exit_code_2(string file, int line, int column)
    {
        var path = Path.Combine(CorpusDirectory, file);
        var outDir = TestFiles.NewDirectory("malformed");
        foreach (var command in new[] { new[] { "validate", path }, new[] { "run", path, "--out", outDir } })
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = new DiffusionCli(new FakeBackend(), stdout, stderr, interactive: false).Invoke(command);
            Assert.Equal(ExitCodes.InvalidInput, code);
            var expected = $"{path}:{line}:{column}: error: ";
            Assert.True(stderr.ToString().Contains(expected, StringComparison.Ordinal),
                $"expected '{expected}' in:\n{stderr}");
            Assert.Matches(new Regex(@":\d+:\d+: error: \S"), stderr.ToString());
        }
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }
}

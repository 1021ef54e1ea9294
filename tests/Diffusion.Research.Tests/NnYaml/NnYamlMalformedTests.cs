using Diffusion.Research.Cli;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.NnYaml;

/// <summary>
/// Malformed model/train blocks, checked by the real backend (the Experiments corpus uses a fake one that knows no
/// neural kinds): every file of NnYaml/Malformed gives the located error of expected.txt (file:line:column plus a text
/// the message must contain) and exit code 2 from `diffusion validate` and `diffusion run`, writing nothing.
/// </summary>
public class NnYamlMalformedTests
{
    private static string CorpusDirectory => Path.Combine(TestFiles.RepositoryRoot(), "tests", "Diffusion.Research.Tests", "NnYaml", "Malformed");

    public static TheoryData<string, string, string> Corpus()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(CorpusDirectory, "expected.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', 3);
            data.Add(parts[0], parts[1], parts[2]);
        }
        return data;
    }

    [Fact]
    public void Every_file_is_listed()
    {
        var files = Directory.GetFiles(CorpusDirectory, "*.yaml").Select(f => Path.GetFileName(f)!).Order().ToList();
        Assert.Equal(files, Corpus().Select(row => (string)row[0]).Order().ToList());
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Malformed_train_block_gives_located_error_and_exit_code_2(string file, string at, string text)
    {
        var path = Path.Combine(CorpusDirectory, file);
        var outDir = TestFiles.NewDirectory("nnyaml-malformed");
        foreach (var command in new[] { new[] { "validate", path }, new[] { "run", path, "--out", outDir } })
        {
            var stderr = new StringWriter();
            var code = new DiffusionCli(ExperimentBackend.CreateDefault(), new StringWriter(), stderr, interactive: false).Invoke(command);
            Assert.Equal(ExitCodes.InvalidInput, code);
            var line = stderr.ToString().Split('\n').FirstOrDefault(l => l.StartsWith($"{path}:{at}: error: ", StringComparison.Ordinal));
            Assert.True(line is not null, $"expected '{path}:{at}: error: ' in:\n{stderr}");
            Assert.Contains(text, line, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }
}

using System.Diagnostics;
using Diffusion.Research.Experiments.Output;

namespace Diffusion.Research.Tests.Experiments;

public class ManifestTests
{
    private static void Git(string dir, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)} failed");
    }

    /// <summary>
    /// A rerun of a committed experiment rewrites its own tracked results folder; that alone must not mark the commit
    /// dirty, while a change anywhere else in the tree (code, config, another results folder) must.
    /// </summary>
    [Fact]
    public void GitCommitIgnoresTheResultsFolderItDescribesButNothingElse()
    {
        var root = TestFiles.NewDirectory("manifest-git");
        Git(root, "init", "-q");
        foreach (var d in new[] { "experiments", "results/e", "results/f" }) Directory.CreateDirectory(Path.Combine(root, d));
        TestFiles.Write(Path.Combine(root, "experiments"), "e.yaml", "name: e\n");
        TestFiles.Write(Path.Combine(root, "results", "e"), "table.md", "1\n");
        TestFiles.Write(Path.Combine(root, "results", "f"), "table.md", "1\n");
        Git(root, "add", "-A");
        Git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "c");
        var experiments = Path.Combine(root, "experiments");
        var results = Path.Combine(root, "results", "e");

        var clean = Manifest.GitCommit(experiments, results);
        Assert.Matches("^[0-9a-f]{40}$", clean);
        File.WriteAllText(Path.Combine(results, "table.md"), "2\n");
        Assert.Equal(clean, Manifest.GitCommit(experiments, results));
        Assert.Equal(clean + "-dirty", Manifest.GitCommit(experiments)); // no folder excluded: the rewrite counts
        File.WriteAllText(Path.Combine(root, "results", "f", "table.md"), "2\n");
        Assert.Equal(clean + "-dirty", Manifest.GitCommit(experiments, results));
        Git(root, "checkout", "-q", "--", "results/f");
        File.WriteAllText(Path.Combine(experiments, "e.yaml"), "name: e2\n");
        Assert.Equal(clean + "-dirty", Manifest.GitCommit(experiments, results));
        // A results folder outside the tree (run --out /tmp/x): nothing to exclude, and the changed config still counts.
        Assert.Equal(clean + "-dirty", Manifest.GitCommit(experiments, TestFiles.NewDirectory("manifest-out")));
        Git(root, "checkout", "-q", "--", "."); // everything back to the commit
        Assert.Equal(clean, Manifest.GitCommit(experiments, TestFiles.NewDirectory("manifest-out")));
    }
}

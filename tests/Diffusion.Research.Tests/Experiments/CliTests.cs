using Diffusion.Research.Cli;

namespace Diffusion.Research.Tests.Experiments;

public class CliTests
{
    private static (int Code, string Out, string Err) Invoke(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = new DiffusionCli(new FakeBackend(), stdout, stderr, interactive: false).Invoke(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void List_shows_categories_and_names_with_descriptions()
    {
        var (code, output, _) = Invoke("list");
        Assert.Equal(0, code);
        Assert.Contains("solvers", output);
        (code, output, _) = Invoke("list", "solvers");
        Assert.Equal(0, code);
        Assert.Contains("heun    fake heun", output);
        Assert.Equal(2, Invoke("list", "nonsense").Code);
    }

    [Fact]
    public void Bad_command_lines_exit_with_2()
    {
        Assert.Equal(2, Invoke("run").Code);
        Assert.Equal(2, Invoke("frobnicate").Code);
        var dir = TestFiles.NewDirectory("cli");
        var file = TestFiles.Write(dir, "tiny.yaml", TestFiles.Tiny);
        Assert.Equal(2, Invoke("run", file, "--shard", "5/4", "--out", dir).Code);
        Assert.Equal(2, Invoke("run", file, "--shard", "x", "--out", dir).Code);
        Assert.Equal(2, Invoke("table", Path.Combine(dir, "nope")).Code);
    }

    [Fact]
    public void Run_with_a_failed_cell_exits_1_and_validate_0()
    {
        var dir = TestFiles.NewDirectory("cli");
        var file = TestFiles.Write(dir, "tiny.yaml", TestFiles.Tiny);
        var (code, output, _) = Invoke("validate", file);
        Assert.Equal(0, code);
        Assert.Contains("ok (tiny: 6 cells x 3 repeats)", output);
        (code, output, _) = Invoke("run", file, "--out", dir);
        Assert.Equal(1, code);
        Assert.Contains("18 run, 0 skipped, 3 failed", output);
        var ok = TestFiles.Write(dir, "ok.yaml", TestFiles.Tiny.Replace("[2, 10, 40]", "[5, 10, 40]").Replace("name: tiny", "name: ok"));
        Assert.Equal(0, Invoke("run", ok, "--out", dir).Code);
        Assert.Equal(0, Invoke("table", Path.Combine(dir, "ok")).Code);
    }

    [Fact]
    public void Merge_joins_shards_and_refuses_bad_folders_with_2()
    {
        var dir = TestFiles.NewDirectory("cli");
        var ok = TestFiles.Write(dir, "ok.yaml", TestFiles.Tiny.Replace("[2, 10, 40]", "[5, 10, 40]").Replace("name: tiny", "name: ok"));
        var a = Path.Combine(dir, "a");
        var b = Path.Combine(dir, "b");
        Assert.Equal(0, Invoke("run", ok, "--out", a, "--shard", "1/2").Code);
        Assert.Equal(0, Invoke("run", ok, "--out", b, "--shard", "2/2").Code);
        var (code, output, _) = Invoke("merge", Path.Combine(a, "ok"), Path.Combine(b, "ok"), "--out", Path.Combine(dir, "merged"));
        Assert.Equal(0, code);
        Assert.Contains("merged 2 folder(s)", output);
        string error;
        (code, _, error) = Invoke("merge", Path.Combine(a, "ok"), "--out", a); // the target is an input: ArgumentException
        Assert.Equal(2, code);
        Assert.Contains("error: ", error);
        (code, _, error) = Invoke("merge", Path.Combine(dir, "nope"), "--out", Path.Combine(dir, "m2"));
        Assert.Equal(2, code);
        Assert.Contains("error", error);
    }
}

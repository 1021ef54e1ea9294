using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.Contracts;

public class ExperimentsShardContractTests
{
    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("2/1")]
    [InlineData("1/2/3")]
    [InlineData("2")]
    [InlineData("a/3")]
    [InlineData("1/b")]
    [InlineData("-1/3")]
    [InlineData("+1/3")]
    [InlineData("1/-3")]
    [InlineData("")]
    public void Parse_refuses_anything_but_i_of_n(string text)
    {
        Contract.Argument(() => Shard.Parse(text), "text", $"--shard must be i/n with 1 <= i <= n (e.g. 2/4), got '{text}'.");
    }

    [Fact]
    public void Parse_accepts_the_bounds()
    {
        Contract.Null(() => Shard.Parse(null!), "text");
        Assert.Equal(new Shard(1, 1), Shard.Parse("1/1"));
        Assert.Equal(new Shard(3, 3), Shard.Parse("3/3"));
        Assert.Equal(new Shard(1, 3), Shard.Parse("1/3"));
    }
}

public class ExperimentsSweepRunnerContractTests
{
    [Fact]
    public void Constructor_and_run_refuse_nulls_and_no_threads()
    {
        Contract.Null(() => _ = new SweepRunner(null!), "backend");
        var runner = new SweepRunner(new FakeBackend());
        var plan = ExperimentsResultsFixture.Plan();
        var root = TestFiles.NewDirectory("contract-runner");
        Contract.Null(() => runner.Run(null!, new RunOptions(root, false, Shard.All, 1)), "plan");
        Contract.Null(() => runner.Run(plan, null!), "options");
        Contract.Guard(() => runner.Run(plan, new RunOptions(root, false, Shard.All, 0)), "Threads");
        Contract.Guard(() => runner.Run(plan, new RunOptions(root, false, Shard.All, -2)), "Threads");
        Assert.False(Directory.Exists(SweepRunner.ResultsDirectory(plan, root)));
        runner.Run(plan, new RunOptions(root, false, Shard.All, 1));
        Assert.True(File.Exists(Path.Combine(SweepRunner.ResultsDirectory(plan, root), RunLog.FileName)));
    }
}

public class ExperimentsResultsLockContractTests
{
    [Fact]
    public void Acquire_needs_a_folder_name()
    {
        Contract.Null(() => ResultsLock.Acquire(null!), "directory");
        Contract.Argument(() => ResultsLock.Acquire(""), "directory", "The value cannot be an empty string");
        Contract.Argument(() => ResultsLock.Acquire("  "), "directory", "The value cannot be an empty string or composed entirely of whitespace.");
        using var held = ResultsLock.Acquire(TestFiles.NewDirectory("contract-lock"));
    }
}

public class ExperimentsRunLogContractTests
{
    private static ResultRecord Record(string? message = null) =>
        new("c0ffee", 2, 1, CellResult.SuccessStatus, message, new Dictionary<string, double?> { ["m"] = 0.37 }, 10, 10, 0, 0.25, "{}");

    [Fact]
    public void Constructor_same_result_and_append_refuse_nulls()
    {
        Contract.Null(() => _ = new RunLog(null!), "path");
        Contract.Argument(() => _ = new RunLog(""), "path", "The value cannot be an empty string");
        Contract.Argument(() => _ = new RunLog(" "), "path", "The value cannot be an empty string or composed entirely of whitespace.");
        Contract.Null(() => RunLog.SameResult(null!, Record()), "a");
        Contract.Null(() => RunLog.SameResult(Record(), null!), "b");
        var log = new RunLog(Path.Combine(TestFiles.NewDirectory("contract-log"), RunLog.FileName));
        Contract.Null(() => log.Append(null!), "record");
        log.Append(Record());
        Assert.Single(log.Read());
    }

    [Fact]
    public void Read_names_the_line_of_a_malformed_or_contradicting_record()
    {
        var path = Path.Combine(TestFiles.NewDirectory("contract-log"), RunLog.FileName);
        var good = Record().ToJsonLine();
        File.WriteAllText(path, good + "\nnot json\n");
        var e = Assert.Throws<InvalidDataException>(() => new RunLog(path).Read());
        Assert.StartsWith($"{path}:2:2: malformed run record: ", e.Message, StringComparison.Ordinal); // the column where the JSON reader stopped
        Assert.DoesNotContain("LineNumber", e.Message, StringComparison.Ordinal);
        File.WriteAllText(path, good + "\n" + good.Replace("\"nfe\":10", "\"nfe\":\"10\"", StringComparison.Ordinal) + "\n");
        e = Assert.Throws<InvalidDataException>(() => new RunLog(path).Read());
        Assert.Equal($"{path}:2: malformed run record: \"nfe\" must be a whole number, got \"10\"", e.Message);
        File.WriteAllText(path, good + "\nnot json"); // a torn last line is ignored
        Assert.Single(new RunLog(path).Read());
        File.WriteAllText(path, good + "\n" + good + "\n" + Record("other").ToJsonLine() + "\n");
        e = Assert.Throws<InvalidDataException>(() => new RunLog(path).Read());
        Assert.Equal($"{path}:3: cell #2 repeat 1 is recorded again with a different result (first at line 1); remove one of the two lines, or rerun with --force", e.Message);
    }

    [Fact]
    public void Parse_refuses_a_null_cell_or_status()
    {
        var line = Record().ToJsonLine();
        Assert.Contains("\"cell\":\"c0ffee\"", line, StringComparison.Ordinal);
        var e = Assert.Throws<FormatException>(() => ResultRecord.Parse(line.Replace("\"cell\":\"c0ffee\"", "\"cell\":null", StringComparison.Ordinal)));
        Assert.Equal("\"cell\" must be a string, got null", e.Message);
        var status = $"\"status\":\"{CellResult.SuccessStatus}\"";
        Assert.Contains(status, line, StringComparison.Ordinal);
        e = Assert.Throws<FormatException>(() => ResultRecord.Parse(line.Replace(status, "\"status\":null", StringComparison.Ordinal)));
        Assert.Equal("\"status\" must be a string, got null", e.Message);
        Assert.Equal(CellResult.SuccessStatus, ResultRecord.Parse(line).Status);
    }

    [Fact]
    public void Parse_names_a_missing_key_or_a_value_of_the_wrong_type()
    {
        var line = Record().ToJsonLine();
        string Refused(string from, string to)
        {
            Assert.Contains(from, line, StringComparison.Ordinal);
            return Assert.Throws<FormatException>(() => ResultRecord.Parse(line.Replace(from, to, StringComparison.Ordinal))).Message;
        }
        Assert.Equal("the key \"wall_seconds\" is missing", Refused("\"wall_seconds\":", "\"wall_secs\":"));
        Assert.Equal("\"repeat\" must be a whole number, got 1.5", Refused("\"repeat\":1", "\"repeat\":1.5"));
        Assert.Equal("\"index\" must be a whole number, got 1e308", Refused("\"index\":2", "\"index\":1e308"));
        Assert.Equal("\"metrics\" must be an object of numbers and nulls, got {\"m\":\"0.37\"}", Refused("\"m\":0.37", "\"m\":\"0.37\""));
        Assert.Equal("\"metrics\" must be an object of numbers and nulls, got [0.37]", Refused("{\"m\":0.37}", "[0.37]"));
        Assert.Equal("\"config\" must be an object, got \"x\"", Refused("\"config\":{}", "\"config\":\"x\""));
        // A long value is shown by its first 37 characters and "..." (40 in all), so one line stays readable.
        Assert.Equal("\"config\" must be an object, got [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,...",
            Refused("\"config\":{}", "\"config\":[" + string.Join(",", Enumerable.Range(1, 30)) + "]"));
        Assert.Equal("a run record is a JSON object, got [1]", Assert.Throws<FormatException>(() => ResultRecord.Parse("[1]")).Message);
        Assert.Null(ResultRecord.Parse(line).Message); // null stays allowed where the writer writes it
        Assert.Equal(new double?[] { null }, ResultRecord.Parse(line.Replace("\"m\":0.37", "\"m\":null", StringComparison.Ordinal)).Metrics.Values);
    }
}

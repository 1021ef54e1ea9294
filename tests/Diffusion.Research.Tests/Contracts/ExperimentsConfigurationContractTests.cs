using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.Contracts;

public class ExperimentsConfigurationContractTests
{
    private static readonly SourceLocation Here = new("c.yaml", 3, 5);

    [Fact]
    public void Config_exception_needs_errors_and_no_negative_omitted_count()
    {
        var errors = new[] { new ConfigError(Here, "bad value") };
        Contract.Null(() => _ = new ConfigException(null!), "errors");
        Contract.Argument(() => _ = new ConfigException([]), "errors", "At least one error is needed.");
        Contract.Guard(() => _ = new ConfigException(errors, -1), "omitted");
        var e = new ConfigException(errors, 0);
        Assert.Equal(0, e.Omitted);
        Assert.Equal("c.yaml:3:5: error: bad value", e.Message);
        Assert.Equal(2, new ConfigException(errors, 2).Omitted);
    }

    [Fact]
    public void Nodes_refuse_nulls()
    {
        Contract.Null(() => _ = new ConfigScalar(null!, false, Here), "value");
        Contract.Null(() => _ = new ConfigScalar("a", false, null!), "location");
        Contract.Null(() => _ = new ConfigSequence(null!, Here), "items");
        Contract.Null(() => _ = new ConfigMapping(null!, Here), "entries");
        Contract.Null(() => _ = new ConfigBinder(null!), "catalog");
        Assert.Equal("a", new ConfigScalar("a", true, Here).Value);
        Assert.Empty(new ConfigSequence([], Here).Items);
        Assert.Empty(new ConfigMapping([], Here).Entries);
        Assert.Same(Here, new ConfigMapping([], Here).Location);
        Assert.Empty(new ConfigBinder(new ComponentCatalog()).Errors);
    }

    /// <summary>An optional key is its value or null, with no error; a missing required key is an error naming its dotted path.</summary>
    [Fact]
    public void Get_reads_optional_and_required_keys()
    {
        var b = new ConfigBinder(new ComponentCatalog());
        var block = (ConfigMapping)YamlConfigReader.Parse("scale: 2.5", "g.yaml");
        Contract.Null(() => b.Get(null!, "scale"), "mapping");
        Assert.Equal("2.5", Assert.IsType<ConfigScalar>(b.Get(block, "scale")).Value);
        Assert.Null(b.Get(block, "target"));
        Assert.Null(b.Get(block, "target", "guidance.target", false));
        Assert.Empty(b.Errors);
        Assert.Null(b.Get(block, "kind", "guidance.kind", true));
        Assert.Equal("missing required key 'guidance.kind'", Assert.Single(b.Errors).Message);
    }

    [Fact]
    public void Yaml_reader_refuses_nulls()
    {
        Contract.Null(() => YamlConfigReader.ReadFile(null!), "path");
        Contract.Null(() => YamlConfigReader.Parse((byte[])null!, "f.yaml"), "bytes");
        Contract.Null(() => YamlConfigReader.Parse("a: 1"u8.ToArray(), null!), "file");
        Contract.Null(() => YamlConfigReader.Parse((string)null!, "f.yaml"), "text");
        Contract.Null(() => YamlConfigReader.Parse("a: 1", null!), "file");
        Assert.IsType<ConfigMapping>(YamlConfigReader.Parse("a: 1"u8.ToArray(), "f.yaml"));
    }

    [Fact]
    public void Regular_file_reads_at_most_max_bytes()
    {
        Contract.Null(() => RegularFile.Read(null!, 10, "test file", out _), "path");
        var dir = TestFiles.NewDirectory("contract-regular");
        var path = TestFiles.Write(dir, "ten.txt", "0123456789");
        Assert.Null(RegularFile.Read(path, 10, "test file", out var bytes));
        Assert.Equal(10, bytes!.Length);
        Assert.Equal($"the test file '{path}' is larger than 9 bytes, the most accepted", RegularFile.Read(path, 9, "test file", out bytes));
        Assert.Null(bytes);
        Assert.Equal($"the test file '{dir}' is a folder, not a file", RegularFile.Read(dir, 10, "test file", out _));
        var missing = Path.Combine(dir, "missing.txt");
        Assert.Equal($"the test file '{missing}' does not exist", RegularFile.Read(missing, 10, "test file", out _));
    }

    [Fact]
    public void Argument_messages_refuse_nulls()
    {
        Contract.Null(() => ArgumentMessage.SnakeCase(null!), "name");
        Contract.Null(() => ArgumentMessage.Describe(null!), "exception");
        Contract.Null(() => ArgumentMessage.Clean(null!), "message");
        Contract.Null(() => _ = new ConfigPathException(null!, "m"), "path");
        Contract.Null(() => ConfigPathException.MessageOf(null!), "e");
        Assert.Equal("beta_max", ArgumentMessage.SnakeCase("betaMax"));
        var e = new ConfigPathException("sde.t_eps", "too large");
        Assert.Equal("sde.t_eps", e.Path);
        Assert.Equal("too large", e.Message);
    }

    /// <summary>Sizes in messages: whole GiB or MiB when exact, else bytes (0 is "0 bytes").</summary>
    [Theory]
    [InlineData(0L, "0 bytes")]
    [InlineData(3L << 30, "3 GiB")]
    [InlineData((1L << 30) + (1L << 20), "1025 MiB")]
    [InlineData(64L << 20, "64 MiB")]
    [InlineData((1L << 30) + 1, "1073741825 bytes")]
    [InlineData(1000L, "1000 bytes")]
    public void Sizes_read_as_whole_units(long bytes, string text) => Assert.Equal(text, RegularFile.Size(bytes));

    [Fact]
    public void A_key_table_needs_its_section_and_rows()
    {
        Assert.Equal("section", Assert.ThrowsAny<ArgumentException>(() => new Diffusion.Research.Experiments.Plans.KeyTable<Diffusion.Research.Experiments.Plans.TableSpec>(" ", [])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentNullException>(() => new Diffusion.Research.Experiments.Plans.KeyTable<Diffusion.Research.Experiments.Plans.TableSpec>("table", null!)).ParamName);
        Assert.Equal("table", new Diffusion.Research.Experiments.Plans.KeyTable<Diffusion.Research.Experiments.Plans.TableSpec>("table", []).Section);
    }

    [Fact]
    public void The_model_block_needs_a_block()
    {
        Contract.Null(() => ModelBlock.Bind(new ConfigBinder(new ComponentCatalog()), null!, "."), "block");
    }

    [Fact]
    public void A_key_row_has_an_IsSet_predicate_exactly_when_it_is_written_only_when_set()
    {
        static KeyRow<TableSpec> Row(KeyIdentity identity, Func<TableSpec, bool>? isSet) =>
            new("format", "a row", identity, (_, _, s) => s, (w, _) => w.WriteString("format", "x"), isSet);
        Contract.Argument(() => _ = new KeyTable<TableSpec>("table", [Row(KeyIdentity.WhenSet, null)]), "rows",
            "row 'table.format' is written when set and needs IsSet.");
        Contract.Argument(() => _ = new KeyTable<TableSpec>("table", [Row(KeyIdentity.Always, _ => true)]), "rows",
            "row 'table.format' is always written; IsSet would never be called.");
        Contract.Null(() => _ = new KeyTable<TableSpec>("table", [null!]), "rows");

        // Written: an Always row always, a WhenSet row only when its predicate holds.
        string Json(KeyTable<TableSpec> table)
        {
            using var stream = new MemoryStream();
            using (var w = new System.Text.Json.Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                table.WriteRows(w, new TableSpec([], [], "mean_error", Aggregation.Mean, "0.00"));
                w.WriteEndObject();
            }
            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }
        Assert.Equal("""{"format":"x"}""", Json(new KeyTable<TableSpec>("table", [Row(KeyIdentity.Always, null)])));
        Assert.Equal("""{"format":"x"}""", Json(new KeyTable<TableSpec>("table", [Row(KeyIdentity.WhenSet, _ => true)])));
        Assert.Equal("{}", Json(new KeyTable<TableSpec>("table", [Row(KeyIdentity.WhenSet, _ => false)])));
    }
}

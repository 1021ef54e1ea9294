using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Configuration;
using Diffusion.Research.Experiments.Output;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Numerics;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>
/// The words a researcher reads when something is off, checked whole (issue 14, the experiments survivors): the
/// divergence message, the catalog that <c>diffusion list</c> prints, range errors in the user's key names and number
/// format, identifier checks of parameter names, the device limits, and line endings of YAML files.
/// </summary>
public class MessageTests
{
    [Fact]
    public void The_divergence_message_gives_both_scales_and_the_factor()
    {
        var reference = new Batch(2, 2);
        reference.Values.Fill(2.0); // RMS norm sqrt(8) = 2.83
        var samples = new Batch(2, 2);
        samples.Values.Fill(1e4); // RMS norm 1e4 sqrt(2) = 1.41e4
        Assert.Equal("the samples' RMS norm 1.41E+04 is more than 1000 times the data's 2.83", DivergenceCheck.Check(samples, reference));
    }

    [Fact]
    public void A_catalog_category_is_registered_once()
    {
        var catalog = new ComponentCatalog().Register("solvers", "sampler.solver: a", () => []);
        var e = Assert.Throws<ArgumentException>(() => catalog.Register("solvers", "again", () => []));
        Assert.StartsWith("Category 'solvers' is already registered.", e.Message, StringComparison.Ordinal);
        Assert.Equal("category", e.ParamName);
        Assert.Equal("sampler.solver: a", catalog.DescribeCategory("solvers"));
    }

    /// <summary><c>diffusion list</c> prints each category with its description: the description names the YAML key it lists.</summary>
    [Theory]
    [InlineData("solvers", "sampler.solver")]
    [InlineData("sdes", "sde.kind")]
    [InlineData("schedules", "sampler.schedule")]
    [InlineData("datasets", "data.name")]
    [InlineData("metrics", "eval.metrics")]
    [InlineData("models", "model.kind")]
    [InlineData("model-keys", "model.*")]
    [InlineData("losses", "model.train.loss")]
    [InlineData("weightings", "model.train.weighting")]
    [InlineData("t-samplings", "model.train.t_sampling")]
    [InlineData("optimizers", "model.train.optimizer")]
    [InlineData("block-keys", "data.*, sde.*, model.*, sampler.*, eval.*, table.*")]
    public void Each_listed_category_names_its_yaml_key(string category, string key)
    {
        var catalog = ExperimentBackend.CreateDefault().Catalog;
        var description = catalog.DescribeCategory(category);
        Assert.StartsWith(key + ": ", description, StringComparison.Ordinal);
        Assert.True(description.Length > key.Length + 10, description);
        Assert.NotEmpty(catalog.List(category));
    }

    private const string Guided = """
        name: cond
        seed: 5
        data: {name: two_classes}
        sde: {kind: vp}
        sampler: {solver: euler_maruyama, steps: 20}
        eval: {particles: 40, metrics: [mean_error]}
        guidance: {kind: cfg, class: 0, scale: SCALE}
        """;

    [Fact]
    public void A_range_error_names_the_key_and_prints_six_significant_digits()
    {
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(ExperimentBackend.CreateDefault()).Parse(Guided.Replace("SCALE", "1234.5678912"), "g.yaml", "."));
        var error = Assert.Single(e.Errors);
        Assert.Equal("guidance.scale must be in [0, 1000], got 1234.57", error.Message);
        Assert.Equal(7, error.Location.Line);
    }

    [Fact]
    public void A_parameter_name_must_be_an_identifier()
    {
        var yaml = TestFiles.Tiny.Replace("parameters: {beta_min: 0.1, beta_max: 20}", "parameters: {beta-min: 0.1, beta_max: 20}");
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(new FakeBackend()).Parse(yaml, "x.yaml", "."));
        var error = Assert.Single(e.Errors);
        Assert.Equal("parameter name 'beta-min' in sde.parameters must be an identifier (letters, digits, _)", error.Message);
        Assert.Equal((9, 16), (error.Location.Line, error.Location.Column));
    }

    /// <summary>A badly named parameter is the only error: the block is not checked further as if the parameter were absent
    /// (gaussian needs dimension or mean, which would add a second, misleading error).</summary>
    [Fact]
    public void A_bad_parameter_name_is_not_followed_by_errors_about_the_rest_of_its_block()
    {
        var yaml = Guided.Replace("data: {name: two_classes}", "data: {name: gaussian, parameters: {dimen-sion: 3}}").Replace("guidance: {kind: cfg, class: 0, scale: SCALE}", "");
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(ExperimentBackend.CreateDefault()).Parse(yaml, "g.yaml", "."));
        Assert.Equal("parameter name 'dimen-sion' in data.parameters must be an identifier (letters, digits, _)", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Device_limits_are_a_located_error_naming_the_data()
    {
        var yaml = Guided.Replace("data: {name: two_classes}", "data: {name: gaussian, parameters: {dimension: 20}}")
            .Replace("guidance: {kind: cfg, class: 0, scale: SCALE}", "").Replace("steps: 20}", "steps: 20, device: gpu-emulated}");
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(ExperimentBackend.CreateDefault()).Parse(yaml, "d.yaml", "."));
        var error = Assert.Single(e.Errors);
        Assert.Equal("data.name: the device kernels handle dimension <= 16 and <= 64 mixture components; data 'gaussian' is beyond that.", error.Message);
        Assert.Equal(3, error.Location.Line);
    }

    [Fact]
    public void A_second_yaml_document_and_an_empty_merge_are_refused_with_their_reason()
    {
        var e = Assert.Throws<ConfigException>(() => YamlConfigReader.Parse("name: a\n---\nname: b\n", "two.yaml"));
        var error = Assert.Single(e.Errors);
        Assert.Equal("a second YAML document; an experiment file holds exactly one", error.Message);
        Assert.Equal(2, error.Location.Line);
        var merge = Assert.Throws<ArgumentException>("directories", () => new ResultsFolder(new ExperimentLoader(new FakeBackend())).Merge([], "out"));
        Assert.StartsWith("Give at least one results folder to merge.", merge.Message, StringComparison.Ordinal);
    }

    /// <summary>Errors come in file order: by line, then by column; a sampler block without its solver names the key.</summary>
    [Fact]
    public void Errors_are_listed_in_file_order_and_a_missing_solver_is_named()
    {
        var yaml = TestFiles.Tiny.Replace("  solver: heun\n", "").Replace("sweep:\n  sampler.solver: [euler, heun]\n", "")
            .Replace("eval:\n  particles: 64", "eval:\n  particles: {a: 1}");
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(new FakeBackend()).Parse(yaml, "x.yaml", "."));
        Assert.Contains(e.Errors, x => x.Message == "missing required key 'sampler.solver'");
        var twoOnALine = TestFiles.Tiny.Replace("parameters: {beta_min: 0.1, beta_max: 20}", "parameters: {beta-min: 0.1, beta-max: 20}");
        var errors = Assert.Throws<ConfigException>(() => new ExperimentLoader(new FakeBackend()).Parse(twoOnALine, "x.yaml", ".")).Errors;
        Assert.Equal(2, errors.Count);
        Assert.Equal(errors[0].Location.Line, errors[1].Location.Line);
        Assert.True(errors[0].Location.Column < errors[1].Location.Column, $"{errors[0].Location} before {errors[1].Location}");
        var ordered = e.Errors.Select(x => (x.Location.Line, x.Location.Column)).ToList();
        Assert.Equal(ordered.OrderBy(p => p.Line).ThenBy(p => p.Column), ordered);
    }

    [Fact]
    public void Windows_line_endings_and_tabs_in_values_are_text_and_other_control_characters_are_not()
    {
        var node = Assert.IsType<ConfigMapping>(YamlConfigReader.Parse("name: crlf\r\nseed: 3\r\ndescription: \"a\tb\"\r\n", "w.yaml"));
        Assert.Equal("crlf", Assert.IsType<ConfigScalar>(node.Find("name")!.Value).Value);
        Assert.Equal(2, node.Find("seed")!.Value.Location.Line);
        var e = Assert.Throws<ConfigException>(() => YamlConfigReader.Parse("name: x\r\nseed: \u00013\r\n", "w.yaml"));
        var error = Assert.Single(e.Errors);
        Assert.Contains("control character (U+0001)", error.Message, StringComparison.Ordinal);
        Assert.Equal((2, 7), (error.Location.Line, error.Location.Column));
    }

    /// <summary><c>diffusion list block-keys</c>: every row of every block table, dotted, with its description; the device
    /// key names each device kind.</summary>
    [Fact]
    public void Block_keys_list_every_row_with_its_description()
    {
        var keys = ExperimentBackend.CreateDefault().Catalog.List("block-keys");
        IReadOnlyList<string>[] tables = [DataBlock.Table.Keys, SdeBlock.Table.Keys, ModelBlock.Table.Keys, SamplerBlock.Table.Keys, EvalBlock.Table.Keys, TableBlock.Table.Keys];
        string[] blocks = ["data", "sde", "model", "sampler", "eval", "table"];
        var expected = blocks.Zip(tables).SelectMany(p => p.Second.Select(k => p.First + "." + k));
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Select(k => k.Name).Order(StringComparer.Ordinal));
        Assert.StartsWith("where the solver runs: cpu | gpu | auto | gpu-emulated (", keys.Single(k => k.Name == "sampler.device").Description, StringComparison.Ordinal);
        Assert.Equal("samples drawn per run (required)", keys.Single(k => k.Name == "eval.particles").Description);
    }

    /// <summary>A block with a bad key is reported once: the block is not bound further as if the key were good.</summary>
    [Theory]
    [InlineData("sampler: {solver: euler_maruyama, steps: 20}", "sampler: {solver: euler_maruyama, steps: 20, nfe: 20}", "give either sampler.steps or sampler.nfe, not both")]
    [InlineData("metrics: [mean_error]", "metrics: [mean_error, mean_error]", "metric 'mean_error' is listed twice")]
    public void A_bad_block_is_one_error(string from, string to, string message)
    {
        var yaml = Guided.Replace(from, to).Replace("guidance: {kind: cfg, class: 0, scale: SCALE}", "");
        var e = Assert.Throws<ConfigException>(() => new ExperimentLoader(ExperimentBackend.CreateDefault()).Parse(yaml, "g.yaml", "."));
        Assert.Equal(message, Assert.Single(e.Errors).Message);
    }
}

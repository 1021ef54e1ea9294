using Diffusion.Research.Registries;

namespace Diffusion.Research.Tests.Contracts;

/// <summary>Every argument check of Registries/: the refused value (type, parameter name, message) and the accepted
/// value at the boundary.</summary>
public class RegistriesParameterValuesContractTests
{
    private const string Owner = "solver 'toy'";

    private static readonly ParameterSpec[] Schema =
    [
        ParameterSpec.Real("eta", 0.37, "a real with a default"),
        ParameterSpec.OptionalReal("scale", "a real without a default"),
        ParameterSpec.Integer("order", 3, "an integer with a default"),
        ParameterSpec.Vector("weights", "a list"),
        ParameterSpec.Real("half", 2.5, "a non-integer default"),
    ];

    private static ParameterValues Bind(string key, params double[]? value) =>
        ParameterValues.Bind(Owner, Schema, new Dictionary<string, double[]>(StringComparer.Ordinal) { [key] = value! });

    private static void AssertParameter(ParameterException e, string key, string message)
    {
        Assert.Equal(key, e.Key);
        Assert.Equal(key, e.ParamName);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    /// <summary>A parameter denotes its own name and its constructor argument, ignoring case and underscores, and nothing else.</summary>
    [Fact]
    public void ParameterSpec_denotes_its_name_and_its_argument()
    {
        var s = ParameterSpec.Real("noise_s", 1.0, "a scale").WithArgument("noiseScale");
        Assert.Equal("noiseScale", s.Argument);
        Assert.True(s.Denotes("noise_s"));
        Assert.True(s.Denotes("NoiseS"));
        Assert.True(s.Denotes("noiseScale"));
        Assert.True(s.Denotes("noise_scale"));
        Assert.False(s.Denotes("noise"));
        Assert.False(ParameterSpec.Real("eta", 0.37, "a real").Denotes("noiseScale"));
        Contract.Null(() => s.Denotes(null!), "argumentName");
        Contract.Null(() => s.WithArgument(null!), "argument");
        Contract.Argument(() => s.WithArgument(" "), "argument", "The value cannot be an empty string or composed entirely of whitespace.");
    }

    [Fact]
    public void BindRefusesNullOwnerOrSchema()
    {
        var owner = Assert.Throws<ArgumentNullException>(() => ParameterValues.Bind(null!, Schema, null));
        Assert.Equal("owner", owner.ParamName);
        var schema = Assert.Throws<ArgumentNullException>(() => ParameterValues.Bind(Owner, null!, null));
        Assert.Equal("schema", schema.ParamName);

        var none = ParameterValues.Bind(Owner, Schema, null);
        Assert.Empty(none.Given);
        Assert.Equal(0.37, none["eta"]);
    }

    [Fact]
    public void BindRefusesUnknownKeysListingTheValidOnes()
    {
        var unknown = Assert.Throws<ParameterException>(() => Bind("etta", 0.37));
        AssertParameter(unknown, "etta", "Solver 'toy' has no parameter 'etta' (valid: eta, scale, order, weights, half).");
        var noneTaken = Assert.Throws<ParameterException>(() =>
            ParameterValues.Bind(Owner, [], new Dictionary<string, double[]>(StringComparer.Ordinal) { ["eta"] = [0.37] }));
        AssertParameter(noneTaken, "eta", "Solver 'toy' has no parameter 'eta' (it takes no parameters).");
        var emptyOwner = Assert.Throws<ParameterException>(() =>
            ParameterValues.Bind("", [], new Dictionary<string, double[]>(StringComparer.Ordinal) { ["eta"] = [0.37] }));
        AssertParameter(emptyOwner, "eta", " has no parameter 'eta' (it takes no parameters).");
    }

    [Fact]
    public void BindRefusesNullAndNonFiniteValues()
    {
        AssertParameter(Assert.Throws<ParameterException>(() => Bind("eta", null)), "eta", "Parameter 'eta' of solver 'toy' is null.");
        AssertParameter(Assert.Throws<ParameterException>(() => Bind("eta", double.NaN)), "eta",
            "Parameter 'eta' of solver 'toy' is NaN; a finite number is needed.");
        AssertParameter(Assert.Throws<ParameterException>(() => Bind("eta", double.PositiveInfinity)), "eta",
            "Parameter 'eta' of solver 'toy' is Infinity; a finite number is needed.");
        AssertParameter(Assert.Throws<ParameterException>(() => Bind("weights", 0.37, double.NegativeInfinity)), "weights",
            "Parameter 'weights' of solver 'toy' is -Infinity; a finite number is needed.");
    }

    [Fact]
    public void ScalarsTakeExactlyOneNumberAndVectorsAny()
    {
        AssertParameter(Assert.Throws<ParameterException>(() => Bind("eta", 0.37, 2.5)), "eta",
            "Parameter 'eta' of solver 'toy' must be a single number, got 2.");
        AssertParameter(Assert.Throws<ParameterException>(() => Bind("order", [])), "order",
            "Parameter 'order' of solver 'toy' must be a single number, got 0.");

        Assert.Equal(new[] { 0.37, 2.5 }, Bind("weights", 0.37, 2.5).Vector("weights"));
        Assert.Empty(Bind("weights", []).Vector("weights"));
        Assert.Equal(new[] { 0.37 }, Bind("weights", 0.37).Vector("weights"));
        Assert.Equal(2.5, Bind("eta", 2.5)["eta"]);
    }

    [Fact]
    public void IntegersMustBeWholeAndWithinInt32()
    {
        AssertParameter(Assert.Throws<ParameterException>(() => Bind("order", 2.5)), "order",
            "Parameter 'order' of solver 'toy' must be an integer, got 2.5.");
        AssertParameter(Assert.Throws<ParameterException>(() => Bind("order", 2147483648.0)), "order",
            "Parameter 'order' of solver 'toy' must be an integer, got 2147483648.");
        AssertParameter(Assert.Throws<ParameterException>(() => Bind("order", -2147483649.0)), "order",
            "Parameter 'order' of solver 'toy' must be an integer, got -2147483649.");

        Assert.Equal(int.MaxValue, Bind("order", int.MaxValue).Integer("order"));
        Assert.Equal(-int.MaxValue, Bind("order", -int.MaxValue).Integer("order"));
        Assert.Equal(7, Bind("order", 7).Integer("order"));
        Assert.Equal(2.5, Bind("eta", 2.5).Real("eta"));
    }

    [Fact]
    public void ReadersRequireDeclaredAndPresentValues()
    {
        var values = ParameterValues.Bind(Owner, Schema, null);
        AssertParameter(Assert.Throws<ParameterException>(() => values.Real("scale")), "scale",
            "Parameter 'scale' of solver 'toy' is required.");
        AssertParameter(Assert.Throws<ParameterException>(() => values.Vector("weights")), "weights",
            "Parameter 'weights' of solver 'toy' is required.");
        AssertParameter(Assert.Throws<ParameterException>(() => values.Integer("half")), "half",
            "Parameter 'half' of solver 'toy' must be an integer, got 2.5.");
        var bigReal = Bind("scale", 2147483648.0);
        AssertParameter(Assert.Throws<ParameterException>(() => bigReal.Integer("scale")), "scale",
            "Parameter 'scale' of solver 'toy' must be an integer, got 2147483648.");
        Assert.Equal(int.MaxValue, Bind("scale", int.MaxValue).Integer("scale"));

        var undeclared = Assert.Throws<InvalidOperationException>(() => values.Real("zeta"));
        Assert.StartsWith("The factory of solver 'toy' reads parameter 'zeta', which its schema does not declare.", undeclared.Message,
            StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => values.Vector("zeta"));
        Assert.Throws<InvalidOperationException>(() => values["zeta"]);

        Assert.Equal(0.37, values.Real("eta"));
        Assert.Equal(3, values.Integer("order"));
        Assert.Equal(0.37, Bind("scale", 0.37).Real("scale"));
        Assert.True(Bind("scale", 0.37).Contains("scale"));
        Assert.False(values.Contains("scale"));
    }
}

public class RegistriesRegistryContractTests
{
    private static Registry<int, string> Make() =>
        new Registry<int, string>("widget").Add("a", "first", i => $"a{i}").Add("b", "second", i => $"b{i}", ParameterSpec.Real("p", 0.37, "p"));

    [Fact]
    public void ConstructorRefusesAMissingKind()
    {
        var nul = Assert.Throws<ArgumentNullException>(() => new Registry<int, string>(null!));
        Assert.Equal("kind", nul.ParamName);
        var empty = Assert.Throws<ArgumentException>(() => new Registry<int, string>(""));
        Assert.Equal("kind", empty.ParamName);
        var blank = Assert.Throws<ArgumentException>(() => new Registry<int, string>("  "));
        Assert.Equal("kind", blank.ParamName);
        Assert.Equal("widget", new Registry<int, string>("widget").Kind);
        Assert.Equal("widget", new ParameterRegistry<string>("widget").Kind);
    }

    [Fact]
    public void AddRefusesMissingPartsAndDuplicates()
    {
        var r = Make();
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => r.Add(null!, "d", i => "")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => r.Add(" ", "d", i => "")).ParamName);
        Assert.Equal("description", Assert.Throws<ArgumentNullException>(() => r.Add("c", null!, i => "")).ParamName);
        Assert.Equal("description", Assert.Throws<ArgumentException>(() => r.Add("c", "", i => "")).ParamName);
        Assert.Equal("factory", Assert.Throws<ArgumentNullException>(() => r.Add("c", "d", null!)).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentNullException>(() => r.Add("c", "d", i => "", null!)).ParamName);
        var nullSpec = Assert.Throws<ArgumentNullException>(() => r.Add("c", "d", i => "", ParameterSpec.Real("p", 0.37, "p"), null!));
        Assert.Equal("parameters", nullSpec.ParamName);

        var duplicate = Assert.Throws<ArgumentException>(() => r.Add("a", "again", i => ""));
        Assert.Equal("name", duplicate.ParamName);
        Assert.StartsWith("A widget named 'a' is already registered.", duplicate.Message, StringComparison.Ordinal);
        var twice = Assert.Throws<ArgumentException>(() =>
            r.Add("c", "d", i => "", ParameterSpec.Real("p", 0.37, "p"), ParameterSpec.Real("q", 2.5, "q"), ParameterSpec.Integer("p", 3, "p")));
        Assert.Equal("parameters", twice.ParamName);
        Assert.StartsWith("The widget 'c' lists parameter 'p' twice.", twice.Message, StringComparison.Ordinal);
        Assert.False(r.Contains("c"));

        r.Add("c", "third", i => $"c{i}", ParameterSpec.Real("p", 0.37, "p"), ParameterSpec.Real("q", 2.5, "q"));
        Assert.Equal(new[] { "a", "b", "c" }, r.Names);
        Assert.Equal(2, r.ParametersOf("c").Count);
        Assert.Equal("c7", r.Build("c", 7));
    }

    [Fact]
    public void EntryRefusesNullAndUnknownNames()
    {
        var r = Make();
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => r.Entry(null!)).ParamName);
        var unknown = Assert.Throws<UnknownNameException>(() => r.Entry("z"));
        Assert.Equal("name", unknown.ParamName);
        Assert.StartsWith("Unknown widget 'z'. Known: a, b.", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("z", unknown.Name);
        Assert.Equal(new[] { "a", "b" }, unknown.Known);
        Assert.Throws<UnknownNameException>(() => r.Describe("A"));

        Assert.False(r.Contains(null!));
        Assert.False(r.Contains("z"));
        Assert.True(r.Contains("b"));
        Assert.Equal("second", r.DescriptionOf("b"));
    }

    [Fact]
    public void ParameterRegistryChecksTheCallersValues()
    {
        var r = new ParameterRegistry<double>("widget").Register("w", "doubles p", p => 2 * p["p"], ParameterSpec.Real("p", 0.37, "p"));
        var unknown = Assert.Throws<ParameterException>(() => r.Create("w", new Dictionary<string, double> { ["q"] = 2.5 }));
        Assert.StartsWith("Widget 'w' has no parameter 'q' (valid: p).", unknown.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ParameterException>(() => r.CreateFromLists("w", new Dictionary<string, double[]> { ["p"] = [double.NaN] }));
        Assert.StartsWith("Parameter 'p' of widget 'w' is NaN; a finite number is needed.", nan.Message, StringComparison.Ordinal);
        Assert.Throws<UnknownNameException>(() => r.Create("v"));
        Assert.Equal(0.74, r.Create("w"));
        Assert.Equal(5.0, r.Create("w", new Dictionary<string, double> { ["p"] = 2.5 }));
        Assert.Equal(5.0, r.CreateFromLists("w", new Dictionary<string, double[]> { ["p"] = [2.5] }));
    }
}

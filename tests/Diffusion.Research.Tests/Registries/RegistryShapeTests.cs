using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Tests.Registries;

public class RegistryShapeTests
{
    private static IEnumerable<IRegistry> All(ComponentRegistries r) =>
    [
        r.DataSets, r.Sdes, r.Solvers, r.Schedules, r.Metrics, r.ModelMetrics, r.Models,
        r.Training.Losses, r.Training.Weightings, r.Training.TimeSamplings, r.Training.Optimizers,
    ];

    // Each component registers itself beside its class; the CreateDefaults call them in this order, the registration
    // order of before (Names, the known names of an unknown-name error; solvers: Solvers.RegistryTests).
    [Fact]
    public void SelfRegisteredComponentsKeepTheListedOrder()
    {
        var r = ComponentRegistries.CreateDefault();
        Assert.Equal("ve vp vp-cosine vp-discrete-linear vp-discrete-scaled-linear vp-discrete-cosine subvp flow-matching ou", string.Join(' ', r.Sdes.Names));
        Assert.Equal("8gaussians swissroll moons checkerboard rings pinwheel gaussian mixture gaussian_spectrum mixture_spectrum two_classes",
            string.Join(' ', r.DataSets.Names));
        Assert.Equal("sliced_w2 mmd energy mean_error cov_error ks", string.Join(' ', r.Metrics.Names));
        Assert.Equal("uniform karras logsnr time_uniform time_quadratic exponential polyexponential", string.Join(' ', r.Schedules.Names));
        Assert.Equal("esm ism ssm dsm eps x0 v", string.Join(' ', r.Training.Losses.Names));
        Assert.Equal("uniform sigma2 likelihood snr min-snr", string.Join(' ', r.Training.Weightings.Names));
        Assert.Equal("uniform importance lognormal fixed ncsn", string.Join(' ', r.Training.TimeSamplings.Names));
        Assert.Equal("adam adamw sgd", string.Join(' ', r.Training.Optimizers.Names));
        Assert.Equal("exact mlp ebm", string.Join(' ', r.Models.Names));
    }

    [Fact]
    public void EveryRegistryHasTheSameShapeAndCaseRule()
    {
        var registries = All(ComponentRegistries.CreateDefault()).ToList();
        Assert.Equal(11, registries.Count);
        foreach (var registry in registries)
        {
            Assert.NotEmpty(registry.Names);
            foreach (var name in registry.Names)
            {
                Assert.True(registry.Contains(name));
                Assert.False(string.IsNullOrWhiteSpace(registry.DescriptionOf(name)), $"{registry.Kind} '{name}'");
                Assert.DoesNotContain('\n', registry.DescriptionOf(name));
                foreach (var p in registry.ParametersOf(name)) Assert.False(string.IsNullOrWhiteSpace(p.Description));
                // One case rule: ordinal, case-sensitive.
                var upper = name.ToUpperInvariant();
                if (upper != name) Assert.False(registry.Contains(upper), $"{registry.Kind} '{upper}'");
            }
            var e = Assert.Throws<UnknownNameException>(() => registry.DescriptionOf("no-such-name"));
            Assert.Equal(registry.Kind, e.Kind);
            Assert.Equal("no-such-name", e.Name);
            Assert.Equal(registry.Names, e.Known);
            Assert.DoesNotContain("(Parameter", e.Message);
        }
    }

    [Fact]
    public void AnEntryNeedsItsPartsAndAFreshName()
    {
        var r = new Registry<int, string>("thing");
        r.Add("a", "the first thing", n => "a" + n);
        Assert.Equal("parameters", Assert.Throws<ArgumentNullException>(() => r.Add("b", "the second thing", n => "b", null!)).ParamName);
        Assert.Equal("factory", Assert.Throws<ArgumentNullException>(() => r.Add("b", "the second thing", null!)).ParamName);
        Assert.StartsWith("A thing named 'a' is already registered.", Assert.Throws<ArgumentException>("name", () => r.Add("a", "again", n => "")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParameterValuesAreCheckedAgainstTheSchema()
    {
        var schema = new[] { ParameterSpec.Real("eta", 0.25, "a real"), ParameterSpec.Integer("steps", 3, "an integer"), ParameterSpec.Vector("mean", "a list") };
        var p = ParameterValues.Bind("solver 'x'", schema, new Dictionary<string, double[]> { ["steps"] = [7], ["mean"] = [1.5, -2.5] });
        Assert.Equal(0.25, p["eta"]);
        Assert.Equal(7, p.Integer("steps"));
        Assert.Equal([1.5, -2.5], p.Vector("mean"));
        Assert.False(p.Contains("eta"));
        Assert.True(p.Contains("steps"));
        var unknown = Assert.Throws<ParameterException>(() => ParameterValues.Bind("solver 'x'", schema, new Dictionary<string, double[]> { ["etta"] = [1] }));
        Assert.Equal("etta", unknown.Key);
        Assert.Contains("valid: eta, steps, mean", unknown.Message);
        Assert.Equal("steps", Assert.Throws<ParameterException>(() => ParameterValues.Bind("x", schema, new Dictionary<string, double[]> { ["steps"] = [2.5] })).Key);
        Assert.Equal("eta", Assert.Throws<ParameterException>(() => ParameterValues.Bind("x", schema, new Dictionary<string, double[]> { ["eta"] = [1, 2] })).Key);
        Assert.Equal("eta", Assert.Throws<ParameterException>(() => ParameterValues.Bind("x", schema, new Dictionary<string, double[]> { ["eta"] = [double.PositiveInfinity] })).Key);
        Assert.Equal("mean", Assert.Throws<ParameterException>(() => ParameterValues.Bind("x", schema, null).Vector("mean")).Key);
        Assert.Throws<InvalidOperationException>(() => ParameterValues.Bind("x", schema, null).Real("undeclared"));
        Assert.Equal("owner", Assert.Throws<ArgumentNullException>(() => ParameterValues.Bind(null!, schema, null)).ParamName);
        Assert.Equal("schema", Assert.Throws<ArgumentNullException>(() => ParameterValues.Bind("x", null!, null)).ParamName);
    }

    [Fact]
    public void SchedulesAndMetricsTakeTypedParameters()
    {
        var r = ComponentRegistries.CreateDefault();
        Assert.Equal(5.0, ((Diffusion.Research.Solvers.KarrasSchedule)r.Schedules.Create("karras", new Dictionary<string, double> { ["rho"] = 5 })).Rho);
        Assert.Equal("rho", Assert.Throws<ParameterException>(() => r.Schedules.Create("uniform", new Dictionary<string, double> { ["rho"] = 5 })).Key);
        Assert.Equal(2000, ((Diffusion.Research.Metrics.EnergyDistance)r.Metrics.Create("energy")).MaxSamples);
    }

    [Fact]
    public void TheCompositionRootIsSharedByTheCatalog()
    {
        // A loss registered once in the root shows in `diffusion list losses`.
        var registries = ComponentRegistries.CreateDefault();
        registries.Training.Losses.Register("my-dsm", "a custom loss", _ => new Diffusion.Research.Nn.Losses.DenoisingScoreMatchingLoss(Diffusion.Research.Scores.Prediction.Score));
        var backend = new ExperimentBackend(registries);
        Assert.Contains(backend.Catalog.List("losses"), e => e.Name == "my-dsm");
        Assert.True(backend.Catalog.Contains("losses", "my-dsm"));
    }
}

using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Registries;

namespace Diffusion.Research.Tests.Registries;

/// <summary>
/// Every parameter of every built-in component, set to values a component may refuse (negative, zero, huge, tiny,
/// generic): the factory either builds or throws an <see cref="ArgumentException"/> that names a parameter the registry
/// declares (its ParamName equal to one of the entry's parameter names up to case and underscores, or a dotted key, or
/// none), so that the experiment file's error names the user's own key (ExperimentBackend.Wrap). Anything else is an
/// error message that points nowhere, or a crash.
/// </summary>
public class ParameterErrorKeyTests
{
    private static readonly double[] Values = [-1, 0, -0.0, 1e-300, 0.37, 2.5, 7, 1e300, -1e300];

    public static TheoryData<string> Registries() => new() { "sde", "solver", "schedule", "data set", "metric", "model metric" };

    [Theory]
    [MemberData(nameof(Registries))]
    public void A_refused_parameter_is_named_as_the_registry_spells_it(string which)
    {
        var all = ComponentRegistries.CreateDefault();
        var failures = new List<string>();
        void Sweep<T>(ParameterRegistry<T> registry)
        {
            foreach (var name in registry.Names)
            {
                var specs = registry.ParametersOf(name);
                foreach (var spec in specs)
                {
                    foreach (var value in Values)
                    {
                        var given = new Dictionary<string, double[]>(StringComparer.Ordinal);
                        foreach (var required in specs.Where(s => s.Default is null && s.Type != ParameterType.Vector && s.Name != spec.Name))
                            given[required.Name] = [3];
                        if (spec.Type == ParameterType.Vector) continue; // vectors: shape errors, checked by the data-set tests
                        given[spec.Name] = [spec.Type == ParameterType.Integer ? Math.Round(Math.Clamp(value, -1e6, 1e6)) : value];
                        try
                        {
                            _ = registry.CreateFromLists(name, given);
                        }
                        catch (ParameterException)
                        {
                        }
                        catch (ArgumentException e)
                        {
                            if (e.ParamName is { Length: > 0 } p && !p.Contains('.', StringComparison.Ordinal) && p != "parameters"
                                && !specs.Any(s => s.Denotes(p)))
                                failures.Add($"{registry.Kind} '{name}' {spec.Name} = {value}: argument '{p}' is not a parameter ({string.Join(", ", specs.Select(s => s.Name))}): {e.Message.Split('\n')[0]}");
                        }
                        catch (Exception e)
                        {
                            failures.Add($"{registry.Kind} '{name}' {spec.Name} = {value}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                        }
                    }
                }
            }
        }
        switch (which)
        {
            case "sde": Sweep(all.Sdes); break;
            case "solver": Sweep(all.Solvers); break;
            case "schedule": Sweep(all.Schedules); break;
            case "data set": Sweep(all.DataSets); break;
            case "metric": Sweep(all.Metrics); break;
            default: Sweep(all.ModelMetrics); break;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct()));
    }

}

using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.Registries;

public class CellIdentityTests
{
    public static TheoryData<string> Experiments => new()
    {
        "quickstart", "nn-reference", "solver-zoo", "loss-zoo", "weighting-sweep", "exact-error", "solver-zoo-exact",
        "guidance", "guidance-learned", "guidance-cfg-learned", "inverse", "low-nfe", "low-nfe-adaptive",
    };

    // The canonical JSON of a cell is its identity: a refactor of the key tables, or a new key, must leave the id of
    // every committed cell unchanged, or the committed results would no longer be reused.
    [Theory]
    [MemberData(nameof(Experiments))]
    public void CommittedCellsKeepTheirIds(string name)
    {
        var root = TestFiles.RepositoryRoot();
        var plan = new ExperimentLoader(ExperimentBackend.CreateDefault()).Load(Path.Combine(root, "experiments", name + ".yaml"));
        var committed = new RunLog(Path.Combine(root, "results", name, "runs.jsonl")).Read().Select(r => r.Cell).ToHashSet();
        Assert.Equal(committed.Order(), plan.Cells.Select(c => c.Id).Order());
    }

    [Fact]
    public void EverySamplerKeyIsARowAndEveryRowCanBeOverriddenPerSolver()
    {
        Assert.Equal(["solver", .. SamplerBlock.Rows.Select(r => r.Key), "by_solver"], ExperimentLoader.SamplerKeys);
        Assert.Equal(SamplerBlock.Rows.Select(r => r.Key), ExperimentLoader.SolverOverrideKeys);
        Assert.All(SamplerBlock.Rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Description)));
    }

    [Fact]
    public void EveryBlockIsAKeyTableWithDescribedRows()
    {
        Assert.Equal(DataBlock.Table.Keys, ExperimentLoader.DataKeys);
        Assert.Equal(SdeBlock.Table.Keys, ExperimentLoader.SdeKeys);
        Assert.Equal(EvalBlock.Table.Keys, ExperimentLoader.EvalKeys);
        Assert.Equal(TableBlock.Table.Keys, ExperimentLoader.TableKeys);
        foreach (var description in DataBlock.Table.Rows.Select(r => r.Description).Concat(SdeBlock.Table.Rows.Select(r => r.Description))
                     .Concat(ModelBlock.Table.Rows.Select(r => r.Description)).Concat(TableBlock.Table.Rows.Select(r => r.Description)))
            Assert.False(string.IsNullOrWhiteSpace(description));
    }

    [Fact]
    public void DefaultsComeFromTheOptionTypes()
    {
        // sde.t_eps defaults to the training cut-off of TrainingOptions, rtol/atol/max_steps to SolveOptions: an explicit
        // default is the same cell as an omitted one.
        Assert.Equal(new Diffusion.Research.Nn.Training.TrainingOptions().TimeEpsilon, SdeBlock.DefaultTimeEpsilon);
        var solve = new Diffusion.Research.Sampling.SolveOptions();
        var defaults = SamplerBlock.Defaults("euler");
        Assert.Equal((solve.RelativeTolerance, solve.AbsoluteTolerance, solve.MaxSteps), (defaults.RelativeTolerance, defaults.AbsoluteTolerance, defaults.MaxSteps));
        var loader = new ExperimentLoader(new FakeBackend());
        var plain = loader.Parse(TestFiles.Tiny, "x.yaml", ".");
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var explicitDefaults = loader.Parse(TestFiles.Tiny.Replace("  kind: vp\n", $"  kind: vp\n  t_eps: {SdeBlock.DefaultTimeEpsilon.ToString("R", inv)}\n")
            .Replace("  solver: heun\n", $"  solver: heun\n  max_steps: {solve.MaxSteps}\n"), "x.yaml", ".");
        Assert.Equal(plain.Cells.Select(c => c.Id), explicitDefaults.Cells.Select(c => c.Id));
        Assert.All(plain.Cells, c => Assert.Equal(SdeBlock.DefaultTimeEpsilon, c.Sde.TEps));
    }
}

using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Tests.Experiments;

namespace Diffusion.Research.Tests.Registries;

public class CellIdentityTests
{
    public static TheoryData<string> Experiments => new() { "quickstart", "nn-reference", "solver-zoo", "loss-zoo", "weighting-sweep", "exact-error", "solver-zoo-exact" };

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
}

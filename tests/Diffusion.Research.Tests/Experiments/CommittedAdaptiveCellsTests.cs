using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Plans;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>
/// The automatic first step (<c>SolveOptions.InitialStep</c>, default for API callers) must not move a committed number: the
/// backend starts adaptive solvers from the grid's first step unless <c>sampler.initial_step</c> is set. Re-runs the
/// cheapest committed cells of each adaptive solver (dopri5 and ggf in results/solver-zoo, the adaptive DPM-Solver in
/// results/low-nfe-adaptive) and compares NFE, accepted and rejected steps and every metric bit for bit with runs.jsonl.
/// </summary>
public class CommittedAdaptiveCellsTests
{
    public static TheoryData<string, string, string> Cells() => new()
    {
        { "solver-zoo", "dopri5", "vp" },
        { "solver-zoo", "dopri5", "ve" },
        { "solver-zoo", "ggf", "ve" },
        { "low-nfe-adaptive", "dpm_solver_adaptive", "vp" },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void CommittedAdaptiveCellsReproduceBitForBit(string experiment, string solver, string sde)
    {
        var folder = Path.Combine(TestFiles.RepositoryRoot(), "results", experiment);
        var records = new RunLog(Path.Combine(folder, "runs.jsonl")).Read();
        var record = records
            .Where(r => r.IsSuccess && r.Repeat == 0 && r.ConfigValue("sampler.solver") == solver && r.ConfigValue("sde.kind") == sde)
            .MinBy(r => r.Nfe)!;
        var backend = ExperimentBackend.CreateDefault();
        var plan = new ExperimentLoader(backend).Load(Path.Combine(folder, "experiment.yaml"));
        var cell = plan.Cells.Single(c => c.Id == record.Cell);
        Assert.Null(cell.Sampler.InitialStep);
        var result = backend.Run(cell, new CellRun(record.Repeat, plan.Seed, 2));
        Assert.Equal(record.Nfe, result.Statistics.Nfe);
        Assert.Equal(record.Accepted, result.Statistics.AcceptedSteps);
        Assert.Equal(record.Rejected, result.Statistics.RejectedSteps);
        foreach (var (name, value) in record.Metrics) Assert.Equal(value, result.Metrics[name]);
    }
}

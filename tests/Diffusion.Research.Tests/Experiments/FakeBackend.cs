using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sampling;

namespace Diffusion.Research.Tests.Experiments;

/// <summary>
/// A backend with fixed names and cheap deterministic "metrics" (a function of config id, seed and repeat), so the
/// sweep machinery can be tested without the numerics. "euler" with nfe &lt;= 2 fails with NonFinite; "boom" throws.
/// </summary>
internal sealed class FakeBackend : IExperimentBackend
{
    public FakeBackend()
    {
        static Func<IReadOnlyList<ComponentInfo>> Names(params string[] names) => () => names.Select(n => new ComponentInfo(n, "fake " + n)).ToList();
        Catalog = new ComponentCatalog()
            .Register("solvers", "fake solvers", Names("euler", "heun", "dopri5", "boom"))
            .Register("sdes", "fake SDEs", Names("vp", "ve"))
            .Register("schedules", "fake schedules", Names("uniform", "karras"))
            .Register("datasets", "fake data", Names("gauss2d", "ring"))
            .Register("metrics", "fake metrics", Names("mean_error", "sliced_w2"))
            .Register("models", "fake models", Names("exact"));
    }

    public ComponentCatalog Catalog { get; }

    public int Runs { get; private set; }

    public void Check(CellSpec cell)
    {
        if (cell.Sde.Parameters.TryGetValue("beta_max", out var b) && b <= 0)
            throw new ArgumentOutOfRangeException("sde.parameters.beta_max", b, "beta_max must be positive.");
        if (cell.Sampler.Solver is "euler" or "heun" && cell.Sampler.Steps is null && cell.Sampler.Nfe is null)
            throw new ArgumentException("a fixed-step solver needs sampler.steps or sampler.nfe.", "sampler.solver");
        foreach (var e in cell.Model.Settings.Entries)
            if (e.Name != "kind") throw new ArgumentException($"unknown key '{e.Name}' for model kind exact.", "model." + e.Name);
    }

    public CellResult Run(CellSpec cell, CellRun run)
    {
        Runs++;
        if (cell.Sampler.Solver == "boom") throw new InvalidOperationException("boom");
        var nfe = cell.Sampler.Nfe ?? cell.Sampler.Steps ?? 17;
        if (cell.Sampler.Solver == "euler" && nfe <= 2)
            return CellResult.Failed("NonFinite", "state became NaN at t=0.5", new SolverStatistics(nfe, nfe, 0));
        var noise = new NoiseSource(run.Seed).Derive(Convert.ToUInt64(cell.Id, 16));
        var metrics = new Dictionary<string, double>();
        foreach (var m in cell.Eval.Metrics)
            metrics[m] = 1.0 / nfe + 0.01 * Math.Abs(noise.Gaussian((uint)m.Length, run.Repeat, 0));
        var samples = new Batch(8, 2);
        noise.FillGaussian(1, 0, samples);
        var reference = new Batch(8, 2);
        noise.FillGaussian(2, 0, reference);
        return new CellResult(CellResult.SuccessStatus, null, metrics, new SolverStatistics(nfe, nfe, 0), samples, reference);
    }
}

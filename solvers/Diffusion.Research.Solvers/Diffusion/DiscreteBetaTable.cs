using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>
/// score_sde's discrete β table of the linear VP SDE (Song et al. 2021, their code: <c>VPSDE.discrete_betas</c>,
/// used by <c>AncestralSamplingPredictor</c> and <c>ReverseDiffusionPredictor</c>/<c>LangevinCorrector</c> through
/// <c>discretize</c>): β_i = linspace(β_min/N, β_max/N, N)[i] at index i = floor(t (N − 1)) (T = 1), the DDPM β of
/// Ho et al. 2020 with N steps. Shared by <see cref="DdpmAncestral"/> and <see cref="PredictorCorrector"/> (option
/// <c>discrete_betas = N</c>).
/// </summary>
public static class DiscreteBetaTable
{
    /// <summary>The linear schedule of <paramref name="sde"/>; throws <see cref="ArgumentException"/> naming <paramref name="solver"/> unless it is the linear VP SDE.</summary>
    public static LinearBetaSchedule Schedule(ISde? sde, int n, string solver)
    {
        if (sde is VpSde { Schedule: LinearBetaSchedule linear }) return linear;
        throw new ArgumentException(
            $"Solver '{solver}': discrete_betas = {n} (score_sde's discrete beta table) needs the linear VP SDE, got {sde?.ToString() ?? "no SDE"}.", "problem");
    }

    /// <summary>β_i of the N-entry table at time <paramref name="t"/> (i = floor(t (N − 1)); N ≥ 2).</summary>
    public static double Beta(LinearBetaSchedule linear, int n, double t)
    {
        ArgumentNullException.ThrowIfNull(linear);
        var index = (int)Math.Floor(t * (n - 1)); // score_sde: timestep = (t * (N - 1) / T).long(), T = 1
        return linear.BetaMin / n + (linear.BetaMax / n - linear.BetaMin / n) * index / (n - 1); // torch.linspace(β0/N, β1/N, N)[index]
    }
}

using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The stepping logic of every explicit Runge–Kutta method, written once and driven by a
/// <see cref="Tableau"/>. Register layout in the workspace: k_0 .. k_{s−1} in registers 0 .. s−1, the
/// stage input in register s (so a method needs s + 1 registers).
/// </summary>
public static class RungeKuttaStages
{
    /// <summary>Buffers needed by a tableau.</summary>
    public static int Buffers(Tableau tableau) => tableau.Stages + 1;

    /// <summary>
    /// Evaluates the stages k_j = a(x + dt Σ_l A[j][l] k_l, t + C[j] dt) (Hairer–Nørsett–Wanner I, eq II.1.8).
    /// With <paramref name="firstStageReady"/> the caller already holds k_0 = a(x, t) (FSAL) and it is not
    /// recomputed. Returns the number of drift evaluations made. After the call the stage-input register
    /// holds the input of the last stage, which is the new solution for an FSAL tableau.
    /// </summary>
    public static int Evaluate(IDynamics dynamics, Tableau tableau, double t, double dt, Batch x, Workspace workspace, bool firstStageReady)
    {
        var rows = x.Count;
        var s = tableau.Stages;
        var input = workspace.Buffer(s, rows);
        var evaluations = 0;
        for (var j = firstStageReady ? 1 : 0; j < s; j++)
        {
            x.Values.CopyTo(input.Values);
            var aRow = tableau.ARow(j);
            for (var l = 0; l < aRow.Length; l++)
            {
                if (aRow[l] == 0) continue;
                TensorPrimitives.MultiplyAdd(workspace.Buffer(l, rows).Values, dt * aRow[l], input.Values, input.Values);
            }
            dynamics.Drift(t + tableau.C[j] * dt, j == 0 ? x : input, workspace.Buffer(j, rows));
            evaluations++;
        }
        return evaluations;
    }

    /// <summary>destination = (baseline or 0) + dt Σ_j w_j k_j, for the solution (w = B, baseline = x) or the error estimate (w = E, no baseline).</summary>
    public static void Combine(ReadOnlySpan<double> weights, double dt, Batch? baseline, Workspace workspace, Batch destination)
    {
        var rows = destination.Count;
        if (baseline is { } b) b.Values.CopyTo(destination.Values);
        else destination.Values.Clear();
        for (var j = 0; j < weights.Length; j++)
        {
            if (weights[j] == 0) continue;
            TensorPrimitives.MultiplyAdd(workspace.Buffer(j, rows).Values, dt * weights[j], destination.Values, destination.Values);
        }
    }
}

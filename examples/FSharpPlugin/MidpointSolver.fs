namespace Diffusion.Research.Examples.FSharpPlugin

open Diffusion.Research.Numerics
open Diffusion.Research.Sampling
open Diffusion.Research.Solvers

/// The explicit midpoint method (Hairer, Nørsett & Wanner, Solving Ordinary Differential Equations I, §II.1), a second-order
/// Runge-Kutta method written as its own solver class outside the framework:
///   k1 = f(t, x),  x_mid = x + dt/2 k1,  k2 = f(t + dt/2, x_mid),  x <- x + dt k2.
/// On a sampling problem f is the drift of the reverse family, so with lambda = 0 it integrates the PF-ODE.
type MidpointSolver() =
    inherit FixedStepSolver()

    let traits =
        SolverTraits("midpoint", 2, 0.0, false, false, 2,
                     "Explicit midpoint (ODE, order 2), an F# plugin solver.")

    override _.Traits = traits

    // Two scratch batches: the drift, then the midpoint state.
    override _.Buffers = 2

    override _.Step(problem: SamplingProblem, step: StepInfo, x: Batch, workspace: Workspace) =
        let drift = workspace.Buffer(0, x.Count)
        let middle = workspace.Buffer(1, x.Count)
        let dt = step.Dt
        problem.Dynamics.Drift(step.Time, x, drift)
        let xs = x.Values
        let ks = drift.Values
        let ms = middle.Values
        for i in 0 .. xs.Length - 1 do
            ms[i] <- xs[i] + 0.5 * dt * ks[i]
        problem.Dynamics.Drift(step.Time + 0.5 * dt, middle, drift)
        let ks = drift.Values
        for i in 0 .. xs.Length - 1 do
            xs[i] <- xs[i] + dt * ks[i]

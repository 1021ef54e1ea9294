/// Solvers written outside the solver assembly with its public API only (this project sees no internals), registered in
/// a SolverRegistry and run through it: a diffusion sampler on the DiffusionSampler base, a stochastic integrator on
/// FixedStepSolver with WienerIncrement, and an adaptive Runge-Kutta pair on AdaptiveSolver with RungeKuttaStages and
/// ErrorNorm. Each is checked against the library's own solver of the same method or against an exact solution.
module Diffusion.Research.Theorems.OutsideSolvers

open System
open System.Collections.Generic
open Diffusion.Research.Data
open Diffusion.Research.Kernels
open Diffusion.Research.Numerics
open Diffusion.Research.Registries
open Diffusion.Research.Sampling
open Diffusion.Research.Scores
open Diffusion.Research.Sde
open Diffusion.Research.Solvers
open Xunit

/// DPM-Solver-1 (Lu et al. 2022, Alg. 1 with k = 1, eq 3.7): with lambda = log(alpha/sigma) and h = lambda_s - lambda_t,
/// x_s = (alpha_s/alpha_t) x - sigma_s expm1(h) eps(x, t). It is DDIM with eta = 0 (Lu et al. 2022, Prop. 4.1).
type OutsideDpmSolver1() =
    inherit DiffusionSampler()
    let traits = SolverTraits("outside_dpm1", 1, 0.0, false, false, 1, "DPM-Solver-1 written in F# outside the solver assembly.")
    override _.Traits = traits
    override _.Buffers = 1
    override _.Step(problem: DiffusionProblem, step: StepInfo, x: Batch, workspace: Workspace) =
        let kernel = problem.Kernel
        let t, s = step.Time, step.NextTime
        let h = 0.5 * (kernel.LogSnr(s) - kernel.LogSnr(t))
        let eps = workspace.Buffer(0, x.Count)
        problem.PredictNoise(t, x, eps)
        x.Scale(kernel.Alpha(s) / kernel.Alpha(t))
        x.AddScaled(-kernel.Sigma(s) * ElementaryFunctions.Expm1(h), eps)

/// Euler-Maruyama (Kloeden & Platen, eq 9.1.2): x += a(x, t) dt + b(t) sqrt|dt| z, z from WienerIncrement.
type OutsideEulerMaruyama() =
    inherit FixedStepSolver()
    let traits = SolverTraits("outside_em", 1, 0.5, true, false, 1, "Euler-Maruyama written in F# outside the solver assembly.")
    override _.Traits = traits
    override _.Buffers = 2
    override _.Step(problem: SamplingProblem, step: StepInfo, x: Batch, workspace: Workspace) =
        let drift = workspace.Buffer(0, x.Count)
        let z = workspace.Buffer(1, x.Count)
        problem.Dynamics.Drift(step.Time, x, drift)
        x.AddScaled(step.Dt, drift)
        let b = problem.Dynamics.Diffusion(step.Time)
        if b <> 0.0 then
            WienerIncrement.Fill(step, null, z)
            x.AddScaled(b * sqrt (abs step.Dt), z)

/// The Heun-Euler 2(1) pair (Hairer, Norsett, Wanner I, Table II.4.1 style: b = (1/2, 1/2), b_hat = (1, 0)).
let heunEuler =
    Tableau("heun_euler", 2, [| [||] :> IReadOnlyList<float>; [| 1.0 |] |], [| 0.5; 0.5 |], [| 0.0; 1.0 |], [| -0.5; 0.5 |], 1, false)

/// An adaptive solver of any non-FSAL pair: stages and combinations from RungeKuttaStages, error from ErrorNorm.
type OutsideAdaptive(tableau: Tableau) =
    inherit AdaptiveSolver(PiController.ForErrorOrder(tableau.EmbeddedOrder))
    let traits = SolverTraits("outside_" + tableau.Name, tableau.Order, 0.0, false, true, tableau.Stages, "An adaptive pair written in F#.")
    let candidate = tableau.Stages + 1
    let error = tableau.Stages + 2
    override _.Traits = traits
    override _.ErrorOrder = tableau.EmbeddedOrder
    override _.Buffers = tableau.Stages + 3
    override _.Attempt(problem, t, dt, _attempt, options, _firstParticle, x, workspace) =
        let evaluations = RungeKuttaStages.Evaluate(problem.Dynamics, tableau, t, dt, x, workspace, false)
        let next = workspace.Buffer(candidate, x.Count)
        let e = workspace.Buffer(error, x.Count)
        RungeKuttaStages.Combine(tableau.B, dt, Nullable x, workspace, next)
        RungeKuttaStages.Combine(tableau.E, dt, Nullable(), workspace, e)
        AttemptResult(ErrorNorm.MaxOverParticles(e, x, next, next, options.RelativeTolerance, options.AbsoluteTolerance, ToleranceScale.Sum), evaluations)
    override _.Commit(x, workspace) = workspace.Buffer(candidate, x.Count).CopyTo(x)

let private registry () =
    let r = SolverRegistry.CreateDefault()
    r.Register("outside_dpm1", "DPM-Solver-1 (F#)", Func<ParameterValues, ISolver>(fun _ -> OutsideDpmSolver1() :> ISolver)) |> ignore
    r.Register("outside_em", "Euler-Maruyama (F#)", Func<ParameterValues, ISolver>(fun _ -> OutsideEulerMaruyama() :> ISolver)) |> ignore
    r.Register("outside_heun_euler", "Heun-Euler 2(1) (F#)", Func<ParameterValues, ISolver>(fun _ -> OutsideAdaptive(heunEuler) :> ISolver)) |> ignore
    r

let private sample (r: SolverRegistry) name lambda =
    let sde = VpSde.Linear()
    let problem = SamplingProblem.Reverse(sde, ExactNoisedScore(ToyData.EightGaussians(), sde.Kernel), lambda)
    let x = Batch(300, 2)
    sde.Prior(2).Sample(x, NoiseSource(5UL), 0L)
    let options = SolveOptions().WithNoise(NoiseSource(7UL)).WithThreads(2).WithChunkSize(64)
    let solution = r.Create(name).Solve(problem, x, TimeGrid.Uniform(1.0, 1e-3, 25), options)
    Assert.Equal(SolveStatus.Success, solution.Status)
    solution, x.ToArray()

[<Fact>]
let ``an F# diffusion sampler through the registry equals the library's DDIM`` () =
    let r = registry ()
    let outside, xs = sample r "outside_dpm1" 0.0
    let _, reference = sample r "ddim" 0.0
    Assert.Equal(25L, outside.Statistics.Nfe)
    for i in 0 .. xs.Length - 1 do
        Assert.Equal(reference[i], xs[i], 1e-9 * (1.0 + abs reference[i]))

[<Fact>]
let ``an F# diffusion sampler is refused a problem without a diffusion model`` () =
    let solver = registry().Create("outside_dpm1")
    let plain = SamplingProblem.Of(VpSde.Linear())
    Assert.Throws<ArgumentException>(fun () -> solver.Solve(plain, Batch(4, 2), TimeGrid.Uniform(1.0, 1e-3, 5), SolveOptions()) |> ignore) |> ignore

[<Fact>]
let ``an F# Euler-Maruyama through the registry reproduces the library's bit for bit`` () =
    let r = registry ()
    let _, xs = sample r "outside_em" 1.0
    let _, reference = sample r "euler_maruyama" 1.0
    Assert.Equal<float[]>(reference, xs)

[<Fact>]
let ``an F# adaptive pair through the registry meets its tolerance on the logistic equation`` () =
    // x' = x (1 - x): x(t) = x0 e^t / (1 - x0 + x0 e^t).
    let logistic =
        { new IDynamics with
            member _.Drift(_t, x, destination) =
                for i in 0 .. x.Values.Length - 1 do destination.Values[i] <- x.Values[i] * (1.0 - x.Values[i])
            member _.Diffusion(_t) = 0.0 }
    let x0 = [| 0.1; 0.45; 0.8 |]
    let loose, tight =
        [ 1e-4; 1e-7 ]
        |> List.map (fun tol ->
            let x = Batch(Array.copy x0, 3, 1)
            let solution = registry().Create("outside_heun_euler").Solve(SamplingProblem.Of(logistic), x, TimeGrid.Uniform(0.0, 3.0, 1), SolveOptions().WithTolerances(tol, tol))
            Assert.Equal(SolveStatus.Success, solution.Status)
            let err = Array.init 3 (fun i -> abs (x[i, 0] - x0[i] * exp 3.0 / (1.0 - x0[i] + x0[i] * exp 3.0))) |> Array.max
            err, solution.Statistics.AcceptedSteps)
        |> function
            | [ a; b ] -> a, b
            | _ -> failwith "two tolerances"
    Assert.True(fst loose < 20.0 * 1e-4, sprintf "error %g" (fst loose))
    Assert.True(fst tight < 20.0 * 1e-7, sprintf "error %g" (fst tight))
    Assert.True(snd tight > 10L * snd loose / 2L)

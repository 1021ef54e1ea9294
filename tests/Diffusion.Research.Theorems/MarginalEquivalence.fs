/// Theorem 6 — marginal equivalence of the reverse-time family (001 eqs 85–87; 003 Theorem 4.1.1; Song et al. 2021,
/// eqs (6), (13) and §4.3, App. D.1; Zhang and Chen 2023;
/// 000 open question 1; Song et al. 2021, App. D.1; Zhang and Chen 2023): dx = [f - (1 + l^2)/2 g^2 s] dt + l g dW_bar, run
/// backwards from p_T with the
/// exact score, has the forward marginals p_t at t in {0.75 T, 0.5 T, 0.25 T, t_eps} for every
/// l in {0, 0.5, 1, sqrt 2}; and the PF-ODE (l = 0) run forwards pushes p_0 onto p_t.
/// p_t is the closed-form noised mixture; samples are compared to it by one-sample KS tests on the
/// coordinates and a random direction (projection of a mixture: a 1-D mixture with means alpha u.mu_k and
/// variances alpha^2 u^T S_k u + sigma^2). The start is exact p_T (kernel applied to data samples) so that
/// the property isolates the reverse dynamics from the prior mismatch.
module Diffusion.Research.Theorems.MarginalEquivalence

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Numerics
open Diffusion.Research.Kernels
open Diffusion.Research.Sampling
open Diffusion.Research.Solvers
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Api
open Diffusion.Research.Theorems.Fields
open Diffusion.Research.Theorems.Langevin

/// CDF of u^T x_t for x_t ~ p_t, u a unit vector.
let projectedCdf (spec: MixtureSpec) (alpha: float) (sigma: float) (u: float[]) =
    let parts =
        Array.init spec.Components (fun k ->
            spec.Weights.[k], alpha * dot u spec.Means.[k], sqrt (alpha * alpha * dot u (matVec spec.Covariances.[k] u) + sigma * sigma))
    fun (z: float) -> parts |> Array.sumBy (fun (w, m, s) -> w * normalCdf ((z - m) / s))

let private lambdas = [ 0.0; 0.5; 1.0; sqrt 2.0 ]

let private solverFor (lambda: float) : ISolver =
    if lambda = 0.0 then ExplicitRungeKutta(Tableau.RungeKutta4) else EulerMaruyama()

let private stepsFor (lambda: float) = if lambda = 0.0 then 40 else 250 // per quarter of [t_eps, T]

let private case =
    gen {
        let! spec = mixture [ 1; 2 ]
        let! sdeSpec = sde
        let sdeSpec =
            match sdeSpec with
            | Ve(a, b) -> Ve(a, min b 10.0)
            | other -> other
        let! extra = vector spec.Dimension -1.0 1.0
        let! seed = noiseSeed
        return spec, sdeSpec, extra, seed
    }

/// Published source: Song et al. 2021, eqs (6), (13); Zhang and Chen 2023.
[<Fact>]
let ``reverse-time family reproduces the forward marginals for every lambda (001 eqs 85-87)`` () =
    Prop.forAll (Arb.fromGen case) (fun (spec, sdeSpec, extra, seed) ->
        let n = 2000
        let d = spec.Dimension
        let m = toMixture spec
        let sde = toSde sdeSpec
        let k = kernelOf sde
        let score = noisedMixtureScoreModel m k
        let tEps = 1e-3 * sde.T
        let checkpoints = [ 0.75 * sde.T; 0.5 * sde.T; 0.25 * sde.T; tEps ]
        let dirs = directions d extra
        let threshold = ksThreshold n (lambdas.Length * checkpoints.Length * dirs.Length)
        let noise = NoiseSource(seed)
        // exact p_T: x_T = alpha_T x_0 + sigma_T eps
        let x0 = Batch(n, d)
        m.Sample(x0, noise.Derive(1UL), 0L)
        lambdas
        |> List.iteri (fun li lambda ->
            let x = Batch(n, d)
            k.At(sde.T).Sample(x0, noise.Derive(2UL), 0u, 0L, x)
            let problem = SamplingProblem.Reverse(sde, score, lambda)
            let mutable start = sde.T
            checkpoints
            |> List.iteri (fun ci stop ->
                let grid = TimeGrid.Uniform(start, stop, stepsFor lambda)
                let options = SolveOptions().WithNoise(noise.Derive(uint64 (100 + 10 * li + ci)))
                let solution = (solverFor lambda).Solve(problem, x, grid, options)
                Assert.Equal(SolveStatus.Success, solution.Status)
                solution.Samples.CopyTo(x)
                for u in dirs do
                    let ks = ksStatistic (projectedCdf spec (k.Alpha stop) (k.Sigma stop) u) (project x u)
                    Expect.atMost (sprintf "KS at t=%g, lambda=%g, %A" stop lambda sdeSpec) threshold ks
                start <- stop)))
    |> check "reverse family marginals" 4

/// Published source: Song et al. 2021, §4.3, App. D.1.
[<Fact>]
let ``PF-ODE run forwards pushes p_0 onto p_t (003 Theorem 4.1.1)`` () =
    Prop.forAll (Arb.fromGen case) (fun (spec, sdeSpec, extra, seed) ->
        let n = 2000
        let d = spec.Dimension
        let m = toMixture spec
        let sde = toSde sdeSpec
        let k = kernelOf sde
        let problem = SamplingProblem.Reverse(sde, noisedMixtureScoreModel m k, 0.0)
        let checkpoints = [ 0.25 * sde.T; 0.5 * sde.T; 0.75 * sde.T; sde.T ]
        let dirs = directions d extra
        let threshold = ksThreshold n (checkpoints.Length * dirs.Length)
        let x = Batch(n, d)
        m.Sample(x, NoiseSource(seed), 0L)
        let mutable start = 0.0
        for stop in checkpoints do
            let solution = ExplicitRungeKutta(Tableau.RungeKutta4).Solve(problem, x, TimeGrid.Uniform(start, stop, 40), SolveOptions())
            Assert.Equal(SolveStatus.Success, solution.Status)
            solution.Samples.CopyTo(x)
            for u in dirs do
                let ks = ksStatistic (projectedCdf spec (k.Alpha stop) (k.Sigma stop) u) (project x u)
                Expect.atMost (sprintf "KS at t=%g (PF-ODE forward, %A)" stop sdeSpec) threshold ks
            start <- stop)
    |> check "PF-ODE forward marginals" 4

/// Theorem 5 — SURE is unbiased (003 §3.3.5; Stein 1981): for y = x + sigma eps and any weakly differentiable
/// denoiser D, E_eps[ ||D(y) - y||^2 + 2 sigma^2 div D(y) - d sigma^2 ] = E_eps ||D(y) - x||^2.
/// Denoisers: random affine maps (exact Gauss–Hermite) and random Tweedie denoisers
/// D(y) = y + sigma^2 grad log q_sigma(y) of an unrelated random mixture q, whose divergence
/// d + sigma^2 div grad log q_sigma comes from the framework (trapezoid grid, d <= 2).
module Diffusion.Research.Theorems.Sure

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Quadrature
open Diffusion.Research.Theorems.Api

/// SURE(D; y) = ||D(y) - y||^2 + 2 sigma^2 div D(y) - d sigma^2 (003 §3.3.5; Stein 1981).
let sure (sigma: float) (y: float[]) (dy: float[]) (divD: float) =
    norm2 (sub dy y) + 2.0 * sigma * sigma * divD - float y.Length * sigma * sigma

let private noiseAround (x: float[]) (sigma: float) =
    { Weights = [| 1.0 |]
      Means = [| x |]
      Covariances = [| Array.init x.Length (fun i -> Array.init x.Length (fun j -> if i = j then sigma * sigma else 0.0)) |] }

/// Published source: Stein 1981.
[<Fact>]
let ``SURE is unbiased for random affine denoisers (003 §3.3.5)`` () =
    let case =
        gen {
            let! d = Gen.choose (1, 4)
            let! x = vector d -3.0 3.0
            let! f = affineField d
            let! sigma = uniform 0.1 2.0
            return x, f, sigma
        }
    Prop.forAll (Arb.fromGen case) (fun (x, f, sigma) ->
        let denoise (y: float[]) = add (matVec f.A y) f.B
        let rule = Quadrature.mixtureRule 3 (noiseAround x sigma) // exact: integrands are quadratic in eps
        let risk = rule |> Array.sumBy (fun (y, w) -> w * norm2 (sub (denoise y) x))
        let estimate = rule |> Array.sumBy (fun (y, w) -> w * sure sigma y (denoise y) (trace f.A))
        Expect.closeRel "E SURE = risk" 1e-10 risk estimate)
    |> check "SURE affine" 50

/// Published source: Stein 1981.
[<Fact>]
let ``SURE is unbiased for random Tweedie denoisers (003 §3.3.5)`` () =
    let case =
        gen {
            let! q = mixture [ 1; 2 ]
            let! x = vector q.Dimension -3.0 3.0
            let! sigma = uniform 0.2 1.5
            return q, x, sigma
        }
    Prop.forAll (Arb.fromGen case) (fun (q, x, sigma) ->
        let m = toMixture q
        let d = float q.Dimension
        let rule = gridRule (noiseAround x sigma)
        let ys = rule |> Array.map fst
        let s = noisedScore m 1.0 sigma ys
        let div = noisedScoreDivergence m 1.0 sigma ys
        let dys = Array.map2 (fun y sy -> add y (scale (sigma * sigma) sy)) ys s
        let risk = Array.fold2 (fun acc (_, w) dy -> acc + w * norm2 (sub dy x)) 0.0 rule dys
        let estimate =
            Array.mapi (fun i (y, w) -> w * sure sigma y dys.[i] (d + sigma * sigma * div.[i])) rule |> Array.sum
        Expect.closeRel "E SURE = risk" 1e-8 risk estimate)
    |> check "SURE Tweedie denoiser" 30

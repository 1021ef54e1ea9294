/// Theorem 12 — Hutchinson's trace identity (003 "Sliced score matching via Hutchinson's estimator";
/// Song, Garg, Shi and Ermon 2019; Hutchinson 1989;
/// 002 "ODE Enables Exact Likelihood Computation"; Hutchinson 1989; Grathwohl et al. 2019): E[u^T A u] = Tr A for
/// isotropic probes
/// (E u = 0, E u u^T = I), Rademacher or Gaussian.
module Diffusion.Research.Theorems.Hutchinson

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Numerics
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators

let private quadratic (a: float[][]) (u: float[]) = dot u (matVec a u)

let private case =
    gen {
        let! d = Gen.choose (1, 6)
        let! a = matrix d -2.0 2.0
        let! seed = noiseSeed
        return a, seed
    }

/// Exact expectations: all 2^d Rademacher sign vectors, and the 2-node Gauss–Hermite rule (exact for
/// the quadratic form).
/// Published source: Song, Garg, Shi and Ermon 2019; Hutchinson 1989.
[<Fact>]
let ``Hutchinson identity holds exactly for Rademacher and Gaussian probes (003 sliced SM)`` () =
    Prop.forAll (Arb.fromGen case) (fun (a, _) ->
        let d = a.Length
        let signs = Array.init (1 <<< d) (fun bits -> Array.init d (fun i -> if (bits >>> i) &&& 1 = 1 then 1.0 else -1.0))
        let rademacher = signs |> Array.averageBy (quadratic a)
        let gaussian = gaussianRule 2 (Array.zeroCreate d) (identity d) |> Array.sumBy (fun (u, w) -> w * quadratic a u)
        Expect.closeRel "Rademacher E[u^T A u]" 1e-12 (trace a) rademacher
        Expect.closeRel "Gaussian E[u^T A u]" 1e-12 (trace a) gaussian)
    |> check "Hutchinson exact" 50

/// Monte Carlo with the framework's counter-based noise: N = 20000 probes. With S = (A + A^T)/2 the
/// estimator variance is 2 sum_{i != j} S_ij^2 (Rademacher: u^T A u = Tr A + sum_{i<j} 2 S_ij u_i u_j,
/// uncorrelated unit-variance terms) or 2 ||S||_F^2 (Gaussian). The mean must lie within 5 standard
/// errors (two-sided CLT tail 6e-7 per check; 2 checks x 40 cases keeps the family-wise false-alarm
/// rate below 1e-4).
/// Published source: Song, Garg, Shi and Ermon 2019; Hutchinson 1989.
[<Fact>]
let ``Hutchinson Monte Carlo estimate is within its standard error (003 sliced SM)`` () =
    Prop.forAll (Arb.fromGen case) (fun (a, seed) ->
        let d = a.Length
        let n = 20000
        let noise = NoiseSource(seed)
        let sym = Array.init d (fun i -> Array.init d (fun j -> 0.5 * (a.[i].[j] + a.[j].[i])))
        let offDiag = seq { for i in 0 .. d - 1 do for j in 0 .. d - 1 do if i <> j then yield sym.[i].[j] ** 2.0 } |> Seq.sum
        let diag = seq { for i in 0 .. d - 1 -> sym.[i].[i] ** 2.0 } |> Seq.sum
        let u = Array.zeroCreate<float> d
        let mutable rad = 0.0
        let mutable gau = 0.0
        for p in 0 .. n - 1 do
            noise.FillUniform(0u, int64 p, System.Span<float>(u))
            let r = u |> Array.map (fun v -> if v < 0.5 then -1.0 else 1.0)
            rad <- rad + quadratic a r
            noise.FillGaussian(1u, int64 p, System.Span<float>(u))
            gau <- gau + quadratic a u
        let seRad = sqrt (2.0 * offDiag / float n)
        let seGau = sqrt (2.0 * (offDiag + diag) / float n)
        Expect.close "Rademacher mean" (5.0 * seRad + 1e-12) (trace a) (rad / float n)
        Expect.close "Gaussian mean" (5.0 * seGau) (trace a) (gau / float n))
    |> check "Hutchinson Monte Carlo" 40

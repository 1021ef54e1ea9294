/// Theorem 8 — the score PDE (001 eq 102; 000 "Open Questions" 2; Lai et al. 2023 (FP-Diffusion)):
///   ds/dt = grad( -div f - <f, s> + 1/2 g^2 ||s||^2 + 1/2 g^2 div s )
/// for the exact score of a noised mixture under VE, VP and sub-VP. Derivation (for the record): divide
/// Fokker–Planck by p: d log p/dt = -div f - <f, s> + 1/2 g^2 (lap p)/p and (lap p)/p = div s + ||s||^2;
/// take the gradient. ds/dt is a finite difference in t of the framework's NoisedScore; the gradient on
/// the right is a finite difference of the scalar built from NoisedScore, NoisedScoreDivergence and the drift.
module Diffusion.Research.Theorems.ScorePde

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Api

/// Published source: Lai et al. 2023 (FP-Diffusion).
[<Fact>]
let ``exact mixture score satisfies the score PDE (001 eq 102)`` () =
    let case =
        gen {
            let! spec = mixture [ 1; 2; 3 ]
            let! sdeSpec = sde
            let! u = uniform 0.05 0.95
            let! xs = Gen.arrayOfLength 3 (vector spec.Dimension -2.5 2.5)
            return spec, sdeSpec, u, xs
        }
    Prop.forAll (Arb.fromGen case) (fun (spec, sdeSpec, u, xs) ->
        let m = toMixture spec
        let sde = toSde sdeSpec
        let k = kernelOf sde
        let t = u * sde.T
        let spread = max (k.Alpha t) (k.Sigma t)
        let xs = xs |> Array.map (scale spread)
        let g2 = sde.Diffusion t ** 2.0
        let phi (ys: float[][]) =
            let s = noisedScore m (k.Alpha t) (k.Sigma t) ys
            let divS = noisedScoreDivergence m (k.Alpha t) (k.Sigma t) ys
            let f = drift sde t ys
            let divF = divergenceBatch (drift sde t) ys 1e-3
            Array.init ys.Length (fun i -> -divF.[i] - dot f.[i] s.[i] + 0.5 * g2 * norm2 s.[i] + 0.5 * g2 * divS.[i])
        let rhs = gradientBatch phi xs (1e-3 * spread)
        let h = 1e-4 * sde.T
        let lhs =
            Array.init xs.Length (fun i ->
                Array.init spec.Dimension (fun j -> derivative (fun s -> (noisedScore m (k.Alpha s) (k.Sigma s) [| xs.[i] |]).[0].[j]) t h))
        for i in 0 .. xs.Length - 1 do
            let magnitude = 1.0 + sqrt (norm2 lhs.[i]) + sqrt (norm2 rhs.[i])
            for j in 0 .. spec.Dimension - 1 do
                Expect.close (sprintf "ds_%d/dt at t=%g (%A)" j t sdeSpec) (1e-5 * magnitude) lhs.[i].[j] rhs.[i].[j])
    |> check "score PDE" 30

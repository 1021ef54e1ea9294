/// Theorem 7 — Fokker–Planck (001 eq 60; 002 "Fokker–Planck Equation"; 003 Theorem 4.1.1; Risken 1989; Song et al. 2021,
/// §4.3, App. D.1):
/// the exact marginal p_t of a noised mixture satisfies dp/dt = -div(f p) + 1/2 g^2 lap p. Divided by
/// p it reads, with s = grad log p_t,
///   d log p_t / dt = -div f - <f, s> + 1/2 g^2 (div s + ||s||^2),
/// which is checked at random points with the framework's NoisedLogDensity (time derivative by finite
/// differences), NoisedScore, NoisedScoreDivergence and the SDE's drift (divergence by finite differences).
module Diffusion.Research.Theorems.FokkerPlanck

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Api

/// Published source: Risken 1989; Song et al. 2021, §4.3, App. D.1.
[<Fact>]
let ``noised mixture marginals satisfy the Fokker-Planck equation (001 eq 60, 003 Theorem 4.1.1)`` () =
    let case =
        gen {
            let! spec = mixture [ 1; 2; 3 ]
            let! sdeSpec = sde
            let! u = uniform 0.05 0.95
            let! xs = Gen.arrayOfLength 4 (vector spec.Dimension -3.0 3.0)
            return spec, sdeSpec, u, xs
        }
    Prop.forAll (Arb.fromGen case) (fun (spec, sdeSpec, u, xs) ->
        let m = toMixture spec
        let sde = toSde sdeSpec
        let k = kernelOf sde
        let t = u * sde.T
        // Evaluate at points of the right scale for p_t: x_t = alpha_t x + sigma_t-ish spread.
        let xs = xs |> Array.map (fun x -> scale (max (k.Alpha t) (k.Sigma t)) x)
        let logP (s: float) = noisedLogDensity m (k.Alpha s) (k.Sigma s) xs
        let h = 1e-4 * sde.T
        let dLogP = Array.init xs.Length (fun i -> derivative (fun s -> (logP s).[i]) t h)
        let s = noisedScore m (k.Alpha t) (k.Sigma t) xs
        let divS = noisedScoreDivergence m (k.Alpha t) (k.Sigma t) xs
        let f = drift sde t xs
        let divF = divergenceBatch (drift sde t) xs 1e-3
        let g2 = sde.Diffusion t ** 2.0
        for i in 0 .. xs.Length - 1 do
            let rhs = -divF.[i] - dot f.[i] s.[i] + 0.5 * g2 * (divS.[i] + norm2 s.[i])
            let magnitude = abs divF.[i] + abs (dot f.[i] s.[i]) + 0.5 * g2 * (abs divS.[i] + norm2 s.[i])
            Expect.close (sprintf "d log p/dt at t=%g (%A)" t sdeSpec) (1e-6 * (1.0 + magnitude)) dLogP.[i] rhs)
    |> check "Fokker-Planck" 40

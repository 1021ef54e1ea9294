/// Theorem 13 — the DSM target variance grows like 1/sigma^2 (001 eqs 16–19; Vincent 2011; Song and Ermon 2019, §4.2): with
/// grad log p(x~|x) = -(x~ - alpha x)/sigma^2 = -eps/sigma, E||grad log p(x~|x)||^2 = d/sigma^2, so for a fixed
/// affine field s(x) = A x + b the framework's DSM objective is exactly
///   J_DSM(sigma) = d/(2 sigma^2) + Tr A + 1/2 sigma^2 ||A||_F^2 + 1/2 E||alpha A x + b||^2,
/// which blows up as sigma -> 0 while sigma^2 J_DSM -> d/2. Expectations by Gauss–Hermite (exact here).
module Diffusion.Research.Theorems.DsmBlowUp

open System
open Xunit
open FsCheck.FSharp
open Diffusion.Research.Scores
open Diffusion.Research.Kernels
open Diffusion.Research.Numerics
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Quadrature
open Diffusion.Research.Theorems.Api
open Diffusion.Research.Theorems.Fields

/// Published source: Vincent 2011; Song and Ermon 2019, §4.2.
[<Fact>]
let ``DSM target second moment is d over sigma^2 and J_DSM blows up as sigma to 0 (001 eqs 16-19)`` () =
    let case =
        gen {
            let! spec = mixture [ 1; 2; 3 ]
            let! f = affineField spec.Dimension
            let! alpha = uniform 0.3 1.0
            return spec, f, alpha
        }
    Prop.forAll (Arb.fromGen case) (fun (spec, f, alpha) ->
        let d = spec.Dimension
        let model = affineScoreModel f
        let xRule = mixtureRule 3 spec
        let epsRule = gaussianRule 3 (Array.zeroCreate d) (identity d)
        let joint = [| for (x, wx) in xRule do for (e, we) in epsRule -> x, e, wx * we |]
        let data = joint |> Array.map (fun (x, _, _) -> x)
        let weights = joint |> Array.map (fun (_, _, w) -> w)
        let trA = trace f.A
        let frobenius = f.A |> Array.sumBy (Array.sumBy (fun v -> v * v))
        let drift = xRule |> Array.sumBy (fun (x, w) -> w * 0.5 * norm2 (add (scale alpha (matVec f.A x)) f.B))
        for sigma in [ 1.0; 0.1; 0.01; 0.001 ] do
            let kernel = constantKernel alpha sigma
            let noisy = joint |> Array.map (fun (x, e, _) -> add (scale alpha x) (scale sigma e))
            // the conditional-score target of the framework's kernel: E||grad log p(x~|x)||^2 = d / sigma^2
            let target = Batch(noisy.Length, d)
            kernel.At(0.0).Score(batchOf data, batchOf noisy, target)
            let second = Array.fold2 (fun acc w (row: float[]) -> acc + w * norm2 row) 0.0 weights (rowsOf target)
            Expect.closeRel (sprintf "sigma^2 E||target||^2 at sigma=%g" sigma) 1e-10 (float d) (sigma * sigma * second)
            let j = DenoisingScoreMatchingObjective.Evaluate(model, kernel, 0.0, batchOf data, batchOf noisy, ReadOnlySpan(weights))
            let expected = float d / (2.0 * sigma * sigma) + trA + 0.5 * sigma * sigma * frobenius + drift
            Expect.closeRel (sprintf "J_DSM at sigma=%g" sigma) 1e-9 expected j)
    |> check "DSM blow-up" 30

/// Checks of the measuring equipment itself (quadrature, finite differences, statistics), so that
/// a failing theorem property can be blamed on the framework and not on the test numerics.
module Diffusion.Research.Theorems.Equipment

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators

[<Fact>]
let ``Gauss-Hermite rule integrates Gaussian moments exactly`` () =
    let rule = gaussHermite 20
    // E Z^(2k) = (2k - 1)!!, exact for degree < 40.
    let doubleFactorial k = Seq.fold (*) 1.0 [ for j in 1 .. 2 .. 2 * k - 1 -> float j ]
    for k in 0 .. 8 do
        let m = rule |> Array.sumBy (fun (z, w) -> w * pown z (2 * k))
        Expect.closeRel (sprintf "E Z^%d" (2 * k)) 1e-10 (doubleFactorial k) m
    Expect.close "E Z^3" 1e-12 0.0 (rule |> Array.sumBy (fun (z, w) -> w * pown z 3))

[<Fact>]
let ``Tensor Gaussian rule reproduces mean and covariance`` () =
    let property =
        Prop.forAll (FsCheck.FSharp.Arb.fromGen (gaussian [ 1; 2; 3 ])) (fun g ->
            let m, c = g.Means.[0], g.Covariances.[0]
            let nodes = gaussianRule 4 m c
            let d = m.Length
            for i in 0 .. d - 1 do
                Expect.closeRel "mean" 1e-12 m.[i] (nodes |> Array.sumBy (fun (x, w) -> w * x.[i]))
                for j in 0 .. d - 1 do
                    let cij = nodes |> Array.sumBy (fun (x, w) -> w * (x.[i] - m.[i]) * (x.[j] - m.[j]))
                    Expect.closeRel "cov" 1e-12 c.[i].[j] cij)
    check "gaussianRule moments" 20 property

[<Fact>]
let ``Finite differences are fourth order accurate`` () =
    let f (x: float[]) = sin x.[0] * exp (0.5 * x.[1])
    let x = [| 0.3; -0.7 |]
    let g = gradient f x 1e-3
    Expect.closeRel "df/dx" 1e-10 (cos 0.3 * exp (-0.35)) g.[0]
    Expect.closeRel "df/dy" 1e-10 (0.5 * sin 0.3 * exp (-0.35)) g.[1]
    Expect.closeRel "laplacian" 1e-8 ((-1.0 + 0.25) * sin 0.3 * exp (-0.35)) (laplacian f x 1e-3)

[<Fact>]
let ``Normal CDF and Kolmogorov quantile`` () =
    Expect.close "Phi(1.96)" 2e-7 0.9750021048517795 (normalCdf 1.96)
    Expect.close "Phi(-1)" 2e-7 0.15865525393145707 (normalCdf -1.0)
    Expect.close "lambda(1e-3)" 1e-2 1.95 (kolmogorovQuantile 1e-3)

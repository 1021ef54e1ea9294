/// Theorem 1 — properties of the score s = grad log p (000 "Properties of the Score Function";
/// Lehmann and Casella 1998, §2.5; Stein 1981; Hyvärinen 2005, §2).
/// Expectations are Gauss–Hermite quadrature over random Gaussian mixtures (d = 1..3); the score is
/// the framework's exact mixture score.
module Diffusion.Research.Theorems.ScoreProperties

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Quadrature
open Diffusion.Research.Theorems.Api

// Quadrature tolerance: the trapezoid grid (Quadrature.gridRule) is accurate to rounding for these
// analytic, Gaussian-decaying integrands, so 1e-9 relative to the natural scale (Fisher information)
// leaves a wide margin for rounding while any real defect (a sign or factor error in the score)
// moves these quantities by O(1) relative.
let private tol = 1e-9

/// 000 property 1 (Lehmann and Casella 1998, §2.5): E_p[grad log p] = 0.
[<Fact>]
let ``score has zero mean (000 Properties of the score 1)`` () =
    Prop.forAll (Arb.fromGen (mixture [ 1; 2 ])) (fun spec ->
        let m = toMixture spec
        let rule = gridRule spec
        let mean = expectVectorBatch rule (score m)
        let fisherScale = sqrt (expectBatch rule (fun xs -> score m xs |> Array.map norm2))
        for j in 0 .. spec.Dimension - 1 do
            Expect.close (sprintf "E[s]_%d" j) (tol * fisherScale) 0.0 mean.[j])
    |> check "score zero mean" 30

/// 000 property 2 (Lehmann and Casella 1998, §2.5): Cov_p(s) = E[s s^T] is the Fisher information, which also equals -E[Hess log p]
/// (information identity); for a single Gaussian both are Sigma^{-1}.
[<Fact>]
let ``score covariance is the Fisher information (000 Properties of the score 2)`` () =
    Prop.forAll (Arb.fromGen (mixture [ 1; 2 ])) (fun spec ->
        let m = toMixture spec
        let d = spec.Dimension
        let rule = gridRule spec
        let xs = rule |> Array.map fst
        let s = score m xs
        // -Hess log p by finite differences of the framework score (h = 1e-4: O(h^4) truncation).
        let hess = jacobianBatch (score m) xs 1e-4
        let scaleI = sqrt (Array.fold2 (fun acc (_, w) (v: float[]) -> acc + w * norm2 v) 0.0 rule s)
        for i in 0 .. d - 1 do
            for j in 0 .. d - 1 do
                let ess = Array.fold2 (fun acc (_, w) (v: float[]) -> acc + w * v.[i] * v.[j]) 0.0 rule s
                let eh = Array.fold2 (fun acc (_, w) (h: float[][]) -> acc - w * h.[i].[j]) 0.0 rule hess
                Expect.close (sprintf "E[s s^T]_%d%d vs -E[H]" i j) (1e-8 * scaleI * scaleI) eh ess
        if spec.Components = 1 then
            // For a single Gaussian the same identity is Sigma^{-1}, checked against the test's own inverse.
            let inv = inverseSpd spec.Covariances.[0]
            for i in 0 .. d - 1 do
                for j in 0 .. d - 1 do
                    let ess = Array.fold2 (fun acc (_, w) (v: float[]) -> acc + w * v.[i] * v.[j]) 0.0 rule s
                    Expect.closeRel (sprintf "Gaussian Fisher_%d%d = Sigma^-1" i j) 1e-9 inv.[i].[j] ess)
    |> check "Fisher information" 12

/// A random smooth test function f(x) = tanh(a.x + b) (1 + c |x|^2 / 10) and its exact gradient.
type private TestFunction = { A: float[]; B: float; C: float }

let private testFunction d =
    gen {
        let! a = vector d -1.5 1.5
        let! b = uniform -1.0 1.0
        let! c = uniform 0.0 1.0
        return { A = a; B = b; C = c }
    }

let private fValue (f: TestFunction) (x: float[]) = tanh (dot f.A x + f.B) * (1.0 + f.C * norm2 x / 10.0)

let private fGrad (f: TestFunction) (x: float[]) =
    let u = dot f.A x + f.B
    let t = tanh u
    let q = 1.0 + f.C * norm2 x / 10.0
    Array.init x.Length (fun i -> (1.0 - t * t) * f.A.[i] * q + t * f.C * 2.0 * x.[i] / 10.0)

/// 000 property 3 (Stein's identity; Stein 1981, Lemma 1; Liu, Lee and Jordan 2016): E_p[f(x) grad log p(x) + grad f(x)] = 0
/// for smooth f.
[<Fact>]
let ``Stein identity holds for random test functions (000 Properties of the score 3)`` () =
    let case =
        gen {
            let! spec = mixture [ 1; 2 ]
            let! f = testFunction spec.Dimension
            return spec, f
        }
    Prop.forAll (Arb.fromGen case) (fun (spec, f) ->
        let m = toMixture spec
        let rule = gridRule spec
        let stein =
            expectVectorBatch rule (fun xs ->
                let s = score m xs
                Array.map2 (fun (x: float[]) (sx: float[]) -> add (scale (fValue f x) sx) (fGrad f x)) xs s)
        let magnitude =
            expectBatch rule (fun xs -> score m xs |> Array.mapi (fun i sx -> abs (fValue f xs.[i]) * sqrt (norm2 sx)))
        for j in 0 .. spec.Dimension - 1 do
            Expect.close (sprintf "Stein_%d" j) (tol * (1.0 + magnitude)) 0.0 stein.[j])
    |> check "Stein identity" 30

/// 000 property 4 (Hyvärinen 2005, §2): grad log (Z p) = grad log p for any normalising constant Z, and the framework score is
/// that gradient (finite differences of the framework log-density shifted by log Z).
[<Fact>]
let ``score is invariant to the normalising constant (000 Properties of the score 4)`` () =
    let case =
        gen {
            let! spec = mixture [ 1; 2; 3; 4 ]
            let! logZ = uniform -50.0 50.0
            let! points = Gen.arrayOfLength 5 (vector spec.Dimension -3.0 3.0)
            return spec, logZ, points
        }
    Prop.forAll (Arb.fromGen case) (fun (spec, logZ, points) ->
        let m = toMixture spec
        let s = score m points
        for i in 0 .. points.Length - 1 do
            let unnormalised (x: float[]) = (logDensity m [| x |]).[0] + logZ
            let g = gradient unnormalised points.[i] 1e-4
            Expect.allCloseRel "grad log(Z p) vs score" 1e-6 g s.[i])
    |> check "normalising constant" 30

/// Theorem 15 — discrete chains approach the continuous kernels (001 eqs 49–58; 003 §4.1.1; Song et al. 2021, eqs (8)–(9) and
/// eqs (5)–(6)):
///  * SMLD: x_i = x_{i-1} + sqrt(sigma_i^2 - sigma_{i-1}^2) eps (001 eq 50; Song et al. 2021, eqs (8)–(9)) with sigma_i =
/// sigma(t_i) has
///    x_N | x_0 ~ N(x_0, sigma(t)^2 - sigma(0)^2): the VE kernel, exactly, at every grid point (telescoping);
///  * DDPM: x_i = sqrt(1 - beta_i) x_{i-1} + sqrt(beta_i) eps (001 eq 55; Song et al. 2021, eqs (10)–(11)) with beta_i =
/// beta(t_i) dt has
///    x_N | x_0 ~ N(prod sqrt(1 - beta_i) x_0, 1 - prod (1 - beta_i)) -> the VP kernel, error O(1/N).
/// The chains' kernels are computed by their exact moment recursions (mean factor and variance).
module Diffusion.Research.Theorems.DiscreteToContinuous

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Sde
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Generators

/// Mean factor and variance of a linear Gaussian chain x_i = a_i x_{i-1} + b_i eps after all steps.
let chain (steps: (float * float) seq) =
    steps |> Seq.fold (fun (m, v) (a, b) -> a * m, a * a * v + b * b) (1.0, 0.0)

/// Published source: Song et al. 2021, eqs (8)–(9).
[<Fact>]
let ``SMLD chain has the VE kernel at every grid point (001 eqs 50-51)`` () =
    let case =
        gen {
            let! sMin = logUniform 0.01 0.1
            let! sMax = logUniform 2.0 50.0
            let! n = Gen.choose (5, 500)
            return sMin, sMax, n
        }
    Prop.forAll (Arb.fromGen case) (fun (sMin, sMax, n) ->
        let ve = VeSde(sMin, sMax)
        let times = Array.init (n + 1) (fun i -> float i / float n)
        let mutable state = 1.0, 0.0
        for j in 1 .. n do
            state <- chain (seq { yield (1.0, sqrt (fst state ** 2.0 * snd state)) ; yield 1.0, sqrt (ve.NoiseScale times.[j] ** 2.0 - ve.NoiseScale times.[j - 1] ** 2.0) })
            let m, v = state
            Expect.closeRel "SMLD mean factor" 1e-14 (ve.Alpha times.[j]) m
            Expect.closeRel (sprintf "SMLD variance at t=%g" times.[j]) 1e-10 (ve.Sigma times.[j] ** 2.0) v)
    |> check "SMLD -> VE" 30

/// Published source: Song et al. 2021, eqs (10)–(11).
[<Fact>]
let ``DDPM chain approaches the VP kernel as the number of steps grows (001 eqs 55-58)`` () =
    let case =
        gen {
            let! bMin = uniform 0.05 0.5
            let! bMax = uniform 5.0 20.0
            let! t = uniform 0.1 1.0
            return bMin, bMax, t
        }
    Prop.forAll (Arb.fromGen case) (fun (bMin, bMax, t) ->
        let vp = VpSde.Linear(bMin, bMax)
        let ddpm n =
            let dt = t / float n
            // beta_i = beta(t at the middle of step i) dt (001 eq 57: beta~ = beta_i / dt; Song et al. 2021, eqs (10)–(11))
            chain (seq { for i in 1 .. n -> let b = vp.Schedule.Beta((float i - 0.5) * dt) * dt in sqrt (1.0 - b), sqrt b })
        let errorAt n =
            let m, v = ddpm n
            max (abs (m - vp.Alpha t)) (abs (v - vp.Sigma t ** 2.0))
        let e1, e2, e3 = errorAt 100, errorAt 1000, errorAt 10000
        // O(1/N): log prod(1 - beta_i) = -sum beta_i - 1/2 sum beta_i^2 - ..., and sum beta_i^2 <= bMax^2 t^2 / N.
        Expect.atMost "error at N = 10000" (bMax * bMax * t * t / 10000.0) e3
        Expect.atMost "error shrinks ~10x per 10x steps (1e3 vs 1e2)" (e1 / 5.0) e2
        Expect.atMost "error shrinks ~10x per 10x steps (1e4 vs 1e3)" (e2 / 5.0) e3)
    |> check "DDPM -> VP" 30

/// 001 eq 44/46 (correct form: Ho et al. 2020, eq (4)) as printed, alpha_t = prod_{i=1}^T sqrt(1 - beta_t) and sigma_t^2 = 1 -
/// alpha_t, is not the
/// chain's kernel: the product runs to t (not T) over beta_i, and sigma_t^2 = 1 - alpha_t^2 (docs/errata.md).
[<Fact>]
let ``001 eq 44 as printed disagrees with the DDPM chain (erratum)`` () =
    let betas = Array.init 50 (fun i -> 1e-3 + 0.02 * float i / 49.0)
    let t = 20
    let m, v = chain (seq { for i in 0 .. t - 1 -> sqrt (1.0 - betas.[i]), sqrt betas.[i] })
    let printedAlpha = Seq.init betas.Length (fun _ -> sqrt (1.0 - betas.[t - 1])) |> Seq.fold (*) 1.0
    let correctAlpha = Seq.init t (fun i -> sqrt (1.0 - betas.[i])) |> Seq.fold (*) 1.0
    Expect.closeRel "correct alpha_t" 1e-14 correctAlpha m
    Expect.closeRel "correct sigma_t^2 = 1 - alpha_t^2" 1e-14 (1.0 - correctAlpha * correctAlpha) v
    Expect.atLeast "printed alpha_t misses" 1e-2 (abs (printedAlpha - m))
    Expect.atLeast "printed sigma_t^2 = 1 - alpha_t misses" 1e-2 (abs ((1.0 - m) - v))

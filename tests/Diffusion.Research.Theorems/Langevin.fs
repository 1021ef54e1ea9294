/// Theorem 7 (stationary part) — Langevin dynamics and the OU process:
///  * the stationary distribution of dx = 1/2 grad log p dt + dB is p (001 eqs 95–101; Roberts and Tweedie 1996): the Fokker–Planck
///    operator -div(f p) + 1/2 lap p of the framework's OverdampedLangevinSde vanishes at p;
///  * long unadjusted-Langevin (Euler–Maruyama) runs reach p within the step-size bias: for a Gaussian
///    target N(mu, S) the chain x' = x + h/2 s(x) + sqrt(h) xi has the exact stationary law
///    N(mu, S (I - h S^-1 / 4)^-1) (solve V = (I - h P/2) V (I - h P/2) + h I, P = S^-1), which -> p as h -> 0;
///  * the OU process dx = -theta x dt + s dB reaches N(0, s^2/(2 theta)) (002 "OU process";
/// Uhlenbeck and Ornstein 1930; the slide's
///    exp(-|x|^2 / 2 s^2) drops the 2 theta, see docs/errata.md). Its Euler–Maruyama chain has stationary
///    variance s^2 / (theta (2 - theta h)).
/// Sample checks are one-sample Kolmogorov–Smirnov tests on projections with thresholds from N.
module Diffusion.Research.Theorems.Langevin

open System
open Xunit
open FsCheck.FSharp
open Diffusion.Research.Numerics
open Diffusion.Research.Sampling
open Diffusion.Research.Sde
open Diffusion.Research.Solvers
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Api

/// Published source: Roberts and Tweedie 1996.
[<Fact>]
let ``Fokker-Planck operator of overdamped Langevin vanishes at its target (001 eqs 97-99)`` () =
    let case =
        gen {
            let! spec = mixture [ 1; 2; 3 ]
            let! xs = Gen.arrayOfLength 4 (vector spec.Dimension -2.5 2.5)
            return spec, xs
        }
    Prop.forAll (Arb.fromGen case) (fun (spec, xs) ->
        let m = toMixture spec
        let langevin = OverdampedLangevinSde(m)
        let g2 = langevin.Diffusion 0.5 ** 2.0
        let p (ys: float[][]) = logDensity m ys |> Array.map exp
        let flux (ys: float[][]) = Array.map2 (fun (f: float[]) pv -> scale pv f) (drift langevin 0.5 ys) (p ys)
        let h = 1e-3
        let divFlux = divergenceBatch flux xs h
        let lapP = xs |> Array.map (fun x -> laplacian (fun y -> (p [| y |]).[0]) x h)
        for i in 0 .. xs.Length - 1 do
            let magnitude = abs divFlux.[i] + 0.5 * g2 * abs lapP.[i] + 1e-300
            Expect.close "-div(f p) + 1/2 g^2 lap p" (1e-6 * magnitude) 0.0 (-divFlux.[i] + 0.5 * g2 * lapP.[i]))
    |> check "Langevin stationarity (Fokker-Planck)" 40

/// KS thresholds: each case makes `tests` one-sample KS tests of N samples; with a family-wise
/// false-alarm rate of 1e-3 per case the per-test level is 1e-3 / tests and the threshold is
/// kolmogorovQuantile(level) / sqrt N (Numerics.kolmogorovQuantile).
let ksThreshold (n: int) (tests: int) = kolmogorovQuantile (1e-3 / float tests) / sqrt (float n)

/// Projections u_j^T x of the rows of a batch.
let project (b: Batch) (u: float[]) = Array.init b.Count (fun i -> dot (b.Row(i).ToArray()) u)

/// Unit directions: the coordinate axes plus one random direction.
let directions (d: int) (extra: float[]) =
    let n = sqrt (norm2 extra)
    [ for j in 0 .. d - 1 -> Array.init d (fun i -> if i = j then 1.0 else 0.0) ] @ (if d > 1 && n > 1e-3 then [ scale (1.0 / n) extra ] else [])

/// Published source: Roberts and Tweedie 1996.
[<Fact>]
let ``unadjusted Langevin reaches a Gaussian target within the step-size bias (001 eq 95)`` () =
    let case =
        gen {
            let! target = gaussian [ 1; 2; 3 ]
            let! extra = vector target.Dimension -1.0 1.0
            let! seed = noiseSeed
            return target, extra, seed
        }
    Prop.forAll (Arb.fromGen case) (fun (target, extra, seed) ->
        let d = target.Dimension
        let n, h, horizon = 2000, 0.02, 16.0
        let m = toMixture target
        let langevin = OverdampedLangevinSde(m, horizon)
        // Start from N(mu, I) (framework noise, its own stream).
        let noise = NoiseSource(seed)
        let x = Batch(n, d)
        noise.Derive(1UL).FillGaussian(0u, 0L, x)
        for i in 0 .. n - 1 do
            let row = x.Row(i)
            for j in 0 .. d - 1 do
                row.[j] <- row.[j] + target.Means.[0].[j]
        let solution =
            EulerMaruyama().Solve(SamplingProblem.Of(langevin), x, TimeGrid.Uniform(0.0, horizon, int (horizon / h)), SolveOptions().WithNoise(noise.Derive(2UL)))
        Assert.Equal(SolveStatus.Success, solution.Status)
        // Exact ULA stationary covariance V = S (I - h S^-1 / 4)^-1 = (S^-1 - h/4 I)^-1.
        let p = inverseSpd target.Covariances.[0]
        let v = inverseSpd (Array.init d (fun i -> Array.init d (fun j -> p.[i].[j] - (if i = j then h / 4.0 else 0.0))))
        let dirs = directions d extra
        let threshold = ksThreshold n dirs.Length
        for u in dirs do
            let mean = dot u target.Means.[0]
            let sd = sqrt (dot u (matVec v u))
            let ks = ksStatistic (fun z -> normalCdf ((z - mean) / sd)) (project solution.Samples u)
            Expect.atMost "KS distance to the ULA stationary law" threshold ks
        // and the step-size bias itself vanishes with h: |V - S| <= (h/4) |S|^2 / (1 - h/4 |S|) entrywise-ish.
        let sNorm = target.Covariances.[0] |> Array.sumBy (Array.sumBy abs)
        for i in 0 .. d - 1 do
            for j in 0 .. d - 1 do
                Expect.atMost "ULA variance bias" (h * sNorm * sNorm) (abs (v.[i].[j] - target.Covariances.[0].[i].[j])))
    |> check "ULA Gaussian" 4

/// Published source: Uhlenbeck and Ornstein 1930.
[<Fact>]
let ``OU process reaches N(0, s^2 over 2 theta) (002 OU process)`` () =
    let case =
        gen {
            let! theta = uniform 0.2 3.0
            let! s = uniform 0.3 2.0
            let! d = Gen.choose (1, 2)
            let! seed = noiseSeed
            return theta, s, d, seed
        }
    Prop.forAll (Arb.fromGen case) (fun (theta, s, d, seed) ->
        let n = 4000
        let horizon = 8.0 / theta // variance within e^-16 of stationary
        let steps = 800
        let h = horizon / float steps
        let ou = OrnsteinUhlenbeckSde(theta, s, horizon)
        Expect.closeRel "StationaryVariance" 1e-14 (s * s / (2.0 * theta)) ou.StationaryVariance
        let x = Batch(n, d) // start at 0
        let solution = EulerMaruyama().Solve(SamplingProblem.Of(ou), x, TimeGrid.Uniform(0.0, horizon, steps), SolveOptions().WithNoise(NoiseSource(seed)))
        Assert.Equal(SolveStatus.Success, solution.Status)
        // Euler–Maruyama's own stationary variance s^2 h / (1 - (1 - theta h)^2) = s^2 / (theta (2 - theta h)),
        // within 1 - e^-16 of reached; it differs from s^2/(2 theta) by the factor 2/(2 - theta h) = 1 + O(h).
        let emVar = s * s / (theta * (2.0 - theta * h)) * (1.0 - (1.0 - theta * h) ** (2.0 * float steps))
        let threshold = ksThreshold n d
        for j in 0 .. d - 1 do
            let u = Array.init d (fun i -> if i = j then 1.0 else 0.0)
            let ks = ksStatistic (fun z -> normalCdf (z / sqrt emVar)) (project solution.Samples u)
            Expect.atMost "KS distance to N(0, s^2/(2 theta)) (EM-corrected)" threshold ks
        Expect.atMost "EM stationary variance bias" (theta * h) (abs (emVar / ou.StationaryVariance - 1.0)))
    |> check "OU stationary" 8

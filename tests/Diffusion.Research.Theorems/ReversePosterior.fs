/// Theorem 10 — the reverse conditional kernel (003 Lemma 4.4.2; 003 Lemma 2.2.2 for DDPM; Kingma et al. 2021; Ho et al. 2020,
/// eqs (6)–(7)) equals Bayes'
/// rule p(x_s | x_t, x_0) ∝ p(x_t | x_s) p(x_s | x_0) computed numerically (1-D trapezoid in x_s), and the
/// DDPM KL term with a shared variance equals 1/2 (SNR(s) - SNR(t)) ||x_0 - x0_hat||^2 (003 eq 4.4.7; Kingma et al. 2021
/// (SNR-weighted loss);
/// the framework names the earlier time s < t, the document t < s).
module Diffusion.Research.Theorems.ReversePosterior

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Numerics
open Diffusion.Research.Kernels
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Api

/// Posterior mean and variance of x_s given x_t and x_0 by Bayes' rule on a grid: prior N(a_s x0, v_s)
/// (kernel at s), likelihood N(x_t; a x_s, v) with the between-time a = alpha_t/alpha_s,
/// v = sigma_t^2 - a^2 sigma_s^2 (003 eq 4.4.5, the Markov transition from s to t; Kingma et al. 2021).
let bayesPosterior (alphaS: float) (sigmaS: float) (alphaT: float) (sigmaT: float) (xt: float) (x0: float) =
    let a = alphaT / alphaS
    let v = sigmaT * sigmaT - a * a * sigmaS * sigmaS
    let logDensity (xs: float) =
        -0.5 * (xt - a * xs) ** 2.0 / v - 0.5 * (xs - alphaS * x0) ** 2.0 / (sigmaS * sigmaS)
    // The posterior lies between the prior mean alpha_s x0 and the likelihood peak x_t / a, and is narrower
    // than both factors: a grid over [min - 12 sd, max + 12 sd] (sd the wider factor) with 40001 points
    // resolves it (the trapezoid rule is spectrally accurate for these Gaussian integrands).
    let priorMean, peak = alphaS * x0, xt / a
    let sd = max sigmaS (sqrt v / a)
    let lo, hi = min priorMean peak - 12.0 * sd, max priorMean peak + 12.0 * sd
    let n = 40001
    let h = (hi - lo) / float (n - 1)
    let xsGrid = Array.init n (fun i -> lo + h * float i)
    let logs = xsGrid |> Array.map logDensity
    let top = Array.max logs
    let w = logs |> Array.map (fun l -> exp (l - top))
    let z = Array.sum w
    let mean = Array.fold2 (fun acc wi xi -> acc + wi * xi) 0.0 w xsGrid / z
    let var = Array.fold2 (fun acc wi xi -> acc + wi * (xi - mean) ** 2.0) 0.0 w xsGrid / z
    mean, var

let private case =
    gen {
        let! sdeSpec = sde
        let! u1 = uniform 0.05 0.95
        let! u2 = uniform 0.05 0.95
        let! x0 = uniform -3.0 3.0
        let! z = uniform -2.0 2.0
        return sdeSpec, min u1 u2, max u1 u2 + 1e-3, x0, z
    }

/// Published source: Kingma et al. 2021.
[<Fact>]
let ``reverse conditional kernel equals Bayes rule (003 Lemma 4.4.2)`` () =
    Prop.forAll (Arb.fromGen case) (fun (sdeSpec, us, ut, x0, z) ->
        let sdeObj = toSde sdeSpec
        let k = kernelOf sdeObj
        let s, t = us * sdeObj.T, min ut 1.0 * sdeObj.T
        let xt = k.Alpha t * x0 + k.Sigma t * z
        let mean, var = bayesPosterior (k.Alpha s) (k.Sigma s) (k.Alpha t) (k.Sigma t) xt x0
        let post = k.Posterior(s, t)
        let fw = Batch(1, 1)
        post.Mean(Batch([| xt |], 1, 1), Batch([| x0 |], 1, 1), fw)
        Expect.close (sprintf "posterior mean (%A, s=%g, t=%g)" sdeSpec s t) (1e-7 * (1.0 + abs mean)) mean fw.[0, 0]
        Expect.closeRel (sprintf "posterior variance (%A, s=%g, t=%g)" sdeSpec s t) 1e-6 var post.Variance)
    |> check "Lemma 4.4.2 vs Bayes" 60

/// KL(N(mu, v I) || N(mu_hat, v I)) = ||mu - mu_hat||^2 / (2 v) with mu_hat the posterior mean at x0_hat
/// (x-prediction) equals 1/2 (SNR(s) - SNR(t)) ||x0 - x0_hat||^2 (003 eq 4.4.7; Kingma et al. 2021 (SNR-weighted loss)).
[<Fact>]
let ``DDPM KL term is the SNR-weighted x0 regression (003 eq 4.4.7)`` () =
    let kl =
        gen {
            let! c = case
            let! d = Gen.choose (1, 4)
            let! x0 = vector d -3.0 3.0
            let! xhat = vector d -3.0 3.0
            let! xt = vector d -3.0 3.0
            return c, x0, xhat, xt
        }
    Prop.forAll (Arb.fromGen kl) (fun ((sdeSpec, us, ut, _, _), x0, xhat, xt) ->
        let sdeObj = toSde sdeSpec
        let k = kernelOf sdeObj
        let s, t = us * sdeObj.T, min ut 1.0 * sdeObj.T
        let post = k.Posterior(s, t)
        let d = x0.Length
        let mean (data: float[]) =
            let out = Batch(1, d)
            post.Mean(Batch(Array.copy xt, 1, d), Batch(Array.copy data, 1, d), out)
            out.Row(0).ToArray()
        let klValue = norm2 (sub (mean x0) (mean xhat)) / (2.0 * post.Variance)
        let snrForm = 0.5 * (k.Snr s - k.Snr t) * norm2 (sub x0 xhat)
        Expect.closeRel (sprintf "KL (%A, s=%g, t=%g)" sdeSpec s t) 1e-9 snrForm klValue)
    |> check "eq 4.4.7" 60

/// 004 §5.1 (correct form: Ho et al. 2020, eqs (6)–(7)) prints the data weight of the DDPM posterior mean as sqrt(alpha_t
/// beta_t)/(1 -
/// alpha_t) (alpha_t the
/// cumulative product of 1 - beta); Bayes' rule, 004 §3.4 and 003 Lemma 2.2.2 (Ho et al. 2020, eqs (6)–(7)) give
/// sqrt(alpha_{t-1}) beta_t/(1 - alpha_t).
[<Fact>]
let ``004 §5.1 as printed disagrees with Bayes' rule (erratum)`` () =
    let betas = Array.init 100 (fun i -> 1e-4 + 0.02 * float i / 99.0)
    let cumulative = Array.scan (fun acc b -> acc * (1.0 - b)) 1.0 betas // cumulative.[t] = prod_{i <= t} (1 - beta_i)
    for t in [ 2; 10; 50; 100 ] do
        let beta = betas.[t - 1]
        let aPrev, aNow = cumulative.[t - 1], cumulative.[t]
        // Bayes on a grid: the mean is linear in (x_t, x_0); read the data weight off two x_0 values.
        let meanAt x0 = fst (bayesPosterior (sqrt aPrev) (sqrt (1.0 - aPrev)) (sqrt aNow) (sqrt (1.0 - aNow)) 0.3 x0)
        let dataWeight = (meanAt 1.0 - meanAt -1.0) / 2.0
        Expect.closeRel (sprintf "t=%d: sqrt(alpha_{t-1}) beta_t/(1 - alpha_t)" t) 1e-6 (sqrt aPrev * beta / (1.0 - aNow)) dataWeight
        Expect.atLeast (sprintf "t=%d: printed sqrt(alpha_t beta_t)/(1 - alpha_t) misses" t) 1e-3
            (abs (sqrt (aNow * beta) / (1.0 - aNow) - dataWeight) / dataWeight)

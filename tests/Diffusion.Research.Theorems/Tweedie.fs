/// Theorem 4 — Tweedie's formula (000 "Tweedie's Formula"; 001 eqs 24–26; 003 §3.3.4; Robbins 1956; Efron 2011) and its
/// second-order form (003 §3.3.4 "Higher-order Tweedie"; Robbins 1956; Efron 2011):
///   alpha E[x | y] = y + sigma^2 grad log p_sigma(y),
///   alpha^2 Cov[x | y] = sigma^2 I + sigma^4 Hess log p_sigma(y)      (003 and Efron 2011 state alpha = 1)
/// for y = alpha x + sigma eps and Gaussian-mixture priors x ~ p, with E[x|y] and Cov[x|y] from Bayes'
/// rule in closed form (the posterior of a mixture prior under a Gaussian likelihood is a mixture).
module Diffusion.Research.Theorems.Tweedie

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Numerics
open Diffusion.Research.Scores
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Api

/// Bayes' rule for a mixture prior and y | x ~ N(alpha x, sigma^2 I): component k has evidence
/// N(y; alpha mu_k, C_k), C_k = alpha^2 S_k + sigma^2 I, posterior mean mu_k + alpha S_k C_k^-1 (y - alpha mu_k)
/// and covariance S_k - alpha^2 S_k C_k^-1 S_k; the posterior weights are w_k N(y; alpha mu_k, C_k) normalised.
let posterior (spec: MixtureSpec) (alpha: float) (sigma: float) (y: float[]) =
    let d = spec.Dimension
    let parts =
        Array.init spec.Components (fun k ->
            let s = spec.Covariances.[k]
            let c = Array.init d (fun i -> Array.init d (fun j -> alpha * alpha * s.[i].[j] + (if i = j then sigma * sigma else 0.0)))
            let cInv = inverseSpd c
            let r = sub y (scale alpha spec.Means.[k])
            let logEvidence = log spec.Weights.[k] - 0.5 * (logDetSpd c + dot r (matVec cInv r))
            let gain = matMul s cInv
            let mean = add spec.Means.[k] (scale alpha (matVec gain r))
            let gs = matMul gain s
            let cov = Array.init d (fun i -> Array.init d (fun j -> s.[i].[j] - alpha * alpha * gs.[i].[j]))
            logEvidence, mean, cov)
    let top = parts |> Array.map (fun (l, _, _) -> l) |> Array.max
    let weights = parts |> Array.map (fun (l, _, _) -> exp (l - top))
    let total = Array.sum weights
    let weights = weights |> Array.map (fun w -> w / total)
    let mean = Array.fold2 (fun acc w (_, m, _) -> add acc (scale w m)) (Array.zeroCreate d) weights parts
    let cov =
        Array.init d (fun i ->
            Array.init d (fun j ->
                Array.fold2 (fun acc w (_, (m: float[]), (c: float[][])) -> acc + w * (c.[i].[j] + m.[i] * m.[j])) 0.0 weights parts
                - mean.[i] * mean.[j]))
    mean, cov

let private case =
    gen {
        let! spec = mixture [ 1; 2; 3; 4 ]
        let! alpha = uniform 0.2 1.5
        let! sigma = uniform 0.15 2.0
        let! ys = Gen.arrayOfLength 4 (vector spec.Dimension -3.0 3.0)
        return spec, alpha, sigma, ys
    }

/// Rows of a framework prediction conversion (PredictionConversion.Convert) at (alpha, sigma).
let convert (from: Prediction) (``to``: Prediction) (alpha: float) (sigma: float) (xs: float[][]) (predictions: float[][]) =
    let dest = Batch(xs.Length, xs.[0].Length)
    PredictionConversion.Convert(from, ``to``, alpha, sigma, batchOf xs, batchOf predictions, dest)
    rowsOf dest

/// First order: alpha E[x|y] = y + sigma^2 grad log p_sigma(y), with the framework's noised score against
/// (a) the Bayes closed form above, (b) the framework's own posterior mean, (c) the framework's
/// score -> x0 conversion (Tweedie as the library applies it) and (d) its score -> eps conversion,
/// E[eps|y] = (y - alpha E[x|y]) / sigma = -sigma s (001 eqs 26, 37; Robbins 1956; Efron 2011).
[<Fact>]
let ``Tweedie posterior mean equals y plus sigma^2 times the noised score (003 §3.3.4)`` () =
    Prop.forAll (Arb.fromGen case) (fun (spec, alpha, sigma, ys) ->
        let m = toMixture spec
        let s = noisedScore m alpha sigma ys
        let framework = noisedPosteriorMean m alpha sigma ys
        let x0FromScore = convert Prediction.Score Prediction.Data alpha sigma ys s
        let epsFromScore = convert Prediction.Score Prediction.Epsilon alpha sigma ys s
        for i in 0 .. ys.Length - 1 do
            let tweedie = add ys.[i] (scale (sigma * sigma) s.[i])
            let bayes, _ = posterior spec alpha sigma ys.[i]
            Expect.allCloseRel "alpha E[x|y] (Bayes) vs y + sigma^2 s" 1e-9 (scale alpha bayes) tweedie
            Expect.allCloseRel "alpha E[x|y] (framework) vs y + sigma^2 s" 1e-9 (scale alpha framework.[i]) tweedie
            Expect.allCloseRel "score -> x0 conversion vs Bayes E[x|y]" 1e-9 bayes x0FromScore.[i]
            Expect.allCloseRel "score -> eps conversion vs E[eps|y]" 1e-9 (scale (1.0 / sigma) (sub ys.[i] (scale alpha bayes))) epsFromScore.[i])
    |> check "Tweedie first order" 60

/// Second order: alpha^2 Cov[x|y] = sigma^2 I + sigma^4 Hess log p_sigma(y) (003 §3.3.4 (Robbins 1956; Efron 2011) for
/// alpha = 1; the
/// alpha^2 follows from applying it to alpha x). The Hessian is the finite-difference Jacobian of the
/// framework's noised score (h = 1e-4 sigma, fourth order).
[<Fact>]
let ``Second-order Tweedie gives the posterior covariance (003 §3.3.4)`` () =
    Prop.forAll (Arb.fromGen case) (fun (spec, alpha, sigma, ys) ->
        let m = toMixture spec
        let d = spec.Dimension
        let hess = jacobianBatch (noisedScore m alpha sigma) ys (1e-4 * sigma)
        for p in 0 .. ys.Length - 1 do
            let _, cov = posterior spec alpha sigma ys.[p]
            let scaleC = max (sigma * sigma) (trace cov * alpha * alpha)
            for i in 0 .. d - 1 do
                for j in 0 .. d - 1 do
                    let lhs = alpha * alpha * cov.[i].[j]
                    let rhs = (if i = j then sigma * sigma else 0.0) + pown sigma 4 * hess.[p].[i].[j]
                    Expect.close (sprintf "alpha^2 Cov[x|y]_%d%d" i j) (1e-6 * scaleC) lhs rhs)
    |> check "Tweedie second order" 40

/// Theorem 11 — parametrisations (001 eqs 37–38; Ho et al. 2020, §3.2; Karras et al. 2022, eq (3)): s = -eps/sigma = -(x - alpha
/// x0)/sigma^2. For arbitrary
/// (not optimal) predictions the framework's conversions must agree with these formulas, and every
/// conversion a -> b -> a must round-trip, for all four kinds (score, eps, x0, v = alpha eps - sigma x0).
[<Fact>]
let ``parametrisations s = -eps over sigma = -(x - alpha x0) over sigma^2 round-trip (001 eqs 37-38)`` () =
    let kinds = [ Prediction.Score; Prediction.Epsilon; Prediction.Data; Prediction.Velocity ]
    let case =
        gen {
            let! d = Gen.choose (1, 4)
            let! alpha = uniform 0.05 1.5
            let! sigma = uniform 0.05 3.0
            let! xs = Gen.arrayOfLength 3 (vector d -3.0 3.0)
            let! ps = Gen.arrayOfLength 3 (vector d -3.0 3.0)
            return alpha, sigma, xs, ps
        }
    Prop.forAll (Arb.fromGen case) (fun (alpha, sigma, xs, ps) ->
        // 001 eq 38 (Ho et al. 2020, §3.2; Karras et al. 2022, eq (3)) with the prediction read as eps, then as x0.
        let sFromEps = convert Prediction.Epsilon Prediction.Score alpha sigma xs ps
        let sFromX0 = convert Prediction.Data Prediction.Score alpha sigma xs ps
        let epsFromX0 = convert Prediction.Data Prediction.Epsilon alpha sigma xs ps
        for i in 0 .. xs.Length - 1 do
            Expect.allCloseRel "s = -eps/sigma" 1e-12 (scale (-1.0 / sigma) ps.[i]) sFromEps.[i]
            Expect.allCloseRel "s = -(x - alpha x0)/sigma^2" 1e-12 (scale (-1.0 / (sigma * sigma)) (sub xs.[i] (scale alpha ps.[i]))) sFromX0.[i]
            Expect.allCloseRel "eps = (x - alpha x0)/sigma" 1e-12 (scale (1.0 / sigma) (sub xs.[i] (scale alpha ps.[i]))) epsFromX0.[i]
        for a in kinds do
            for b in kinds do
                let there = convert a b alpha sigma xs ps
                let back = convert b a alpha sigma xs there
                for i in 0 .. xs.Length - 1 do
                    Expect.allCloseRel (sprintf "%A -> %A -> %A" a b a) 1e-9 ps.[i] back.[i])
    |> check "parametrisations" 50

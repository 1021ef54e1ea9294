/// Deterministic expectations under a Gaussian mixture: tensor Gauss–Hermite per component, weighted
/// by the mixture weights. Exact for polynomial integrands of degree < 2n; spectrally convergent for
/// the smooth (analytic) integrands of the score theorems.
module Diffusion.Research.Theorems.Quadrature

open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators

/// Nodes and weights of E_p[f] for a mixture spec, n points per axis and component.
let mixtureRule (n: int) (spec: MixtureSpec) =
    Array.init spec.Components (fun k ->
        gaussianRule n spec.Means.[k] spec.Covariances.[k] |> Array.map (fun (x, w) -> x, w * spec.Weights.[k]))
    |> Array.concat

/// A spec's components noised by x_t = alpha x_0 + sigma eps: N(alpha mu_k, alpha^2 S_k + sigma^2 I)
/// (the test's own Gaussian algebra, used only to place quadrature nodes).
let noisedSpec (alpha: float) (sigma: float) (spec: MixtureSpec) =
    { spec with
        Means = spec.Means |> Array.map (scale alpha)
        Covariances =
            spec.Covariances
            |> Array.map (fun c ->
                Array.init c.Length (fun i ->
                    Array.init c.Length (fun j -> alpha * alpha * c.[i].[j] + (if i = j then sigma * sigma else 0.0)))) }

/// The mixture density of a spec at x (the test's own Gaussian algebra: it defines the measure the
/// framework's score is integrated against, independently of the framework's log-density).
let mixturePdf (spec: MixtureSpec) =
    let d = spec.Dimension
    let parts =
        Array.init spec.Components (fun k ->
            let inv = inverseSpd spec.Covariances.[k]
            let logNorm = -0.5 * (float d * log (2.0 * System.Math.PI) + logDetSpd spec.Covariances.[k])
            spec.Weights.[k], spec.Means.[k], inv, logNorm)
    fun (x: float[]) ->
        parts
        |> Array.sumBy (fun (w, mu, inv, logNorm) ->
            let r = sub x mu
            w * exp (logNorm - 0.5 * dot r (matVec inv r)))

/// Smallest eigenvalue of a 1x1 or 2x2 symmetric matrix.
let private smallestEigenvalue (c: float[][]) =
    if c.Length = 1 then c.[0].[0]
    else
        let a, b, d = c.[0].[0], c.[0].[1], c.[1].[1]
        0.5 * (a + d) - sqrt (0.25 * (a - d) * (a - d) + b * b)

/// Trapezoid rule on a uniform grid covering every component to +-8 standard deviations (tail mass
/// < e^-32), with the mixture density folded into the weights: E_p[f] ~= sum_i w_i f(x_i). For
/// integrands analytic in a strip and decaying like Gaussians the trapezoid rule on R converges
/// geometrically (error ~ exp(-2 pi a / h) for strip half-width a); the step is tied to the smallest
/// component standard deviation s (h = s/8 in 1-D, s/4 in 2-D), since both the Gaussian factors
/// (a ~ s) and the responsibilities of the score (poles at distance ~ pi s^2 / |mu_i - mu_j|, where
/// the density is ~ exp(-|mu_i - mu_j|^2 / 8 s^2)) scale with s. Only for d <= 2.
let gridRule (spec: MixtureSpec) =
    let d = spec.Dimension
    if d > 2 then invalidArg "spec" "gridRule is for 1-D and 2-D mixtures"
    let sMin = spec.Covariances |> Array.map (smallestEigenvalue >> sqrt) |> Array.min
    let h = if d = 1 then sMin / 8.0 else sMin / 4.0
    let lo = Array.init d (fun j -> Seq.init spec.Components (fun k -> spec.Means.[k].[j] - 8.0 * sqrt spec.Covariances.[k].[j].[j]) |> Seq.min)
    let hi = Array.init d (fun j -> Seq.init spec.Components (fun k -> spec.Means.[k].[j] + 8.0 * sqrt spec.Covariances.[k].[j].[j]) |> Seq.max)
    let counts = Array.init d (fun j -> int (ceil ((hi.[j] - lo.[j]) / h)) + 1)
    let pdf = mixturePdf spec
    let cell = pown h d
    let total = Array.fold (*) 1 counts
    Array.init total (fun flat ->
        let x = Array.zeroCreate<float> d
        let mutable k = flat
        for j in 0 .. d - 1 do
            x.[j] <- lo.[j] + h * float (k % counts.[j])
            k <- k / counts.[j]
        x, cell * pdf x)
    |> Array.filter (fun (_, w) -> w > 1e-300)

/// Nodes per axis that keep the tensor rule under ~25k nodes per component.
let nodesFor (d: int) =
    match d with
    | 1 -> 60
    | 2 -> 40
    | 3 -> 20
    | _ -> 10

/// E[f(X)] for the rule's nodes and weights, with f evaluated in one batch.
let expectBatch (rule: (float[] * float)[]) (f: float[][] -> float[]) =
    let xs = rule |> Array.map fst
    let values = f xs
    Array.fold2 (fun s (_, w) v -> s + w * v) 0.0 rule values

/// E[F(X)] componentwise for a vector-valued batched F.
let expectVectorBatch (rule: (float[] * float)[]) (f: float[][] -> float[][]) =
    let xs = rule |> Array.map fst
    let values = f xs
    let d = values.[0].Length
    let acc = Array.zeroCreate<float> d
    Array.iteri2 (fun _ (_, w) (v: float[]) -> for j in 0 .. d - 1 do acc.[j] <- acc.[j] + w * v.[j]) rule values
    acc

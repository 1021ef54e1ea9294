/// The thin bridge between the F# specs and the C# framework: builds framework objects from specs and
/// evaluates batched framework calls at plain float[] points. No diffusion mathematics lives here.
module Diffusion.Research.Theorems.Api

open System
open Diffusion.Research.Numerics
open Diffusion.Research.Data
open Diffusion.Research.Theorems.Generators

/// A Batch holding the given rows.
let batchOf (rows: float[][]) = Batch.FromRows(rows)

/// The rows of a Batch as arrays.
let rowsOf (b: Batch) = Array.init b.Count (fun i -> b.Row(i).ToArray())

let private toArray2D (m: float[][]) = Array2D.init m.Length m.[0].Length (fun i j -> m.[i].[j])

/// The framework mixture of a spec.
let toMixture (spec: MixtureSpec) =
    GaussianMixture(spec.Weights, spec.Means, spec.Covariances |> Array.map toArray2D)

/// Rows of a batched vector-valued call f(x, destination).
let vectorCall (f: Batch -> Batch -> unit) (points: float[][]) =
    let x = batchOf points
    let dest = Batch(x.Count, x.Dimension)
    f x dest
    rowsOf dest

/// Values of a batched scalar-valued call f(x, destination span).
/// (Span destinations cannot enter F# closures, so f receives the array and wraps it itself.)
let scalarCall (f: Batch -> float[] -> unit) (points: float[][]) =
    let x = batchOf points
    let dest = Array.zeroCreate<float> x.Count
    f x dest
    dest

/// log p(x) of the mixture at each point.
let logDensity (m: GaussianMixture) points = scalarCall (fun x d -> m.LogDensity(x, Span<float>(d))) points

/// grad log p(x) at each point.
let score (m: GaussianMixture) points = vectorCall (fun x d -> m.Score(x, d)) points

/// log p_t(x) of the mixture noised by x_t = alpha x_0 + sigma eps.
let noisedLogDensity (m: GaussianMixture) alpha sigma points =
    scalarCall (fun x d -> m.NoisedLogDensity(alpha, sigma, x, Span<float>(d))) points

/// grad log p_t(x) of the noised mixture.
let noisedScore (m: GaussianMixture) alpha sigma points =
    vectorCall (fun x d -> m.NoisedScore(alpha, sigma, x, d)) points

/// div grad log p_t(x) of the noised mixture.
let noisedScoreDivergence (m: GaussianMixture) alpha sigma points =
    scalarCall (fun x d -> m.NoisedScoreDivergence(alpha, sigma, x, Span<float>(d))) points

/// E[x_0 | x_t = x] for the noised mixture.
let noisedPosteriorMean (m: GaussianMixture) alpha sigma points =
    vectorCall (fun x d -> m.NoisedPosteriorMean(alpha, sigma, x, d)) points

/// Single-point helpers (for finite differences).
let at1 (f: float[][] -> 'a[]) (x: float[]) = (f [| x |]).[0]

open Diffusion.Research.Sde
open Diffusion.Research.Kernels

/// The framework SDE of a spec (every one is linear with a closed-form kernel).
let toSde (spec: SdeSpec) : ILinearSde =
    match spec with
    | Ve(a, b) -> VeSde(a, b)
    | Vp(a, b) -> VpSde.Linear(a, b)
    | SubVp(a, b) -> SubVpSde.Linear(a, b)

/// The kernel of a linear SDE (all built-in ones have it).
let kernelOf (sde: ISde) : IKernel =
    match sde.Kernel with
    | null -> invalidArg "sde" "this SDE has no closed-form kernel"
    | k -> k

/// The SDE drift f(x, t) at each point.
let drift (sde: IDynamics) (t: float) (points: float[][]) = vectorCall (fun x d -> sde.Drift(t, x, d)) points

/// FsCheck generators for the theorem properties: random Gaussian mixtures, SDE parameters and
/// schedules, times, and random score fields. Generators produce plain specs (records); Api.fs turns
/// them into framework objects, so a shrunk counter-example prints as readable numbers.
module Diffusion.Research.Theorems.Generators

open FsCheck
open FsCheck.FSharp
open Diffusion.Research.Theorems.Numerics

/// A Gaussian mixture sum_k w_k N(mean_k, cov_k); covariances are SPD (A A^T + c I).
type MixtureSpec =
    { Weights: float[]
      Means: float[][]
      Covariances: float[][][] }

    member this.Dimension = this.Means.[0].Length
    member this.Components = this.Weights.Length

/// An affine score field s(x) = A x + b (the exact-expectation case of ISM/ESM/DSM).
type AffineField = { A: float[][]; B: float[] }

/// A random MLP score field (src/Diffusion.Research.Nn MlpScoreModel): the architecture the Nn API exposes,
/// the initialisation seed, a gain that scales every initial weight (uniform +-1/sqrt(fan-in) alone gives
/// nearly flat fields), the time t it is evaluated at and, for eps / x0 outputs, the constant kernel
/// (alpha, sigma) that converts the output to a score.
type MlpField =
    { Seed: uint64
      Width: int
      HiddenLayers: int
      Activation: Diffusion.Research.Nn.Autodiff.Activation
      Residual: bool
      Embedding: Diffusion.Research.Nn.Models.TimeEmbeddingKind
      Frequencies: int
      Output: Diffusion.Research.Scores.Prediction
      Gain: float
      Time: float
      Alpha: float
      Sigma: float }

/// The forward SDEs whose kernels the theorems use.
type SdeSpec =
    /// VE with geometric sigma(t) = sigma_min (sigma_max / sigma_min)^t on [0, 1] (003 §4.3.1; Song et al. 2021, eq (9)).
    | Ve of sigmaMin: float * sigmaMax: float
    /// VP with linear beta(t) = beta_min + t (beta_max - beta_min) on [0, 1] (003 §4.3.2; Song et al. 2021, eq (11)).
    | Vp of betaMin: float * betaMax: float
    /// sub-VP with the same linear beta.
    | SubVp of betaMin: float * betaMax: float

/// Uniform double in [lo, hi] (2^30 levels: enough resolution, shrinks towards lo).
let uniform (lo: float) (hi: float) =
    Gen.choose (0, 1 <<< 30) |> Gen.map (fun k -> lo + (hi - lo) * float k / float (1 <<< 30))

/// Log-uniform double in [lo, hi].
let logUniform (lo: float) (hi: float) = uniform (log lo) (log hi) |> Gen.map exp

/// A vector of d entries uniform in [lo, hi].
let vector (d: int) (lo: float) (hi: float) = Gen.arrayOfLength d (uniform lo hi)

/// A d x d matrix with entries uniform in [lo, hi].
let matrix (d: int) (lo: float) (hi: float) = Gen.arrayOfLength d (vector d lo hi)

/// A random SPD matrix A A^T + c I with A entries in [-s, s] and c in [cMin, cMax]: the smallest
/// eigenvalue is at least cMin, so the conditioning is controlled.
let spd (d: int) (s: float) (cMin: float) (cMax: float) =
    gen {
        let! a = matrix d (-s) s
        let! c = uniform cMin cMax
        let aat = matMul a (transpose a)
        return Array.init d (fun i -> Array.init d (fun j -> aat.[i].[j] + (if i = j then c else 0.0)))
    }

/// A random mixture of `components` Gaussians in `dimension` dimensions: weights in [0.2, 1]
/// normalised, means in [-2, 2]^d, covariances A A^T + c I with A in [-0.6, 0.6], c in [0.1, 0.6].
let mixtureOf (dimension: int) (components: int) =
    gen {
        let! raw = Gen.arrayOfLength components (uniform 0.2 1.0)
        let total = Array.sum raw
        let! means = Gen.arrayOfLength components (vector dimension -2.0 2.0)
        let! covs = Gen.arrayOfLength components (spd dimension 0.6 0.1 0.6)
        return
            { Weights = raw |> Array.map (fun w -> w / total)
              Means = means
              Covariances = covs }
    }

/// A random mixture with 1–4 components in a dimension drawn from `dimensions`.
let mixture (dimensions: int list) =
    gen {
        let! d = Gen.elements dimensions
        let! k = Gen.choose (1, 4)
        return! mixtureOf d k
    }

/// A single Gaussian N(m, S) as a one-component mixture.
let gaussian (dimensions: int list) =
    gen {
        let! d = Gen.elements dimensions
        return! mixtureOf d 1
    }

/// A random affine score field s(x) = A x + b with entries of A and b in [-1.5, 1.5].
let affineField (d: int) =
    gen {
        let! a = matrix d -1.5 1.5
        let! b = vector d -1.5 1.5
        return { A = a; B = b }
    }

/// A random VE, VP or sub-VP SDE with the usual parameter ranges (sigma_min in [0.01, 0.1],
/// sigma_max in [2, 20]; beta_min in [0.05, 0.5], beta_max in [5, 20]).
let sde =
    Gen.oneof
        [ Gen.map2 (fun a b -> Ve(a, b)) (logUniform 0.01 0.1) (logUniform 2.0 20.0)
          Gen.map2 (fun a b -> Vp(a, b)) (uniform 0.05 0.5) (uniform 5.0 20.0)
          Gen.map2 (fun a b -> SubVp(a, b)) (uniform 0.05 0.5) (uniform 5.0 20.0) ]

/// A seed for the framework's counter-based noise (part of the case, so a replay is exact).
let noiseSeed = Gen.choose (1, System.Int32.MaxValue) |> Gen.map uint64

/// A random MLP field: width 4..32, 1..3 hidden layers, SiLU / tanh / softplus, residual or not,
/// Gaussian Fourier or sinusoidal time embedding with 1..8 frequencies, score / eps / x0 output, gain 1..3,
/// t in [0, 1], kernel alpha in [0.5, 1], sigma in [0.5, 1.5].
let mlpField =
    gen {
        let! seed = Gen.choose (1, System.Int32.MaxValue)
        let! width = Gen.choose (4, 32)
        let! layers = Gen.choose (1, 3)
        let! activation =
            Gen.elements
                [ Diffusion.Research.Nn.Autodiff.Activation.Silu
                  Diffusion.Research.Nn.Autodiff.Activation.Tanh
                  Diffusion.Research.Nn.Autodiff.Activation.Softplus ]
        let! residual = Gen.elements [ false; true ]
        let! embedding =
            Gen.elements
                [ Diffusion.Research.Nn.Models.TimeEmbeddingKind.GaussianFourier
                  Diffusion.Research.Nn.Models.TimeEmbeddingKind.Sinusoidal ]
        let! frequencies = Gen.choose (1, 8)
        let! output =
            Gen.elements
                [ Diffusion.Research.Scores.Prediction.Score
                  Diffusion.Research.Scores.Prediction.Epsilon
                  Diffusion.Research.Scores.Prediction.Data ]
        let! gain = uniform 1.0 3.0
        let! time = uniform 0.0 1.0
        let! alpha = uniform 0.5 1.0
        let! sigma = uniform 0.5 1.5
        return
            { Seed = uint64 seed
              Width = width
              HiddenLayers = layers
              Activation = activation
              Residual = residual
              Embedding = embedding
              Frequencies = frequencies
              Output = output
              Gain = gain
              Time = time
              Alpha = alpha
              Sigma = sigma }
    }

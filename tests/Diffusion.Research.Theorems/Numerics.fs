/// Test-only numerics: quadrature, finite differences, tiny dense linear algebra and one-sample /
/// two-sample statistics. Nothing here is diffusion-model mathematics: it is the measuring
/// equipment the theorem properties use to check the framework independently.
module Diffusion.Research.Theorems.Numerics

open System

// ---------------------------------------------------------------------------------------------
// Dense linear algebra (d <= 4): matrices are float[][] (rows).

/// y = A x.
let matVec (a: float[][]) (x: float[]) = a |> Array.map (fun row -> Array.fold2 (fun s r v -> s + r * v) 0.0 row x)

/// A^T.
let transpose (a: float[][]) = Array.init a.[0].Length (fun j -> Array.init a.Length (fun i -> a.[i].[j]))

/// A B.
let matMul (a: float[][]) (b: float[][]) =
    let bt = transpose b
    a |> Array.map (fun row -> bt |> Array.map (fun col -> Array.fold2 (fun s r c -> s + r * c) 0.0 row col))

let dot (x: float[]) (y: float[]) = Array.fold2 (fun s a b -> s + a * b) 0.0 x y
let norm2 (x: float[]) = dot x x
let add (x: float[]) (y: float[]) = Array.map2 (+) x y
let sub (x: float[]) (y: float[]) = Array.map2 (-) x y
let scale (c: float) (x: float[]) = Array.map (fun v -> c * v) x
let trace (a: float[][]) = Array.init a.Length (fun i -> a.[i].[i]) |> Array.sum
let identity d = Array.init d (fun i -> Array.init d (fun j -> if i = j then 1.0 else 0.0))

/// Lower Cholesky factor L of an SPD matrix, A = L L^T.
let cholesky (a: float[][]) =
    let d = a.Length
    let l = Array.init d (fun _ -> Array.zeroCreate<float> d)
    for i in 0 .. d - 1 do
        for j in 0 .. i do
            let mutable s = a.[i].[j]
            for k in 0 .. j - 1 do
                s <- s - l.[i].[k] * l.[j].[k]
            if i = j then
                if s <= 0.0 then invalidArg "a" "matrix is not positive definite"
                l.[i].[i] <- sqrt s
            else
                l.[i].[j] <- s / l.[j].[j]
    l

/// A^{-1} for an SPD matrix (via Cholesky).
let inverseSpd (a: float[][]) =
    let d = a.Length
    let l = cholesky a
    let solveCol (b: float[]) =
        let y = Array.zeroCreate<float> d
        for i in 0 .. d - 1 do
            let mutable s = b.[i]
            for k in 0 .. i - 1 do
                s <- s - l.[i].[k] * y.[k]
            y.[i] <- s / l.[i].[i]
        let x = Array.zeroCreate<float> d
        for i in d - 1 .. -1 .. 0 do
            let mutable s = y.[i]
            for k in i + 1 .. d - 1 do
                s <- s - l.[k].[i] * x.[k]
            x.[i] <- s / l.[i].[i]
        x
    let cols = Array.init d (fun j -> solveCol (Array.init d (fun i -> if i = j then 1.0 else 0.0)))
    transpose cols

/// log det A for an SPD matrix.
let logDetSpd (a: float[][]) =
    let l = cholesky a
    2.0 * (Array.init a.Length (fun i -> log l.[i].[i]) |> Array.sum)

// ---------------------------------------------------------------------------------------------
// Gauss–Hermite quadrature.

/// Nodes and weights of the n-point Gauss–Hermite rule for E[f(Z)], Z ~ N(0, 1):
/// E f(Z) ~= sum_i w_i f(z_i). Newton iteration on the orthonormal Hermite recurrence
/// (physicists' weight e^{-x^2}), then z = sqrt 2 x, w = w_phys / sqrt pi.
let gaussHermite (n: int) =
    let x = Array.zeroCreate<float> n
    let w = Array.zeroCreate<float> n
    let pim4 = 0.7511255444649425 // pi^{-1/4}
    let m = (n + 1) / 2
    let mutable z = 0.0
    for i in 0 .. m - 1 do
        z <-
            match i with
            | 0 -> sqrt (float (2 * n + 1)) - 1.85575 * Math.Pow(float (2 * n + 1), -0.16667)
            | 1 -> z - 1.14 * Math.Pow(float n, 0.426) / z
            | 2 -> 1.86 * z - 0.86 * x.[0]
            | 3 -> 1.91 * z - 0.91 * x.[1]
            | _ -> 2.0 * z - x.[i - 2]
        let mutable pp = 0.0
        let mutable iterate = true
        let mutable its = 0
        while iterate && its < 100 do
            let mutable p1 = pim4
            let mutable p2 = 0.0
            for j in 0 .. n - 1 do
                let p3 = p2
                p2 <- p1
                p1 <- z * sqrt (2.0 / float (j + 1)) * p2 - sqrt (float j / float (j + 1)) * p3
            pp <- sqrt (2.0 * float n) * p2
            let z1 = z
            z <- z1 - p1 / pp
            iterate <- abs (z - z1) > 1e-15 * max 1.0 (abs z)
            its <- its + 1
        x.[i] <- z
        x.[n - 1 - i] <- -z
        w.[i] <- 2.0 / (pp * pp)
        w.[n - 1 - i] <- w.[i]
    let s2 = sqrt 2.0
    let sp = sqrt Math.PI
    Array.init n (fun i -> s2 * x.[i], w.[i] / sp)

/// Tensor-product Gauss–Hermite nodes and weights for E[f(X)], X ~ N(mean, cov) in d dimensions
/// (n^d nodes): x = mean + L z with L L^T = cov.
let gaussianRule (n: int) (mean: float[]) (cov: float[][]) =
    let d = mean.Length
    let rule = gaussHermite n
    let l = cholesky cov
    let total = pown n d
    Array.init total (fun flat ->
        let z = Array.zeroCreate<float> d
        let mutable k = flat
        let mutable weight = 1.0
        for j in 0 .. d - 1 do
            let node, w = rule.[k % n]
            z.[j] <- node
            weight <- weight * w
            k <- k / n
        add mean (matVec l z), weight)

// ---------------------------------------------------------------------------------------------
// Finite differences (central, fourth order where it matters).

/// f'(t) by the fourth-order five-point stencil.
let derivative (f: float -> float) (t: float) (h: float) =
    (-f (t + 2.0 * h) + 8.0 * f (t + h) - 8.0 * f (t - h) + f (t - 2.0 * h)) / (12.0 * h)

let private shifted (x: float[]) (i: int) (delta: float) =
    let y = Array.copy x
    y.[i] <- y.[i] + delta
    y

/// Gradient of a scalar field, fourth-order central differences.
let gradient (f: float[] -> float) (x: float[]) (h: float) =
    Array.init x.Length (fun i -> derivative (fun s -> f (shifted x i (s - x.[i]))) x.[i] h)

/// Jacobian J[i][j] = d F_i / d x_j of a vector field, fourth-order central differences.
let jacobian (f: float[] -> float[]) (x: float[]) (h: float) =
    let d = x.Length
    let cols =
        Array.init d (fun j ->
            let at (s: float) = f (shifted x j s)
            let fp2, fp1, fm1, fm2 = at (2.0 * h), at h, at (-h), at (-2.0 * h)
            Array.init fp1.Length (fun i -> (-fp2.[i] + 8.0 * fp1.[i] - 8.0 * fm1.[i] + fm2.[i]) / (12.0 * h)))
    transpose cols

/// Divergence of a vector field (trace of the finite-difference Jacobian).
let divergence (f: float[] -> float[]) (x: float[]) (h: float) = trace (jacobian f x h)

/// Laplacian of a scalar field, fourth-order stencil per axis.
let laplacian (f: float[] -> float) (x: float[]) (h: float) =
    let f0 = f x
    Array.init x.Length (fun i ->
        let at (s: float) = f (shifted x i s)
        (-at (2.0 * h) + 16.0 * at h - 30.0 * f0 + 16.0 * at (-h) - at (-2.0 * h)) / (12.0 * h * h))
    |> Array.sum

// ---------------------------------------------------------------------------------------------
// Statistics.

/// Complementary error function (Numerical Recipes erfcc, fractional error < 1.2e-7).
let erfc (x: float) =
    let z = abs x
    let t = 1.0 / (1.0 + 0.5 * z)
    let ans =
        t * exp (-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
    if x >= 0.0 then ans else 2.0 - ans

/// Standard normal CDF.
let normalCdf (x: float) = 0.5 * erfc (-x / sqrt 2.0)

/// One-sample Kolmogorov–Smirnov statistic D_n = sup |F_n - F| of samples against a CDF.
let ksStatistic (cdf: float -> float) (samples: float[]) =
    let xs = Array.sort samples
    let n = float xs.Length
    let mutable d = 0.0
    for i in 0 .. xs.Length - 1 do
        let f = cdf xs.[i]
        d <- max d (max (float (i + 1) / n - f) (f - float i / n))
    d

/// Two-sample Kolmogorov–Smirnov statistic sup |F_n - G_m|.
let ksTwoSample (a: float[]) (b: float[]) =
    let xs = Array.sort a
    let ys = Array.sort b
    let mutable i = 0
    let mutable j = 0
    let mutable d = 0.0
    while i < xs.Length && j < ys.Length do
        let v = min xs.[i] ys.[j]
        while i < xs.Length && xs.[i] <= v do i <- i + 1
        while j < ys.Length && ys.[j] <= v do j <- j + 1
        d <- max d (abs (float i / float xs.Length - float j / float ys.Length))
    d

/// The Kolmogorov quantile lambda with P(sqrt(n) D_n > lambda) ~= alpha: the limiting law has
/// P(K > lambda) = 2 sum_k (-1)^(k-1) exp(-2 k^2 lambda^2) ~= 2 exp(-2 lambda^2) for the small alphas
/// used here, so lambda = sqrt(-ln(alpha / 2) / 2) (alpha = 1e-3 gives 1.95).
let kolmogorovQuantile (alpha: float) = sqrt (-log (alpha / 2.0) / 2.0)

// ---------------------------------------------------------------------------------------------
// Batched finite differences: one call of the batched field per stencil point and axis.

/// Jacobians J[i][j] = dF_i/dx_j at every point, fourth-order central differences, with the field
/// evaluated in 4 d batched calls.
let jacobianBatch (f: float[][] -> float[][]) (xs: float[][]) (h: float) =
    let d = xs.[0].Length
    let shift j (s: float) = xs |> Array.map (fun x -> let y = Array.copy x in y.[j] <- y.[j] + s; y)
    let cols =
        Array.init d (fun j ->
            let fp2, fp1, fm1, fm2 = f (shift j (2.0 * h)), f (shift j h), f (shift j (-h)), f (shift j (-2.0 * h))
            Array.init xs.Length (fun p ->
                Array.init fp1.[p].Length (fun i -> (-fp2.[p].[i] + 8.0 * fp1.[p].[i] - 8.0 * fm1.[p].[i] + fm2.[p].[i]) / (12.0 * h))))
    Array.init xs.Length (fun p -> Array.init cols.[0].[p].Length (fun i -> Array.init d (fun j -> cols.[j].[p].[i])))

/// Divergences of a batched vector field at every point (trace of jacobianBatch).
let divergenceBatch (f: float[][] -> float[][]) (xs: float[][]) (h: float) = jacobianBatch f xs h |> Array.map trace

/// Gradients of a batched scalar field at every point, fourth-order central differences.
let gradientBatch (f: float[][] -> float[]) (xs: float[][]) (h: float) =
    jacobianBatch (fun ys -> f ys |> Array.map (fun v -> [| v |])) xs h |> Array.map (fun j -> j.[0])

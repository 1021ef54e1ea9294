/// Random score fields s_theta written in F# against the framework's IScoreModel interface: they are
/// F# object expressions, which is the interop the issue asks the suite to prove.
/// The MLP field (`mlpScoreModel`) is the framework's own C# MlpScoreModel, which is its own exact
/// divergence (IScoreDivergence by autodiff), so the score-matching properties take it unchanged.
module Diffusion.Research.Theorems.Fields

open Diffusion.Research.Scores
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Api

/// s(x) = A x + b as an IScoreModel that also reports its divergence Tr A (IScoreDivergence); time is ignored.
let affineScoreModel (f: AffineField) : IScoreModel =
    let trace = Array.init f.B.Length (fun i -> f.A.[i].[i]) |> Array.sum
    { new IScoreModel with
        member _.Score(_t, x, destination) =
            x.RequireShape(destination, "destination")
            let d = f.B.Length
            for i in 0 .. x.Count - 1 do
                let xi = x.Row(i)
                let di = destination.Row(i)
                for r in 0 .. d - 1 do
                    let mutable acc = f.B.[r]
                    for c in 0 .. d - 1 do
                        acc <- acc + f.A.[r].[c] * xi.[c]
                    di.[r] <- acc
      interface IScoreDivergence with
        member _.Divergence(_t, x, destination) = destination.Slice(0, x.Count).Fill(trace) }

/// The divergence view of a model built above.
let divergenceOf (model: IScoreModel) =
    match model with
    | :? IScoreDivergence as d -> d
    | _ -> invalidArg "model" "this model has no divergence"

/// The model's score at each point, at time t.
let modelScore (model: IScoreModel) (t: float) (points: float[][]) =
    vectorCall (fun x d -> model.Score(t, x, d)) points

open Diffusion.Research.Data
open Diffusion.Research.Kernels

/// A constant kernel (alpha, sigma) for every t, as an F# object expression.
let constantKernel (alpha: float) (sigma: float) : IKernel =
    { new IKernel with
        member _.Alpha _ = alpha
        member _.Sigma _ = sigma }

/// The exact score of a mixture noised by a kernel, grad log p_t(x) with p_t = N(alpha_t x_0, sigma_t^2 I) * p_0,
/// as an F# object expression over the framework's GaussianMixture.NoisedScore.
let noisedMixtureScoreModel (m: GaussianMixture) (kernel: IKernel) : IScoreModel =
    { new IScoreModel with
        member _.Score(t, x, destination) = m.NoisedScore(kernel.Alpha t, kernel.Sigma t, x, destination) }

open Diffusion.Research.Nn.Models

/// The framework's MlpScoreModel for a random field spec, with every initial weight multiplied by the
/// spec's gain; eps / x0 outputs are converted to a score through the constant kernel (alpha, sigma).
let mlpScoreModel (dimension: int) (f: MlpField) : MlpScoreModel =
    let options =
        ModelOptions()
            .WithKind(ModelKind.Mlp)
            .WithWidth(f.Width)
            .WithHiddenLayers(f.HiddenLayers)
            .WithActivation(f.Activation)
            .WithResidual(f.Residual)
            .WithEmbedding(f.Embedding, f.Frequencies)
            .WithOutput(f.Output)
            .WithSeed(f.Seed)
    let model = MlpScoreModel(dimension, options, constantKernel f.Alpha f.Sigma)
    for p in model.Parameters do
        let v = p.Values
        for i in 0 .. v.Length - 1 do
            v.[i] <- f.Gain * v.[i]
    model

/// Theorems 2 and 3 — the score-matching identities, with exact expectations:
///   ISM = ESM - C, C = 1/2 E_p ||grad log p||^2          (001 eqs 8–11; 000 "Implicit Score Matching"; Hyvärinen 2005, Thm 1)
///   DSM = ESM + C', C' = 1/2 E||grad log p(x~|x)||^2 - 1/2 E||grad log p_sigma(x~)||^2   (001 eqs 12–15; Vincent 2011)
/// for random affine score fields (F# object expressions) and, for ISM, random MLP score fields (the
/// framework's MlpScoreModel). Gaussian data use Gauss–Hermite rules,
/// which are exact for these polynomial integrands; 1-D and 2-D mixtures use the trapezoid grid.
module Diffusion.Research.Theorems.ScoreMatching

open Xunit
open FsCheck
open FsCheck.FSharp
open System
open Diffusion.Research.Data
open Diffusion.Research.Scores
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Quadrature
open Diffusion.Research.Theorems.Api
open Diffusion.Research.Theorems.Fields

/// The weights of a rule as the framework's point weights.
let private weightsOf (rule: (float[] * float)[]) = rule |> Array.map snd

/// J_ESM(theta) = 1/2 E_p ||s_theta - grad log p||^2 (001 eq 8; Hyvärinen 2005, §2): the framework's ExplicitScoreMatchingObjective
/// on the quadrature nodes, against the framework's exact mixture score.
let private esmAt t rule (model: IScoreModel) (target: GaussianMixture) =
    ExplicitScoreMatchingObjective.Evaluate(model, target, t, batchOf (rule |> Array.map fst), ReadOnlySpan(weightsOf rule))

/// J_ISM(theta) = E_p [1/2 ||s_theta||^2 + div s_theta] (001 eq 9; Hyvärinen 2005, Thm 1): the framework's ImplicitScoreMatchingObjective,
/// with the field's own divergence.
let private ismAt t rule (model: IScoreModel) =
    ImplicitScoreMatchingObjective.Evaluate(model, divergenceOf model, t, batchOf (rule |> Array.map fst), ReadOnlySpan(weightsOf rule))

/// C = 1/2 E_p ||grad log p||^2 (001 after eq 11; Hyvärinen 2005, Thm 1), by quadrature of the framework's score.
let private fisherConstant rule (trueScore: float[][] -> float[][]) =
    expectBatch rule (fun xs -> trueScore xs |> Array.map (fun s -> 0.5 * norm2 s))

let private ismCase (data: Gen<MixtureSpec>) =
    gen {
        let! spec = data
        let! f1 = affineField spec.Dimension
        let! f2 = affineField spec.Dimension
        return spec, f1, f2
    }

let private checkIsm (rule: (float[] * float)[]) (spec: MixtureSpec) (fields: AffineField list) (rel: float) =
    let m = toMixture spec
    let c = fisherConstant rule (score m)
    let gaps =
        fields
        |> List.map (fun f ->
            let model = affineScoreModel f
            let e, i = esmAt 0.0 rule model m, ismAt 0.0 rule model
            Expect.closeRel "J_ESM - J_ISM = C" rel c (e - i)
            e - i)
    // The gap is the same constant for every theta.
    Expect.closeRel "J_ESM - J_ISM independent of theta" rel gaps.Head (List.last gaps)

/// 001 eq 9 (Hyvärinen 2005, Thm 1) with Gaussian data in d = 1..4: Gauss–Hermite with 3 nodes per axis is exact for the
/// quadratic integrands, so the identity holds to rounding (FD divergence of an affine field is exact
/// up to rounding too).
[<Fact>]
let ``ISM equals ESM minus C for Gaussian data and affine fields (001 eq 9)`` () =
    Prop.forAll (Arb.fromGen (ismCase (gaussian [ 1; 2; 3; 4 ]))) (fun (spec, f1, f2) ->
        checkIsm (mixtureRule 3 spec) spec [ f1; f2 ] 1e-9)
    |> check "ISM = ESM - C (Gaussian, exact)" 40

/// 001 eq 9 (Hyvärinen 2005, Thm 1) with 1-D and 2-D Gaussian mixtures, on the trapezoid grid.
[<Fact>]
let ``ISM equals ESM minus C for mixtures and affine fields (001 eq 9)`` () =
    Prop.forAll (Arb.fromGen (ismCase (mixture [ 1; 2 ]))) (fun (spec, f1, f2) ->
        checkIsm (gridRule spec) spec [ f1; f2 ] 1e-8)
    |> check "ISM = ESM - C (mixture, quadrature)" 20

/// 001 eq 9 (Hyvärinen 2005, Thm 1) for random MLP score fields (the framework's MlpScoreModel, its exact autodiff divergence as
/// the IScoreDivergence) and random 1-D / 2-D mixtures, on the trapezoid grid. Nodes x_i, weights
/// w_i = h^d p(x_i): the quadrature residual is
///   (J_ESM - J_ISM) - C = -sum_i w_i [s . grad log p + div s](x_i) = -h^d sum_i div(p s)(x_i),
/// the trapezoid rule of an integral that is exactly 0 (001 eqs 10–11 (Hyvärinen 2005, Thm 1), integration by parts; p s -> 0 at
/// infinity since the MLP grows at most linearly). Error budget of the grid (Quadrature.gridRule):
/// truncation at +-8 standard deviations < e^-32 times a polynomial; aliasing of the trapezoid rule, the
/// Fourier transform of div(p s) at omega = 2 pi / h = 16 pi / s_min (1-D) or 8 pi / s_min (2-D): the
/// Gaussian factor alone gives exp(-(8 pi)^2 / 2) ~ e^-315, and the MLP factor, analytic in a strip
/// |Im x| < (pi/2) / Lambda (nearest pole of tanh / sigmoid, branch point of softplus; Lambda = Lipschitz
/// constant of the pre-activations in x, ~ gain^L with the +-gain/sqrt(fan-in) weights), widens it to about
/// exp(-omega pi / (2 Lambda)); rounding of N <= 3e4 weighted terms ~ 1e-12. The bound 1e-8 x max(1, |C|)
/// is that of the affine-mixture property on the same grid; measured at the CI seed over 80 fields
/// (40 cases, 1-D and 2-D, every activation and output): |(J_ESM - J_ISM) - C| <= 9.2e-14, i.e. at rounding,
/// so the gain range 1..3 keeps the fields far inside the grid's resolution. Dropping the divergence shifts
/// the gap by E[div s] (E|div s| measured 0.007..4.9), orders of magnitude above the bound.
[<Fact>]
let ``ISM equals ESM minus C for mixtures and random MLP fields (001 eq 9)`` () =
    let case =
        gen {
            let! spec = mixture [ 1; 2 ]
            let! f1 = mlpField
            let! f2 = mlpField
            return spec, f1, f2
        }
    Prop.forAll (Arb.fromGen case) (fun (spec, f1, f2) ->
        let rule = gridRule spec
        let m = toMixture spec
        let c = fisherConstant rule (score m)
        let gaps =
            [ f1; f2 ]
            |> List.map (fun f ->
                let model = mlpScoreModel spec.Dimension f
                let e, i = esmAt f.Time rule model m, ismAt f.Time rule model
                Expect.closeRel "J_ESM - J_ISM = C (MLP field)" 1e-8 c (e - i)
                e - i)
        Expect.closeRel "J_ESM - J_ISM independent of the MLP weights" 1e-8 gaps.Head (List.last gaps))
    |> check "ISM = ESM - C (mixture, random MLP fields)" 16

/// Joint Gauss–Hermite rule over (x, eps), x ~ spec (per component), eps ~ N(0, I): exact for
/// polynomial integrands of degree < 2n in (x, eps).
let private jointRule n (spec: MixtureSpec) =
    let d = spec.Dimension
    let epsRule = gaussianRule n (Array.zeroCreate d) (identity d)
    [| for (x, wx) in mixtureRule n spec do
           for (e, we) in epsRule do
               yield x, e, wx * we |]

/// J_DSM(theta) = 1/2 E_{x, eps} ||s_theta(alpha x + sigma eps) - grad log p(x~ | x)||^2 (001 eqs 12, 17; Vincent 2011):
/// the framework's DenoisingScoreMatchingObjective on the joint nodes, with a constant kernel (alpha, sigma).
/// Exact for affine s_theta.
let private dsm (joint: (float[] * float[] * float)[]) alpha sigma (model: IScoreModel) =
    let data = joint |> Array.map (fun (x, _, _) -> x)
    let noisy = joint |> Array.map (fun (x, e, _) -> add (scale alpha x) (scale sigma e))
    let weights = joint |> Array.map (fun (_, _, w) -> w)
    DenoisingScoreMatchingObjective.Evaluate(model, constantKernel alpha sigma, 0.0, batchOf data, batchOf noisy, ReadOnlySpan(weights))

/// J_ESM against the noised marginal: the framework's ExplicitScoreMatchingObjective with target ExactNoisedScore.
let private esmNoised rule (model: IScoreModel) (m: GaussianMixture) alpha sigma =
    let target = ExactNoisedScore(m, constantKernel alpha sigma)
    ExplicitScoreMatchingObjective.Evaluate(model, (target :> IScoreModel), 0.0, batchOf (rule |> Array.map fst), ReadOnlySpan(weightsOf rule))

/// 001 eq 15 (Vincent 2011): J_DSM = J_ESM + C' with J_ESM taken against the noised marginal p_sigma (framework
/// NoisedScore) and C' = 1/2 d / sigma^2 - 1/2 E_{p_sigma} ||grad log p_sigma||^2, since
/// E||grad log p(x~|x)||^2 = E||eps||^2 / sigma^2 = d / sigma^2 (001 eq 18; Vincent 2011; Song and Ermon 2019, §4.2).
[<Fact>]
let ``DSM equals ESM plus C' (001 eq 15)`` () =
    let case =
        gen {
            let! spec = mixture [ 1; 2 ]
            let! f1 = affineField spec.Dimension
            let! f2 = affineField spec.Dimension
            let! alpha = uniform 0.3 1.0
            let! sigma = uniform 0.2 2.0
            return spec, f1, f2, alpha, sigma
        }
    Prop.forAll (Arb.fromGen case) (fun (spec, f1, f2, alpha, sigma) ->
        let m = toMixture spec
        let d = float spec.Dimension
        let joint = jointRule 3 spec
        let noisedRule = gridRule (noisedSpec alpha sigma spec)
        let trueScore = noisedScore m alpha sigma
        let cPrime = 0.5 * d / (sigma * sigma) - fisherConstant noisedRule trueScore
        for f in [ f1; f2 ] do
            let model = affineScoreModel f
            let jDsm = dsm joint alpha sigma model
            let jEsm = esmNoised noisedRule model m alpha sigma
            Expect.closeRel "J_DSM - J_ESM = C'" 1e-8 cPrime (jDsm - jEsm))
    |> check "DSM = ESM + C'" 25

/// Conditional generation (004 §14 and §14.2; Song et al. 2021, eq (14); Dhariwal and Nichol 2021): Bayes' rule for scores on
/// labelled mixtures,
///   grad log p_t(x | c) = grad log p_t(x) + grad log p_t(c | x),
/// classifier-free guidance (1 + w) s(x|c) - w s(x) (Ho & Salimans 2022 eq 6) and classifier guidance
/// s(x) + w grad log p_t(c|x) (Dhariwal & Nichol 2021 Alg 1), and the exact posterior of a mixture prior under a
/// linear-Gaussian measurement y = A x + s eps (Bishop 2006 §2.3.3) against quadrature.
module Diffusion.Research.Theorems.Conditional

open System
open Xunit
open FsCheck.FSharp
open Diffusion.Research.Numerics
open Diffusion.Research.Conditional
open Diffusion.Research.Scores
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Numerics
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Quadrature
open Diffusion.Research.Theorems.Api

/// A labelled mixture: 2-4 components, labels with every class in 0..C-1 owning at least one component.
type LabelledSpec = { Mixture: MixtureSpec; Labels: int[] }

let private labelled =
    gen {
        let! d = Gen.elements [ 1; 2; 3 ]
        let! k = Gen.choose (2, 4)
        let! spec = mixtureOf d k
        let! classes = Gen.choose (2, k)
        let! rest = Gen.arrayOfLength (k - classes) (Gen.choose (0, classes - 1))
        let! order = Gen.shuffle (Array.append (Array.init classes id) rest)
        return { Mixture = spec; Labels = order }
    }

let private toLabelled (spec: LabelledSpec) = LabelledMixture(toMixture spec.Mixture, spec.Labels)

/// The class-c sub-spec with weights w_k / pi_c (the test's own construction).
let private subSpec (spec: LabelledSpec) (c: int) =
    let members = [| for k in 0 .. spec.Labels.Length - 1 do if spec.Labels.[k] = c then yield k |]
    let prior = members |> Array.sumBy (fun k -> spec.Mixture.Weights.[k])
    prior,
    { Weights = members |> Array.map (fun k -> spec.Mixture.Weights.[k] / prior)
      Means = members |> Array.map (fun k -> spec.Mixture.Means.[k])
      Covariances = members |> Array.map (fun k -> spec.Mixture.Covariances.[k]) }

let private case =
    gen {
        let! spec = labelled
        let! sde = sde
        let! t = uniform 0.02 1.0
        let! points = Gen.arrayOfLength 3 (vector spec.Mixture.Dimension -2.5 2.5)
        let! label = Gen.choose (0, (Array.max spec.Labels))
        let! w = uniform 0.3 4.0
        return spec, sde, t, points, label, w
    }

let private logClass (m: LabelledMixture) alpha sigma (c: int) (points: float[][]) =
    scalarCall (fun x d -> m.NoisedClassLogProbability(alpha, sigma, c, x, Span<float>(d))) points

/// Bayes' rule for scores at random t, x, mixtures, labels and kernels (VE, VP, sub-VP). Checked three ways:
/// (a) the framework's log p_t(c | x) equals the test's own pi_c p_t(x|c) / p_t(x) from its Gaussian algebra and sums to 1
/// over classes; (b) the framework's class-conditional score equals the unconditional score plus the finite-difference
/// gradient of log p_t(c | x); (c) the framework's exact classifier gradient equals that finite difference.
/// Published source: Song et al. 2021, eq (14); Dhariwal and Nichol 2021.
[<Fact>]
let ``Bayes' rule for scores: grad log p_t(x|c) = grad log p_t(x) + grad log p_t(c|x) (004 §14.2)`` () =
    Prop.forAll (Arb.fromGen case) (fun (spec, sdeSpec, t, points, label, _) ->
        let kernel = kernelOf (toSde sdeSpec)
        let alpha, sigma = kernel.Alpha t, kernel.Sigma t
        let m = toLabelled spec
        // (a) log p_t(c|x) against the test's own densities of the noised mixtures.
        let own = mixturePdf (noisedSpec alpha sigma spec.Mixture)
        let total = Array.zeroCreate<float> points.Length
        for c in 0 .. m.Classes - 1 do
            let prior, sub = subSpec spec c
            let ownClass = mixturePdf (noisedSpec alpha sigma sub)
            let framework = logClass m alpha sigma c points
            for i in 0 .. points.Length - 1 do
                let expected = log prior + log (ownClass points.[i]) - log (own points.[i])
                Expect.close (sprintf "log p_t(%d|x)" c) 1e-9 expected framework.[i]
                total.[i] <- total.[i] + exp framework.[i]
        for i in 0 .. points.Length - 1 do Expect.close "sum_c p_t(c|x)" 1e-9 1.0 total.[i]
        // (b), (c) the scores.
        let h = 1e-4 * sqrt (alpha * alpha * 0.1 + sigma * sigma)
        let fd = gradientBatch (logClass m alpha sigma label) points h
        let conditional = noisedScore (m.ClassConditional label) alpha sigma points
        let unconditional = noisedScore m.Mixture alpha sigma points
        let classifier = vectorCall (fun x d -> ExactClassifier(m, kernel).LogProbabilityGradient(t, label, x, d)) points
        for i in 0 .. points.Length - 1 do
            let tol = 1e-6 * (1.0 + sqrt (norm2 conditional.[i]))
            for j in 0 .. points.[i].Length - 1 do
                Expect.close "grad log p_t(x|c) vs grad log p_t(x) + FD grad log p_t(c|x)" tol conditional.[i].[j] (unconditional.[i].[j] + fd.[i].[j])
                Expect.close "exact classifier gradient vs FD grad log p_t(c|x)" tol fd.[i].[j] classifier.[i].[j])
    |> check "Bayes rule for scores" 40

/// Classifier-free guidance with exact scores: at w = 0 it is the conditional score exactly; at a generic w it is
/// (1 + w) s(x|c) - w s(x); and classifier guidance at scale 1 + w is the same field (s(x|c) - s(x) is the classifier
/// gradient), while classifier guidance at scale 1 is the conditional score.
[<Fact>]
let ``Classifier-free guidance at w = 0 is the conditional score; CFG(w) = CG(1 + w) (Ho & Salimans 2022 eq 6)`` () =
    Prop.forAll (Arb.fromGen case) (fun (spec, sdeSpec, t, points, label, w) ->
        let kernel = kernelOf (toSde sdeSpec)
        let m = toLabelled spec
        let conditional = ExactNoisedScore(m.ClassConditional label, kernel)
        let unconditional = ExactNoisedScore(m.Mixture, kernel)
        let field (s: IScoreModel) = vectorCall (fun x d -> s.Score(t, x, d)) points
        let sc, su = field conditional, field unconditional
        let cfg0 = field (ClassifierFreeGuidedScore(conditional, unconditional, 0.0))
        let cfg = field (ClassifierFreeGuidedScore(conditional, unconditional, w))
        let cg1 = field (ClassifierGuidedScore(unconditional, ExactClassifier(m, kernel), label, 1.0))
        let cg = field (ClassifierGuidedScore(unconditional, ExactClassifier(m, kernel), label, 1.0 + w))
        for i in 0 .. points.Length - 1 do
            let tol = 1e-9 * (1.0 + (1.0 + w) * sqrt (norm2 sc.[i] + norm2 su.[i]))
            for j in 0 .. points.[i].Length - 1 do
                Expect.close "CFG at w = 0 vs s(x|c)" 0.0 sc.[i].[j] cfg0.[i].[j]
                Expect.close "CFG(w) vs (1 + w) s(x|c) - w s(x)" tol ((1.0 + w) * sc.[i].[j] - w * su.[i].[j]) cfg.[i].[j]
                Expect.close "CG at scale 1 vs s(x|c)" tol sc.[i].[j] cg1.[i].[j]
                Expect.close "CG(1 + w) vs CFG(w)" tol cfg.[i].[j] cg.[i].[j])
    |> check "classifier-free guidance" 40

let private measurementCase =
    gen {
        let! d = Gen.elements [ 1; 2 ]
        let! k = Gen.choose (1, 3)
        let! spec = mixtureOf d k
        let! m = Gen.elements [ 1; 2 ]
        let! a = Gen.arrayOfLength m (vector d -1.5 1.5)
        let! noise = uniform 0.3 1.5
        let! y = vector m -2.0 2.0
        return spec, a, noise, y
    }

/// The exact posterior of y = A x + s eps under a mixture prior (closed form, a mixture) has the mean and covariance of
/// p(x) N(y; A x, s^2 I) normalised by quadrature: the trapezoid grid rule of the prior (Quadrature.gridRule) reweighted by
/// the likelihood. D in {1, 2}, m in {1, 2}, s in [0.3, 1.5], A entries in [-1.5, 1.5].
[<Fact>]
let ``The exact linear-Gaussian posterior of a mixture has the quadrature mean and covariance (Bishop 2006 §2.3.3)`` () =
    Prop.forAll (Arb.fromGen measurementCase) (fun (spec, a, noise, y) ->
        let d = spec.Dimension
        let rows = a.Length
        let measurement = LinearMeasurement(Array.concat a, rows, d, noise, y)
        let posterior = MixturePosterior.Of(toMixture spec, measurement)
        let rule = gridRule spec
        let weighted =
            rule
            |> Array.map (fun (x, w) ->
                let r = sub y (matVec a x)
                x, w * exp (-0.5 * norm2 r / (noise * noise)))
        let z = weighted |> Array.sumBy snd
        let mean = Array.init d (fun j -> (weighted |> Array.sumBy (fun (x, w) -> w * x.[j])) / z)
        let cov =
            Array.init d (fun i ->
                Array.init d (fun j -> (weighted |> Array.sumBy (fun (x, w) -> w * (x.[i] - mean.[i]) * (x.[j] - mean.[j]))) / z))
        let frameworkMean = posterior.MixtureMean()
        let frameworkCov = posterior.MixtureCovariance()
        let size = 1.0 + trace cov
        for i in 0 .. d - 1 do
            Expect.close (sprintf "posterior mean[%d]" i) (1e-7 * size) mean.[i] frameworkMean.[i]
            for j in 0 .. d - 1 do
                Expect.close (sprintf "posterior covariance[%d,%d]" i j) (1e-7 * size) cov.[i].[j] frameworkCov.[i, j])
    |> check "linear-Gaussian posterior" 40

/// Theorem 14 — exact likelihood through the PF-ODE (Song et al. 2021, §4.3 and App. D.2; Chen et al. 2018; 003 §4.2
/// eq 4.2.7; 002 "ODE Enables Exact Likelihood Computation"): integrating d[x; delta]/dt = [v; div v] from 0 to T with v = f -
/// 1/2 g^2 s gives
/// log p_0(x_0) = log p_T(x(T)) + delta(T). With the exact score of a mixture (framework ExactNoisedScore,
/// exact divergence) and the exact p_T as terminal density, the framework's ProbabilityFlowLikelihood must
/// return the mixture's exact log-density.
module Diffusion.Research.Theorems.Likelihood

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Sampling
open Diffusion.Research.Scores
open Diffusion.Research.Likelihood
open Diffusion.Research.Solvers
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Api

/// Published source: Song et al. 2021, §4.3, App. D.2; Chen et al. 2018.
[<Fact>]
let ``PF-ODE likelihood equals the exact mixture log-density (003 eq 4.2.7)`` () =
    let case =
        gen {
            let! spec = mixture [ 1; 2; 3 ]
            let! sdeSpec = sde
            let! xs = Gen.arrayOfLength 6 (vector spec.Dimension -3.0 3.0)
            return spec, sdeSpec, xs
        }
    Prop.forAll (Arb.fromGen case) (fun (spec, sdeSpec, xs) ->
        let m = toMixture spec
        let sde = toSde sdeSpec
        let k = kernelOf sde
        let exact = ExactNoisedScore(m, k)
        let likelihood = ProbabilityFlowLikelihood.Exact(sde, exact, exact)
        let terminal = m.Noised(k.Alpha sde.T, k.Sigma sde.T)
        let result =
            likelihood.Evaluate(batchOf xs, ExplicitRungeKutta(Tableau.RungeKutta4), TimeGrid.Uniform(0.0, sde.T, 200), SolveOptions(), terminal)
        Assert.Equal(SolveStatus.Success, result.Solution.Status)
        let truth = logDensity m xs
        for i in 0 .. xs.Length - 1 do
            // RK4 with 200 steps: the global error is far below 1e-5 nats for these smooth flows.
            Expect.close (sprintf "log p_0(x_%d) (%A)" i sdeSpec) (1e-5 * (1.0 + abs truth.[i])) truth.[i] result.LogDensity.[i])
    |> check "PF-ODE likelihood" 8

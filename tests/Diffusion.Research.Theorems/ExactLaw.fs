/// Exact output laws (issue 12): for Gaussian data the exact score is affine, so the reverse SDE (l = 1) and the
/// PF-ODE (l = 0) discretised by any solver map the Gaussian p_T to a Gaussian whose mean and covariance
/// AffineResponse computes without sampling. Property: started from the exact p_T = N(a_T m, a_T^2 S + s_T^2 I)
/// (003 Lemma 4.4.1; Kingma et al. 2021; Lu et al. 2022, §2), the exact law of Euler-Maruyama on the reverse SDE and of Heun /
/// RK4 on the PF-ODE converges to
/// the exact marginal p_t_eps (001 eqs 85-87: both processes have the forward marginals; Song et al. 2021, eqs (6), (13);
/// Zhang and Chen 2023) as the grid is refined, at
/// the solvers' orders: W2 at 64n steps is at most 64^-(p - 1/2) times the largest W2 at n, 4n and 16n steps (p = 1
/// for EM, 2 for Heun; a solver of order p has W2 = O(h^p), so 64^-p is expected; half an order is left for
/// pre-asymptotic grids, and the largest of the coarse errors guards against an error that crosses zero between
/// grids, which EM on VE does at generic parameters: W2 1.5e-3, 2.0e-3, 6.4e-4 at 20, 80, 320 steps), and the finest RK4 law is within KL 1e-8 of p_t_eps (RK4 at h = T/400 on these SDEs: h^4 terms
/// of size (beta_max h)^4 / 24 ~ 1e-7 relative per unit time, squared in KL).
module Diffusion.Research.Theorems.ExactLaw

open Xunit
open FsCheck.FSharp
open Diffusion.Research.Exact
open Diffusion.Research.Sampling
open Diffusion.Research.Solvers
open Diffusion.Research.Theorems.Harness
open Diffusion.Research.Theorems.Generators
open Diffusion.Research.Theorems.Api
open Diffusion.Research.Theorems.Fields

let private lawAt (spec: MixtureSpec) (alpha: float) (sigma: float) =
    let d = spec.Dimension
    let c = Array2D.init d d (fun i j -> alpha * alpha * spec.Covariances.[0].[i].[j] + (if i = j then sigma * sigma else 0.0))
    GaussianLaw.Full(spec.Means.[0] |> Array.map (fun m -> alpha * m), c)

[<Fact>]
let ``exact laws of the reverse SDE and the PF-ODE converge to p_t_eps at the solvers' orders (issue 12)`` () =
    Prop.forAll (Arb.fromGen (Gen.zip (gaussian [ 2; 3 ]) sde)) (fun (spec, sdeSpec) ->
        let d = spec.Dimension
        let sde = toSde sdeSpec
        let k = kernelOf sde
        let tEps = 1e-3 * sde.T
        let score = noisedMixtureScoreModel (toMixture spec) k
        let start = lawAt spec (k.Alpha sde.T) (k.Sigma sde.T)
        let target = lawAt spec (k.Alpha tEps) (k.Sigma tEps)
        let law (solver: ISolver) (lambda: float) (steps: int) =
            let map = AffineResponse.Measure(solver, SamplingProblem.Reverse(sde, score, lambda), TimeGrid.Uniform(sde.T, tEps, steps), d)
            Expect.atMost "affinity defect" 1e-10 map.AffinityDefect
            map.Push(start)
        let w2 (l: GaussianLaw) = GaussianDistance.Wasserstein2(l, target)
        for (name, solver, lambda, order, coarse) in
            [ "euler_maruyama", (EulerMaruyama() :> ISolver), 1.0, 1.0, 20
              "heun", (ExplicitRungeKutta(Tableau.Heun) :> ISolver), 0.0, 2.0, 10 ] do
            let e1 = w2 (law solver lambda coarse)
            let e2 = w2 (law solver lambda (4 * coarse))
            let e3 = w2 (law solver lambda (16 * coarse))
            let e4 = w2 (law solver lambda (64 * coarse))
            Expect.atMost (sprintf "%s: W2 at %d steps against the worst of %d, %d, %d steps (%A; W2 %.3g, %.3g, %.3g, %.3g)" name (64 * coarse) coarse (4 * coarse) (16 * coarse) sdeSpec e1 e2 e3 e4)
                (max e1 (max e2 e3) * 64.0 ** -(order - 0.5)) e4
        let fine = law (ExplicitRungeKutta(Tableau.RungeKutta4)) 0.0 400
        Expect.atMost (sprintf "RK4 KL to p_t_eps (%A)" sdeSpec) 1e-8 (GaussianDistance.KullbackLeibler(fine, target)))
    |> check "exact laws converge" 12

module Diffusion.Research.Theorems.ReadmeExample

open Diffusion.Research.Data
open Diffusion.Research.Metrics
open Diffusion.Research.Numerics
open Diffusion.Research.Sampling
open Diffusion.Research.Scores
open Diffusion.Research.Sde
open Diffusion.Research.Solvers
open Xunit

[<Fact>]
let ``README example: 8gaussians, exact score, Heun`` () =
    let data = ToyData.EightGaussians()                      // 2-D Gaussian mixture: exact density and score
    let sde = VpSde.Linear()                                 // VP SDE, beta(t) from 0.1 to 20 on [0, 1]
    let score = ExactNoisedScore(data, sde.Kernel)         // exact score of p_t, no training
    let problem = SamplingProblem.Reverse(sde, score, 0.0)   // lambda = 0: probability-flow ODE
    let solver = SolverRegistry.CreateDefault().Create("heun")

    let noise = NoiseSource(42UL)
    let x = Batch(2000, 2)
    sde.Prior(2).Sample(x, noise.Derive(1UL), 0L)           // x_T ~ N(0, I)
    let solution = solver.Solve(problem, x, TimeGrid.Uniform(sde.T, 1e-3, 100), SolveOptions().WithNoise(noise.Derive(2UL)))

    let reference = Batch(2000, 2)
    data.Sample(reference, noise.Derive(3UL), 0L)
    let sw2 = SlicedWasserstein().Compute(solution.Samples, reference)
    printfn "%A: sliced W2 = %.3f after %d score evaluations" solution.Status sw2 solution.Statistics.Nfe
    Assert.Equal(SolveStatus.Success, solution.Status)
    Assert.Equal(200L, solution.Statistics.Nfe)
    Assert.InRange(sw2, 0.0, 0.21)

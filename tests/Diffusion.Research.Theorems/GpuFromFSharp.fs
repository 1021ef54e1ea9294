/// The GPU path driven from F# (docs/gpu.md, "Use"): the same problem, grid and options as the CPU solver, on the
/// GPU kernels run by ILGPU's CPU accelerator (DeviceContext.CreateCuda() on an NVIDIA machine), with particles on the
/// host or kept on the device.
module Diffusion.Research.Theorems.GpuFromFSharp

open Diffusion.Research.Data
open Diffusion.Research.Gpu
open Diffusion.Research.Numerics
open Diffusion.Research.Sampling
open Diffusion.Research.Scores
open Diffusion.Research.Sde
open Diffusion.Research.Solvers
open Xunit

[<Fact>]
let ``GPU sampling from F#: the device solver agrees with its CPU twin`` () =
    let data = ToyData.EightGaussians()
    let sde = VpSde.Linear()
    let problem = SamplingProblem.Reverse(sde, ExactNoisedScore(data, sde.Kernel), 1.0) // reverse SDE, l = 1
    let cpuSolver = EulerMaruyama()
    use device = DeviceContext.CreateEmulated()
    let gpuSolver = GpuSolver(device, cpuSolver)
    let grid = TimeGrid.Uniform(sde.T, 1e-3, 100)
    let options = SolveOptions().WithNoise(NoiseSource(7UL))
    let x = Batch(64, 2)
    sde.Prior(2).Sample(x, NoiseSource(1UL), 0L)

    let onCpu = cpuSolver.Solve(problem, x.Clone(), grid, options)
    let onDevice = gpuSolver.Solve(problem, x.Clone(), grid, options)
    // Particles that stay on the device between solves: copied once, solved in place, read back when wanted.
    use resident = new DeviceBatch(device, x)
    let kept = gpuSolver.Solve(problem, resident, grid, options)
    let back = resident.ToBatch()

    Assert.Equal(SolveStatus.Success, onDevice.Status)
    Assert.Equal(SolveStatus.Success, kept.Status)
    Assert.Equal(onCpu.Statistics, onDevice.Statistics)
    for i in 0 .. x.Count - 1 do
        for d in 0 .. 1 do
            // Same Philox noise: agreement to rounding (issue 8: 1e-10 relative for stochastic solvers).
            Assert.InRange(abs (onDevice.Samples.[i, d] - onCpu.Samples.[i, d]), 0.0, 1e-10 * max 1.0 (abs onCpu.Samples.[i, d]))
            Assert.Equal(onDevice.Samples.[i, d], back.[i, d]) // host and device-resident solves: the same bits

namespace Diffusion.Research.Examples.FSharpPlugin

open Diffusion.Research.Experiments.Backend
open Diffusion.Research.Experiments.Plugins
open Diffusion.Research.Registries
open Diffusion.Research.Sampling

/// The plugin's entry point: `diffusion run --plugin FSharpPlugin.dll` (or `plugins:` in the YAML) creates this
/// class and calls Register, after which `sampler.solver: midpoint` and `sde.kind: trig` work in any experiment.
type Plugin() =
    interface IDiffusionPlugin with
        member _.Register(registries: ComponentRegistries) =
            // Name and description come from the solver's traits (written once, in MidpointSolver.fs).
            registries.Solvers.Register(fun _ -> MidpointSolver() :> ISolver) |> ignore
            registries.Sdes.Register("trig", "Trigonometric interpolant alpha = cos(pi t/2), sigma = sin(pi t/2) on [0, T], written in F#",
                                     (fun p -> TrigonometricSde.create p.["T"]),
                                     ParameterSpec.Real("T", 0.99, "end time, below 1")) |> ignore

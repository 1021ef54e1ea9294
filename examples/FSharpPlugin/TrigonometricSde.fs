namespace Diffusion.Research.Examples.FSharpPlugin

open System
open Diffusion.Research.Sde

/// The trigonometric interpolant x_t = cos(pi t / 2) x_0 + sin(pi t / 2) eps (Albergo & Vanden-Eijnden, ICLR 2023,
/// "Building normalizing flows with stochastic interpolants") as a linear SDE: the framework's AffineSde turns a
/// kernel (alpha_t, sigma_t) into f = d log alpha/dt and g^2 = d sigma^2/dt - 2 f sigma^2 (003 Eq 4.4.1).
/// alpha reaches 0 at t = 1, so T stops short of 1.
module TrigonometricSde =
    let create (t: float) : ISde =
        let a = Math.PI / 2.0
        AffineSde(
            Func<float, float>(fun u -> Math.Cos(a * u)),
            Func<float, float>(fun u -> Math.Sin(a * u)),
            t,
            Func<float, float>(fun u -> -a * Math.Sin(a * u)),
            Func<float, float>(fun u -> a * Math.Cos(a * u)),
            "trig") :> ISde

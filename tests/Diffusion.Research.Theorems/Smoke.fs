module Diffusion.Research.Theorems.Smoke

open Xunit
open Diffusion.Research.Numerics

[<Fact>]
let ``Batch is usable from F#`` () =
    let b = Batch(3, 2)
    b.Row(1).[1] <- 2.0
    Assert.Equal(2.0, b.Row(1).[1])

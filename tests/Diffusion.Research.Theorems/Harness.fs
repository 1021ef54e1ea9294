/// The theorem harness: every property runs through FsCheck 3 with a throwing runner and a fixed
/// replay seed, so CI is deterministic and a failure names the seed that reproduces it.
module Diffusion.Research.Theorems.Harness

open System
open FsCheck

/// The replay seed. Fixed in CI; set THEOREMS_SEED=<uint64> to explore other random cases.
let seed =
    match Environment.GetEnvironmentVariable "THEOREMS_SEED" with
    | null
    | "" -> 20260523UL
    | s -> UInt64.Parse s

let private config (name: string) (maxTest: int) =
    Config.QuickThrowOnFailure
        .WithReplay(Some { Rnd = Rnd(seed); Size = None })
        .WithMaxTest(maxTest)
        .WithName(name)
        .WithQuietOnSuccess(true)

/// Checks a property on maxTest generated cases; throws with the replay seed in the message on failure.
let check (name: string) (maxTest: int) (property: Property) =
    try
        Check.One(config name maxTest, property)
    with ex ->
        raise (Exception(sprintf "Theorem '%s' failed (replay seed %d; rerun with THEOREMS_SEED=%d):\n%s" name seed seed ex.Message, ex))

/// Assertions that say what was compared and by how much it missed.
module Expect =
    let private fail (what: string) (expected: float) (actual: float) (tol: float) =
        failwithf "%s: expected %.12g, got %.12g (|diff| = %.3g > tol %.3g)" what expected actual (abs (expected - actual)) tol

    /// |expected - actual| <= tol.
    let close (what: string) (tol: float) (expected: float) (actual: float) =
        if not (abs (expected - actual) <= tol) then fail what expected actual tol

    /// |expected - actual| <= rel * max(1, |expected|).
    let closeRel (what: string) (rel: float) (expected: float) (actual: float) =
        close what (rel * max 1.0 (abs expected)) expected actual

    /// Componentwise closeRel over two arrays of the same length.
    let allCloseRel (what: string) (rel: float) (expected: float[]) (actual: float[]) =
        if expected.Length <> actual.Length then failwithf "%s: lengths %d vs %d" what expected.Length actual.Length
        for i in 0 .. expected.Length - 1 do
            closeRel (sprintf "%s[%d]" what i) rel expected.[i] actual.[i]

    /// value <= bound.
    let atMost (what: string) (bound: float) (value: float) =
        if not (value <= bound) then failwithf "%s: %.6g exceeds the bound %.6g" what value bound

    /// value >= bound.
    let atLeast (what: string) (bound: float) (value: float) =
        if not (value >= bound) then failwithf "%s: %.6g is below the bound %.6g" what value bound

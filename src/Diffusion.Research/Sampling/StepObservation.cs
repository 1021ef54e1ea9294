using Diffusion.Research.Numerics;

namespace Diffusion.Research.Sampling;

/// <summary>
/// What a solver reports after an accepted step (<see cref="SolveOptions.Observer"/>, <see cref="SaveAt"/>): the state of
/// rows <see cref="FirstRow"/>, … of the solved batch once <see cref="Steps"/> steps have been accepted, at
/// <see cref="Time"/>. <see cref="State"/> is a view of the solver's own state: read or copy it inside the call, never keep it.
/// A fixed-step solve reports each chunk separately (its rows, possibly from several worker threads at once; rows of
/// different chunks never overlap); adaptive and lock-step solves report the whole batch.
/// </summary>
/// <param name="Steps">Accepted steps so far (1 after the first step; 0 only for the start, which only <see cref="SaveAt"/> sees).</param>
/// <param name="Time">The time the state has reached.</param>
/// <param name="State">The rows (a view; valid during the call).</param>
/// <param name="FirstRow">Index of <see cref="State"/>'s first row in the batch passed to the solve (add <see cref="SolveOptions.FirstParticle"/> for the global particle index).</param>
public readonly record struct StepObservation(int Steps, double Time, Batch State, int FirstRow);

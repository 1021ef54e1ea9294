namespace Diffusion.Research.Sampling;

/// <summary>How an adaptive solver chooses its first attempted step (<see cref="InitialStep"/>).</summary>
public enum InitialStepRule
{
    /// <summary>The starting-step-size algorithm of Hairer, Nørsett, Wanner I, §II.4 (two drift evaluations).</summary>
    Automatic,

    /// <summary>The grid's first step |t_1 − t_0| (the whole interval for a one-step grid).</summary>
    Grid,

    /// <summary>A given |dt0|.</summary>
    Given,
}

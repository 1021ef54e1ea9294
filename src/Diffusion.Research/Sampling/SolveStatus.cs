namespace Diffusion.Research.Sampling;

/// <summary>How a solve ended.</summary>
public enum SolveStatus
{
    /// <summary>Reached the end of the grid with finite values.</summary>
    Success,
    /// <summary>A NaN or infinity appeared in the state.</summary>
    NonFinite,
    /// <summary>An adaptive step size fell below the minimum.</summary>
    StepSizeCollapse,
    /// <summary>An adaptive solver used up its step budget.</summary>
    MaxStepsExceeded,
}

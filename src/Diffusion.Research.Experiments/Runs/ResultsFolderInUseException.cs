namespace Diffusion.Research.Experiments;

/// <summary>Thrown when another process holds the <see cref="ResultsLock"/> of a results folder.</summary>
public sealed class ResultsFolderInUseException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ResultsFolderInUseException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

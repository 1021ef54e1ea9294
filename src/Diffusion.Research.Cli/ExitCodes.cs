namespace Diffusion.Research.Cli;

/// <summary>Exit codes of the <c>diffusion</c> command.</summary>
public static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Success = 0;
    /// <summary>A run failed: a cell failed (NaN, step collapse, exception) or results could not be written.</summary>
    public const int RunFailed = 1;
    /// <summary>Invalid input: a bad experiment file, folder or command line. Nothing was written.</summary>
    public const int InvalidInput = 2;
}

using Diffusion.Research.Experiments.Configuration;

namespace Diffusion.Research.Experiments.Plans;

/// <summary>The backend's check of one bound cell, its errors placed at the key they carry.</summary>
public sealed partial class ExperimentLoader
{
    /// <summary>
    /// Asks the backend whether <paramref name="cell"/> can run; false after reporting the error at the dotted key it
    /// carries as data (<see cref="ConfigPathException.Path"/>, else the ParamName), or at <paramref name="fallback"/>.
    /// </summary>
    private bool Check(ConfigBinder b, CellSpec cell, SourceLocation fallback)
    {
        try
        {
            _backend.Check(cell);
            return true;
        }
        catch (ArgumentException e)
        {
            var path = e is ConfigPathException located ? located.Path : e.ParamName;
            b.Error((path is null ? null : cell.Locate(path)) ?? fallback, ArgumentMessage.Describe(e));
            return false;
        }
        catch (Exception e) when (e is ArithmeticException or InvalidOperationException or FormatException or IOException or InvalidDataException)
        {
            b.Error(fallback, $"cell #{cell.Index} cannot be set up: {ArgumentMessage.Clean(e.Message)}");
            return false;
        }
    }
}

namespace Diffusion.Research.Tests.Solvers;

/// <summary>Least-squares slope of log(error) against log(step).</summary>
internal static class OrderFit
{
    public static double Slope(IReadOnlyList<double> steps, IReadOnlyList<double> errors)
    {
        var n = steps.Count;
        double mx = 0, my = 0;
        for (var i = 0; i < n; i++) { mx += Math.Log(steps[i]); my += Math.Log(errors[i]); }
        mx /= n; my /= n;
        double sxy = 0, sxx = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = Math.Log(steps[i]) - mx;
            sxy += dx * (Math.Log(errors[i]) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }
}

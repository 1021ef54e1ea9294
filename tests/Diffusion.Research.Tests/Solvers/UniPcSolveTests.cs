using Diffusion.Research.Solvers;

namespace Diffusion.Research.Tests.Solvers;

/// <summary>
/// UniPC's coefficient solve (R ρ = b with R_jk = r_k^j; Zhao et al. 2023, Alg. 1 and 2) by Gaussian elimination with
/// partial pivoting: on a system whose first column spans eight orders of magnitude, a pivot other than the largest
/// grows the error by that factor, so the backward error must stay at rounding level.
/// </summary>
public class UniPcSolveTests
{
    [Theory]
    [InlineData(1e-4, 0.3, 1.0)]
    [InlineData(-1e-4, -0.5, 0.9)]
    public void The_solve_pivots_on_the_largest_entry(double r0, double r1, double r2)
    {
        double[] r = [r0, r1, r2];
        double[] b = [1.0, 0.5, 0.25];
        var rho = new double[3];
        UniPc.Solve(r, b, 3, rho);
        for (var j = 0; j < 3; j++)
        {
            double sum = 0, scale = Math.Abs(b[j]);
            for (var k = 0; k < 3; k++)
            {
                sum += Math.Pow(r[k], j) * rho[k];
                scale += Math.Abs(Math.Pow(r[k], j) * rho[k]);
            }
            Assert.True(Math.Abs(sum - b[j]) <= 1e-14 * scale, $"row {j}: residual {sum - b[j]:E3} against a scale of {scale:E3}");
        }
    }
}

using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Solvers;

/// <summary>
/// The starting step size of Hairer, Nørsett, Wanner, "Solving ODEs I", §II.4 (p. 169; the HINIT routine of DOPRI5;
/// diffrax and torchdiffeq do the same), per particle with sc = atol + rtol |x_0| and the RMS norm of eq II.4.11:
/// (a) d_0 = ‖x_0‖, d_1 = ‖f(t_0, x_0)‖; (b) h_0 = 0.01 d_0/d_1, or 10⁻⁶ when d_0 or d_1 &lt; 10⁻⁵;
/// (c) x_1 = x_0 + h_0 f(t_0, x_0); (d) d_2 = ‖f(t_0 + h_0, x_1) − f(t_0, x_0)‖/h_0;
/// (e) h_1 = (0.01/max(d_1, d_2))^(1/(q+1)), or max(10⁻⁶, 10⁻³ h_0) when max(d_1, d_2) ≤ 10⁻¹⁵;
/// (f) h = min(100 h_0, h_1), with q the order of the error estimate (local error O(h^(q+1)); DOPRI5's IORD = 5 for q = 4).
/// A batch takes the smallest h_0 and the smallest h over its particles (min is exact and order-free, so the result
/// does not depend on chunking or threads). Two drift evaluations; f is the drift of the dynamics (for an SDE the
/// drift alone). <see cref="AdaptiveSolver"/> calls it for <see cref="Sampling.InitialStepRule.Automatic"/>.
/// </summary>
public static class StartingStepSize
{
    /// <summary>Scratch batches (of a chunk's shape) the two phases need: f_0, x_1, f_1.</summary>
    public const int Buffers = 3;

    /// <summary>
    /// Steps (a)–(b) on one chunk: writes f(t_0, x_0) into <paramref name="f0"/> and returns the smallest h_0 over its
    /// particles (NaN when a value is not finite).
    /// </summary>
    public static double FirstGuess(IDynamics dynamics, double t0, Batch x, Batch f0, double rtol, double atol)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        dynamics.Drift(t0, x, f0);
        var h0 = double.PositiveInfinity;
        for (var i = 0; i < x.Count; i++)
        {
            var d0 = Norm(x.Row(i), x.Row(i), rtol, atol);
            var d1 = Norm(f0.Row(i), x.Row(i), rtol, atol);
            if (double.IsNaN(d0) || double.IsNaN(d1)) return double.NaN;
            h0 = Math.Min(h0, d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1);
        }
        return h0;
    }

    /// <summary>
    /// Steps (c)–(f) on one chunk for the batch's h_0 = |<paramref name="dt0"/>| (signed in the direction of integration):
    /// returns the smallest min(100 h_0, h_1) over the chunk's particles; <paramref name="f0"/> holds f(t_0, x_0) from
    /// <see cref="FirstGuess"/>, <paramref name="x1"/> and <paramref name="f1"/> are scratch.
    /// </summary>
    public static double SecondGuess(IDynamics dynamics, double t0, double dt0, Batch x, Batch f0, Batch x1, Batch f1, double rtol, double atol, int errorOrder)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        ArgumentOutOfRangeException.ThrowIfLessThan(errorOrder, 1);
        var h0 = Math.Abs(dt0);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(f0.Values, dt0, x.Values, x1.Values);
        dynamics.Drift(t0 + dt0, x1, f1);
        var h = double.PositiveInfinity;
        Span<double> difference = stackalloc double[x.Dimension];
        for (var i = 0; i < x.Count; i++)
        {
            var d1 = Norm(f0.Row(i), x.Row(i), rtol, atol);
            System.Numerics.Tensors.TensorPrimitives.Subtract(f1.Row(i), f0.Row(i), difference);
            var d2 = Norm(difference, x.Row(i), rtol, atol) / h0;
            var m = Math.Max(d1, d2);
            if (double.IsNaN(m)) return double.NaN;
            var h1 = m <= 1e-15 ? Math.Max(1e-6, 1e-3 * h0) : Math.Pow(0.01 / m, 1.0 / (errorOrder + 1));
            h = Math.Min(h, Math.Min(100 * h0, h1));
        }
        return h;
    }

    // ‖v‖ = sqrt(mean_d (v_d / (atol + rtol |x_d|))²) (HNW I eq II.4.11 with sc from x_0 alone).
    private static double Norm(ReadOnlySpan<double> v, ReadOnlySpan<double> x, double rtol, double atol)
    {
        var sum = 0.0;
        for (var d = 0; d < v.Length; d++)
        {
            var r = v[d] / (atol + rtol * Math.Abs(x[d]));
            sum += r * r;
        }
        return Math.Sqrt(sum / v.Length);
    }
}

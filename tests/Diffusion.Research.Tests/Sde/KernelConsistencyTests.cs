using Diffusion.Research.Kernels;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Sde;

public class KernelConsistencyTests
{
    private static IEnumerable<double> Times(double horizon)
    {
        for (var i = 1; i <= 40; i++) yield return horizon * i / 40;
        yield return horizon * 1e-6;
        yield return horizon * 1e-3;
        yield return horizon * 0.3141592653589793;
    }

    // 001 eq 66 / 003 §4.3.3 (Särkkä and Solin 2019, §6.1; Song et al. 2021, App. B): integrating the moment ODEs from the SDE's
    // own f and g reproduces its closed-form kernel.
    [Theory]
    [MemberData(nameof(BuiltInSdes.Names), MemberType = typeof(BuiltInSdes))]
    public void ClosedFormKernelMatchesMomentOdes(string name)
    {
        var sde = BuiltInSdes.Get(name);
        var closed = sde.Kernel!;
        var ode = MomentOdeKernel.Of(sde);
        Assert.Equal(1.0, ode.Alpha(0.0));
        Assert.Equal(0.0, ode.Sigma(0.0));
        foreach (var t in Times(sde.T))
        {
            var a = closed.Alpha(t);
            var s = closed.Sigma(t);
            // The finite-difference affine SDE feeds g from a 5-point stencil (~1e-11); the closed forms are exact.
            var tol = name == "affine-fd" ? 1e-8 : 1e-9;
            Assert.True(Math.Abs(ode.Alpha(t) / a - 1) < tol, $"{name}: alpha({t}) = {a}, moment ODE {ode.Alpha(t)}");
            Assert.True(Math.Abs(ode.Sigma(t) / s - 1) < tol, $"{name}: sigma({t}) = {s}, moment ODE {ode.Sigma(t)}");
        }
    }

    // 003 Lemma 4.4.1 (Kingma et al. 2021; Lu et al. 2022, §2): f = d log α/dt and g² = dσ²/dt − 2 (d log α/dt) σ², by central
    // differences of the closed forms.
    [Theory]
    [MemberData(nameof(BuiltInSdes.Names), MemberType = typeof(BuiltInSdes))]
    public void DriftAndDiffusionFollowFromTheKernel(string name)
    {
        var sde = BuiltInSdes.Get(name);
        var k = sde.Kernel!;
        for (var i = 1; i < 20; i++)
        {
            var t = sde.T * i / 20;
            var h = 1e-5 * sde.T;
            var dLogAlpha = (Math.Log(k.Alpha(t + h)) - Math.Log(k.Alpha(t - h))) / (2 * h);
            double V(double u) { var s = k.Sigma(u); return s * s; }
            var dVar = (V(t + h) - V(t - h)) / (2 * h);
            var g2 = dVar - 2 * dLogAlpha * V(t);
            var f = sde.DriftCoefficient(t);
            var g = sde.Diffusion(t);
            // central difference error ~ h² |y'''| + ε/h: well below 1e-6 relative for these schedules
            Assert.True(Math.Abs(f - dLogAlpha) <= 1e-6 * Math.Max(1, Math.Abs(f)), $"{name}: f({t}) = {f}, d log alpha/dt = {dLogAlpha}");
            Assert.True(Math.Abs(g * g - g2) <= 1e-6 * Math.Max(1, g * g), $"{name}: g^2({t}) = {g * g}, Lemma 4.4.1 gives {g2}");
        }
    }

    [Fact]
    public void LinearSdeFromFunctionsUsesTheMomentOdes()
    {
        // dx = −(1 + t) x dt + sqrt(2 + sin t) dW: α = exp(−t − t²/2); σ² = α² ∫ (2 + sin u)/α(u)² du (checked by Simpson here)
        var sde = new LinearSde(t => -(1 + t), t => Math.Sqrt(2 + Math.Sin(t)), 2.0);
        double Alpha(double t) => Math.Exp(-t - t * t / 2);
        const int n = 20000;
        for (var t = 0.25; t <= 2.0; t += 0.25)
        {
            double sum = 0;
            for (var j = 0; j <= n; j++)
            {
                var u = t * j / n;
                var w = j == 0 || j == n ? 1 : j % 2 == 1 ? 4 : 2;
                sum += w * (2 + Math.Sin(u)) / (Alpha(u) * Alpha(u));
            }
            var variance = Alpha(t) * Alpha(t) * sum * t / n / 3;
            Assert.Equal(Alpha(t), sde.Kernel.Alpha(t), 1e-11);
            Assert.True(Math.Abs(sde.Kernel.Sigma(t) * sde.Kernel.Sigma(t) / variance - 1) < 1e-9);
        }
    }
}

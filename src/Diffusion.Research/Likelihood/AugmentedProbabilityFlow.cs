using System.Buffers;
using System.Numerics.Tensors;
using Diffusion.Research.Numerics;
using Diffusion.Research.Scores;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Likelihood;

/// <summary>
/// The PF-ODE augmented with the log-density change (003 Eq 4.2.7; Song et al. 2021, §4.3, App. D.2; Chen et al. 2018): rows
/// hold [x (D) | δ (1) | probes (M·D, Hutchinson only)],
/// dx/dt = v = f(t) x − ½ g(t)² s(x, t), dδ/dt = ∇·v = D f(t) − ½ g(t)² ∇·s, probes constant. Scratch is rented per call.
/// </summary>
internal sealed class AugmentedProbabilityFlow : IDynamics
{
    private readonly ILinearSde _sde;
    private readonly IScoreModel _score;
    private readonly IScoreDivergence? _exact;
    private readonly HutchinsonDivergence? _hutchinson;

    public AugmentedProbabilityFlow(ILinearSde sde, IScoreModel score, int dimension, IScoreDivergence? exact, HutchinsonDivergence? hutchinson)
    {
        _sde = sde;
        _score = score;
        _exact = exact;
        _hutchinson = hutchinson;
        Dimension = dimension;
        Width = dimension + 1 + (hutchinson is null ? 0 : hutchinson.Probes * dimension);
    }

    public int Dimension { get; }

    public int Width { get; }

    public void Drift(double t, Batch state, Batch destination)
    {
        state.RequireShape(destination, nameof(destination));
        int n = state.Count, d = Dimension;
        var f = _sde.DriftCoefficient(t);
        var g = _sde.Diffusion(t);
        var half = 0.5 * g * g;
        var probeWidth = Width - d - 1;
        var rented = ArrayPool<double>.Shared.Rent(2 * n * d + n);
        var probeRent = probeWidth > 0 ? ArrayPool<double>.Shared.Rent(n * probeWidth) : null;
        try
        {
            var both = new Batch(rented, 2 * n, d);
            Batch x = both.Slice(0, n), s = both.Slice(n, n);
            var div = rented.AsSpan(2 * n * d, n);
            for (var i = 0; i < n; i++) state.Row(i)[..d].CopyTo(x.Row(i));
            _score.Score(t, x, s);
            if (_hutchinson is not null)
            {
                var probes = new Batch(probeRent!, n, probeWidth);
                for (var i = 0; i < n; i++) state.Row(i)[(d + 1)..].CopyTo(probes.Row(i));
                _hutchinson.Estimate(t, x, probes, div);
            }
            else
            {
                _exact!.Divergence(t, x, div);
            }
            for (var i = 0; i < n; i++)
            {
                var row = destination.Row(i);
                // v = f x − ½ g² s   (003 §4.2 "probability flow velocity"; Song et al. 2021, §4.3, App. D.2; Chen et al. 2018)
                TensorPrimitives.Multiply(x.Row(i), f, row[..d]);
                TensorPrimitives.MultiplyAdd(s.Row(i), -half, row[..d], row[..d]);
                // ∇·v = D f − ½ g² ∇·s  (003 Eq 4.2.7: dδ/dt = ∇·v; Song et al. 2021, §4.3, App. D.2; Chen et al. 2018)
                row[d] = d * f - half * div[i];
                row[(d + 1)..].Clear();
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
            if (probeRent is not null) ArrayPool<double>.Shared.Return(probeRent);
        }
    }

    public double Diffusion(double t) => 0.0;
}

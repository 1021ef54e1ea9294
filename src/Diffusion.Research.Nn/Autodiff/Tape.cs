using Diffusion.Research.Numerics;

namespace Diffusion.Research.Nn.Autodiff;

/// <summary>
/// A reverse-mode automatic-differentiation tape over 2-D tensors. Every operation appends a node;
/// <see cref="Gradients(Tensor, IReadOnlyList{Tensor}, bool)"/> walks the nodes backwards. The backward
/// rules are themselves tape operations, so with <c>createGraph: true</c> the gradients are recorded and
/// can be differentiated again (gradients of gradients, Hessian-vector products, the score −∇ₓE of an
/// energy that must itself be trained).
/// <para>Storage: nodes and their arrays are recycled by <see cref="Reset"/>. A training loop that
/// builds the same graph each step therefore allocates nothing in steady state. A tape is not
/// thread-safe; the heavy kernels inside it use <see cref="Threads"/> workers with a fixed reduction
/// order, so results do not depend on the thread count.</para>
/// </summary>
public sealed partial class Tape
{
    private readonly List<Tensor> _nodes = [];
    private int _count;
    private bool _recording = true;
    private Tensor?[] _gradients = [];
    private bool[] _needed = [];
    private readonly Dictionary<Parameter, Tensor> _leaves = new(ReferenceEqualityComparer.Instance);
    private readonly SiluJob _siluJob = new();

    /// <summary>A tape whose matrix products use up to <paramref name="threads"/> workers.</summary>
    public Tape(int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Threads = threads;
    }

    /// <summary>Workers used by matrix products (results are identical for any value).</summary>
    public int Threads { get; }

    /// <summary>Number of live nodes.</summary>
    public int Count => _count;

    /// <summary>Forgets every node; their storage is reused by the next operations.</summary>
    public void Reset()
    {
        _count = 0;
        _recording = true;
        _leaves.Clear();
    }

    private Tensor NewNode(int rows, int columns)
    {
        Tensor node;
        if (_count < _nodes.Count)
        {
            node = _nodes[_count];
        }
        else
        {
            node = new Tensor(this);
            _nodes.Add(node);
        }
        node.Initialise(_count, rows, columns);
        _count++;
        return node;
    }

    // ---------------------------------------------------------------- leaves and constants

    /// <summary>A constant (no gradient) of the given shape, filled with <paramref name="value"/>.</summary>
    public Tensor Constant(int rows, int columns, double value = 0.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        var node = NewNode(rows, columns);
        node.Values.Fill(value);
        return node;
    }

    /// <summary>A constant copy of <paramref name="values"/> (row-major, rows x columns).</summary>
    public Tensor Constant(ReadOnlySpan<double> values, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (values.Length != rows * columns)
            throw new ArgumentException($"{values.Length} values cannot fill {rows} x {columns}.", nameof(values));
        var node = NewNode(rows, columns);
        values.CopyTo(node.Values);
        return node;
    }

    /// <summary>A constant copy of a batch (particles as rows).</summary>
    public Tensor Constant(Batch batch) => Constant(batch.Values, batch.Count, batch.Dimension);

    /// <summary>A copy of <paramref name="batch"/> that gradients can be taken with respect to.</summary>
    public Tensor Variable(Batch batch)
    {
        var node = Constant(batch);
        node.MarkRequiresGrad();
        return node;
    }

    /// <summary>A copy of <paramref name="values"/> that gradients can be taken with respect to.</summary>
    public Tensor Variable(ReadOnlySpan<double> values, int rows, int columns)
    {
        var node = Constant(values, rows, columns);
        node.MarkRequiresGrad();
        return node;
    }

    /// <summary>
    /// The leaf that views <paramref name="parameter"/>'s values (no copy) and requires gradients. The same
    /// leaf is returned for the same parameter until <see cref="Reset"/>, so its gradient collects every use.
    /// </summary>
    public Tensor Parameter(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (_leaves.TryGetValue(parameter, out var existing)) return existing;
        Tensor node;
        if (_count < _nodes.Count) node = _nodes[_count];
        else
        {
            node = new Tensor(this);
            _nodes.Add(node);
        }
        node.InitialiseLeaf(_count, parameter.Values, parameter.Rows, parameter.Columns);
        _count++;
        _leaves.Add(parameter, node);
        return node;
    }

    // ---------------------------------------------------------------- gradients

    /// <summary>
    /// Gradients of the scalar <paramref name="output"/> (1 x 1) with respect to each tensor of
    /// <paramref name="wrt"/>. With <paramref name="createGraph"/> the gradients are recorded and can be
    /// differentiated again. A tensor the output does not depend on gets a zero gradient.
    /// </summary>
    public Tensor[] Gradients(Tensor output, IReadOnlyList<Tensor> wrt, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Rows != 1 || output.Columns != 1)
            throw new ArgumentException($"Gradients of a {output.Rows} x {output.Columns} output need a seed; use the overload with one.", nameof(output));
        return Gradients(output, null, wrt, createGraph);
    }

    /// <summary>
    /// Vector-Jacobian products: the gradients of Σ seed ⊙ output with respect to each tensor of
    /// <paramref name="wrt"/> (a null seed means all ones).
    /// </summary>
    public Tensor[] Gradients(Tensor output, Tensor? seed, IReadOnlyList<Tensor> wrt, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(wrt);
        var result = new Tensor[wrt.Count];
        Gradients(output, seed, wrt, result, createGraph);
        return result;
    }

    /// <summary>As <see cref="Gradients(Tensor, Tensor?, IReadOnlyList{Tensor}, bool)"/>, writing into <paramref name="destination"/> (no allocation).</summary>
    public void Gradients(Tensor output, Tensor? seed, IReadOnlyList<Tensor> wrt, Tensor[] destination, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(wrt);
        ArgumentNullException.ThrowIfNull(destination);
        RequireOwn(output, nameof(output));
        if (destination.Length < wrt.Count)
            throw new ArgumentException($"Destination holds {destination.Length} tensors, {wrt.Count} are needed.", nameof(destination));
        if (seed is not null)
        {
            RequireOwn(seed, nameof(seed));
            if (seed.Rows != output.Rows || seed.Columns != output.Columns)
                throw new ArgumentException($"Seed is {seed.Rows} x {seed.Columns}, output is {output.Rows} x {output.Columns}.", nameof(seed));
        }
        for (var i = 0; i < wrt.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(wrt[i], $"{nameof(wrt)}[{i}]");
            RequireOwn(wrt[i], $"{nameof(wrt)}[{i}]");
        }

        var last = output.Id;
        if (_needed.Length <= last) _needed = new bool[Math.Max(last + 1, 2 * _needed.Length)];
        if (_gradients.Length <= last) _gradients = new Tensor?[Math.Max(last + 1, 2 * _gradients.Length)];
        var needed = _needed.AsSpan(0, last + 1);
        needed.Clear();
        for (var i = 0; i < wrt.Count; i++)
            if (wrt[i].Id <= last && wrt[i].RequiresGrad) needed[wrt[i].Id] = true;
        // Forward sweep: a node is needed when one of its inputs is (ids are topologically ordered).
        for (var id = 0; id <= last; id++)
        {
            var node = _nodes[id];
            if (needed[id] || !node.RequiresGrad) continue;
            if ((node.A is { } a && needed[a.Id]) || (node.B is { } b && needed[b.Id])) needed[id] = true;
        }
        Array.Clear(_gradients, 0, last + 1);

        var wasRecording = _recording;
        _recording = createGraph;
        try
        {
            if (needed[last])
                _gradients[last] = seed ?? Constant(output.Rows, output.Columns, 1.0);
            for (var id = last; id >= 0; id--)
            {
                if (!needed[id]) continue;
                var g = _gradients[id];
                var node = _nodes[id];
                if (g is null || node.Op is Op.Leaf or Op.Constant) continue;
                Backward(node, g, needed);
            }
            for (var i = 0; i < wrt.Count; i++)
            {
                var w = wrt[i];
                destination[i] = (w.Id <= last ? _gradients[w.Id] : null) ?? Constant(w.Rows, w.Columns);
            }
        }
        finally
        {
            _recording = wasRecording;
        }
        // Gradient slots hold references into the tape only until the next call.
        Array.Clear(_gradients, 0, last + 1);
    }

    private void Accumulate(Tensor input, Tensor gradient, ReadOnlySpan<bool> needed)
    {
        if (!needed[input.Id]) return;
        var current = _gradients[input.Id];
        _gradients[input.Id] = current is null ? gradient : Add(current, gradient);
    }

    private void RequireOwn(Tensor tensor, string name)
    {
        if (!ReferenceEquals(tensor.Tape, this) || tensor.Id >= _count || !ReferenceEquals(_nodes[tensor.Id], tensor))
            throw new ArgumentException("The tensor does not belong to this tape (or the tape was reset since it was made).", name);
    }
}

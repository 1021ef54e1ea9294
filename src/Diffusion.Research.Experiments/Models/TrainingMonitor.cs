using Diffusion.Research.Nn.Training;

namespace Diffusion.Research.Experiments.Models;

/// <summary>
/// Where neural model builders report training progress (step, loss) so a front end can show it. An instance, not a
/// global: the CLI creates one, hands it to the model registry and listens to it. Thread-safe.
/// </summary>
public sealed class TrainingMonitor
{
    private readonly object _gate = new();
    private Action<TrainingProgress>? _listeners;

    /// <summary>Adds a listener; dispose the result to remove it.</summary>
    public IDisposable Subscribe(Action<TrainingProgress> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_gate) _listeners += listener;
        return new Subscription(this, listener);
    }

    /// <summary>Sends a report to every listener.</summary>
    public void Report(TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Action<TrainingProgress>? listeners;
        lock (_gate) listeners = _listeners;
        listeners?.Invoke(progress);
    }

    /// <summary>The monitor as an <see cref="IProgress{T}"/> for <see cref="ScoreModelTrainer"/> (reports synchronously).</summary>
    public IProgress<TrainingProgress> AsProgress() => new Forwarder(this);

    private sealed class Forwarder(TrainingMonitor monitor) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => monitor.Report(value);
    }

    private sealed class Subscription(TrainingMonitor monitor, Action<TrainingProgress> listener) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            lock (monitor._gate) monitor._listeners -= listener;
        }
    }
}

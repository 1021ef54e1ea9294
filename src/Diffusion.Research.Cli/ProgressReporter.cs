using System.Globalization;
using Diffusion.Research.Experiments;
using Diffusion.Research.Experiments.Models;
using Spectre.Console;

namespace Diffusion.Research.Cli;

/// <summary>
/// Shows sweep progress: a Spectre.Console progress bar (cells done, current cell, ETA) on an interactive terminal,
/// plain lines when output is redirected or CI is set. With a <see cref="TrainingMonitor"/>, neural model training is
/// shown too: a second bar with the step and the loss, or a plain line at most every 2 s (and at the last step).
/// </summary>
public sealed class ProgressReporter
{
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly TrainingMonitor? _training;

    /// <summary>Creates a reporter writing plain lines to <paramref name="output"/>, or a live bar when <paramref name="interactive"/>; training progress from <paramref name="training"/>.</summary>
    public ProgressReporter(TextWriter output, bool interactive, TrainingMonitor? training = null)
    {
        _training = training;
        _out = output ?? throw new ArgumentNullException(nameof(output));
        _interactive = interactive;
    }

    /// <summary>Whether the console is an interactive terminal outside CI.</summary>
    public static bool ConsoleIsInteractive =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/>, which reports through the callback it is given.</summary>
    public SweepSummary Run(string name, Func<Action<SweepProgress>, SweepSummary> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!_interactive)
        {
            var last = DateTime.MinValue;
            var lastTraining = DateTime.MinValue;
            using var subscription = _training?.Subscribe(t =>
            {
                var now = DateTime.UtcNow;
                if (t.Step != t.Steps && (now - lastTraining).TotalSeconds < 2) return;
                lastTraining = now;
                _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{name}] training step {t.Step}/{t.Steps}, loss {t.Loss:G5}, lr {t.LearningRate:G3}"));
            });
            return work(p =>
            {
                var now = DateTime.UtcNow;
                if (p.Done != 0 && p.Done != p.Total && (now - last).TotalSeconds < 1) return;
                last = now;
                _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{name}] {p.Done}/{p.Total} done, {p.Skipped} skipped, {p.Failed} failed, {Clock(p.Elapsed)} elapsed{(p.Remaining is { } r ? $", ETA {Clock(r)}" : "")}; next: {p.Current}"));
            });
        }
        SweepSummary? summary = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(name));
                ProgressTask? trainingTask = null;
                using var subscription = _training?.Subscribe(t =>
                {
                    trainingTask ??= ctx.AddTask("training");
                    trainingTask.MaxValue = Math.Max(1, t.Steps);
                    trainingTask.Value = t.Step;
                    trainingTask.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"training {t.Step}/{t.Steps} loss {t.Loss:G5}"));
                });
                summary = work(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = Markup.Escape($"{name} {p.Done}/{p.Total} ({p.Skipped} skipped, {p.Failed} failed) {Trim(p.Current)}");
                });
                task.Value = task.MaxValue;
            });
        return summary!;
    }

    private static string Trim(string s) => s.Length <= 50 ? s : s[..47] + "...";

    private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
}

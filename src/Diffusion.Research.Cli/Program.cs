using Diffusion.Research.Cli;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Models;

var training = new TrainingMonitor();
return new DiffusionCli(ExperimentBackend.CreateDefault(training), Console.Out, Console.Error, ProgressReporter.ConsoleIsInteractive, training).Invoke(args);

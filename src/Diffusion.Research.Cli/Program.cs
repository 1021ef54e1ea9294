using Diffusion.Research.Cli;
using Diffusion.Research.Experiments.Backend;
using Diffusion.Research.Experiments.Models;

var training = new TrainingMonitor();
var backend = ExperimentBackend.CreateDefault(training);
backend.Notice = message => Console.Out.WriteLine("note: " + message);
return new DiffusionCli(backend, Console.Out, Console.Error, ProgressReporter.ConsoleIsInteractive, training).Invoke(args);

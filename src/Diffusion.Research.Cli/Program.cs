using Diffusion.Research.Cli;
using Diffusion.Research.Experiments.Backend;

return new DiffusionCli(ExperimentBackend.CreateDefault(), Console.Out, Console.Error, ProgressReporter.ConsoleIsInteractive).Invoke(args);

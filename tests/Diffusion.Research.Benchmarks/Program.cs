using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line, e.g.
//   dotnet run -c Release --project tests/Diffusion.Research.Benchmarks -- --filter '*ReverseSde*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

using BenchmarkDotNet.Running;
using Diffusion.Research.Benchmarks.Throughput;
using System.Globalization;

// Runs the benchmarks named on the command line, e.g.
//   dotnet run -c Release --project tests/Diffusion.Research.Benchmarks -- --filter '*ReverseSde*'
// Two Stopwatch harnesses (no BenchmarkDotNet job):
//   ... -- fma-peak                      float64 FMA throughput, 1 and 2 threads
//   ... -- train-rate [threads] [peak] [repeats]   DSM step rate (threads 1,2; peak 128 GFLOP/s per core; 15 x 20 steps)
//   ... -- train-digest                  SHA-256 of the weights after 50 DSM steps, 1 and 2 threads
if (args.Length > 0 && args[0] == "fma-peak")
{
    FmaPeak.Run();
    return;
}
if (args.Length > 0 && args[0] == "train-rate")
{
    var threads = args.Length > 1 ? args[1].Split(',').Select(int.Parse).ToArray() : [1, 2];
    var peak = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 128.0;
    var repeats = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 15;
    foreach (var t in threads) TrainingRate.RunGemm(t, peak);
    TrainingRate.RunElementwise();
    TrainingRate.Run(threads, peak, repeats);
    return;
}
if (args.Length > 0 && args[0] == "train-digest")
{
    foreach (var t in new[] { 1, 2 }) Console.WriteLine($"threads = {t}: weights after 50 DSM steps SHA-256 {TrainingRate.Digest(t, 50)}");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

using Diffusion.Research.Data;
using Diffusion.Research.Experiments.Models;
using Diffusion.Research.Experiments.Plans;
using Diffusion.Research.Nn.Training;
using Diffusion.Research.Numerics;
using Diffusion.Research.Sde;

namespace Diffusion.Research.Tests.Contracts;

public class ExperimentsModelsContractTests
{
    private static ModelContext Context(string settings, IDataSet? data = null, ISde? sde = null) =>
        new(new ModelSpec("m", ExperimentsApiContract.Mapping(settings)), data ?? ToyData.EightGaussians(), sde ?? VpSde.Linear(), new NoiseSource(3), 1);

    [Fact]
    public void Training_monitor_refuses_nulls()
    {
        var monitor = new TrainingMonitor();
        Contract.Null(() => monitor.Subscribe(null!), "listener");
        Contract.Null(() => monitor.Report(null!), "progress");
        var seen = new List<int>();
        using (monitor.Subscribe(p => seen.Add(p.Step)))
            monitor.Report(new TrainingProgress(3, 5, 0.37, 0.25, 2.5));
        Assert.Equal([3], seen);
    }

    [Fact]
    public void Model_registry_refuses_a_null_builder()
    {
        var registry = new ModelRegistry();
        Contract.Null(() => registry.Register("k", null!), "builder");
        registry.Register("k", new ExactModelBuilder());
        Assert.IsType<ExactModelBuilder>(registry.Get("k"));
    }

    [Fact]
    public void Exact_builder_needs_a_closed_form_kernel()
    {
        var builder = new ExactModelBuilder();
        Contract.Null(() => builder.Check(null!), "context");
        Contract.Argument(() => builder.Check(Context("kind: exact", sde: ExperimentsApiContract.Langevin())), "sde.kind",
            "model kind 'exact' needs an SDE with a closed-form kernel p_t(x_t|x_0).");
        builder.Check(Context("kind: exact"));
    }

    [Fact]
    public void Neural_builder_knows_its_kinds()
    {
        Contract.Null(() => _ = new NeuralModelBuilder(null!), "kind");
        Contract.Argument(() => _ = new NeuralModelBuilder("cnn"), "kind", "Unknown neural model kind 'cnn'. Known: mlp, ebm.");
        Contract.Argument(() => _ = new NeuralModelBuilder("MLP"), "kind", "Unknown neural model kind 'MLP'. Known: mlp, ebm.");
        Assert.StartsWith("MLP energy", new NeuralModelBuilder("ebm").Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Neural_check_needs_a_kernel_and_esm_an_exact_score()
    {
        var builder = new NeuralModelBuilder("mlp");
        Contract.Null(() => builder.Check(null!), "context");
        Contract.Argument(() => builder.Check(Context("kind: mlp", sde: ExperimentsApiContract.Langevin())), "model.kind",
            "a neural model is trained with the SDE's closed-form kernel p_t(x_t|x_0); this SDE has none.");
        var moons = DataSetRegistry.CreateDefault().Create("moons");
        Contract.Argument(() => builder.Check(Context("kind: mlp\ntrain: {loss: esm}", moons)), "model.train.loss",
            "loss 'esm' needs the exact noised score: Gaussian or Gaussian-mixture data (e.g. 8gaussians).");
        builder.Check(Context("kind: mlp\ntrain: {loss: esm}"));
        builder.Check(Context("kind: mlp", moons));
    }
}

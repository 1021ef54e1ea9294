namespace Diffusion.Research.Data;

/// <summary>A registered data set: its name, a one-line description, and the factory that builds it from parameters.</summary>
public sealed record DataSetEntry(string Name, string Description, Func<DataSetParameters, IDataSet> Factory);

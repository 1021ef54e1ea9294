namespace Diffusion.Research.Experiments.Plans;

/// <summary>How a key of a block enters the canonical JSON of a cell (its identity, hashed into the cell id).</summary>
public enum KeyIdentity
{
    /// <summary>Written always, default included: the keys of the first schema, on which existing cell ids depend.</summary>
    Always,

    /// <summary>
    /// Written only when the value differs from the default. Every key added after the first schema is of this kind, so
    /// adding a key never changes the id of a cell that does not set it (and its committed results stay reusable).
    /// </summary>
    WhenSet,
}

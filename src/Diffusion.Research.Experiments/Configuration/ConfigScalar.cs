namespace Diffusion.Research.Experiments.Configuration;

/// <summary>A scalar value as written in the file.</summary>
public sealed class ConfigScalar : ConfigNode
{
    /// <summary>Creates a scalar.</summary>
    public ConfigScalar(string value, bool isQuoted, SourceLocation location)
        : base(location)
    {
        Value = value ?? throw new ArgumentNullException(nameof(value));
        IsQuoted = isQuoted;
    }

    /// <summary>The text of the scalar.</summary>
    public string Value { get; }

    /// <summary>Whether the scalar was quoted (a quoted scalar is always a string).</summary>
    public bool IsQuoted { get; }

    /// <summary>Whether the scalar is a plain YAML null (<c>~</c>, <c>null</c> or empty).</summary>
    public bool IsNull => !IsQuoted && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    /// <inheritdoc />
    public override string KindName => IsNull ? "null" : IsQuoted ? $"the string \"{Value}\"" : $"'{Value}'";
}

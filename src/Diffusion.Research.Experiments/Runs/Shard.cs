using System.Globalization;

namespace Diffusion.Research.Experiments;

/// <summary>
/// A deterministic subset of a sweep: shard <see cref="Index"/> of <see cref="Count"/> (1-based) runs the units
/// (cell, repeat) whose position u = cell × repeats + repeat satisfies u mod Count = Index − 1.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The whole sweep.</summary>
    public static Shard All { get; } = new(1, 1);

    /// <summary>Whether the unit at position <paramref name="unit"/> belongs to this shard.</summary>
    public bool Contains(long unit) => unit % Count == Index - 1;

    /// <summary>Parses "i/n" with 1 ≤ i ≤ n.</summary>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || n < 1 || i < 1 || i > n)
            throw new ArgumentException($"--shard must be i/n with 1 <= i <= n (e.g. 2/4), got '{text}'.", nameof(text));
        return new Shard(i, n);
    }

    /// <summary>"i/n".</summary>
    public override string ToString() => $"{Index}/{Count}";
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Diffusion.Research.Experiments.Configuration;

/// <summary>
/// Turns an <see cref="ArgumentException"/> thrown by a component (an SDE, a solver, a neural model's options) into a
/// message in the user's terms: the dotted YAML key instead of the .NET parameter name (betaMax, SChurn, BatchSize), no
/// "(Parameter '...')" or "Actual value was ..." tails (removed by their ParamName, <see cref="ConfigPathException.MessageOf"/>),
/// and the offending value where the exception carries it.
/// </summary>
public static partial class ArgumentMessage
{
    /// <summary>The YAML form of a .NET parameter name: betaMax → beta_max, SChurn → s_churn (dotted keys are kept).</summary>
    public static string SnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('.', StringComparison.Ordinal) || name.Contains('_', StringComparison.Ordinal)) return name;
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>"key: message" for an exception whose ParamName is a dotted YAML key (or just the message without one).</summary>
    public static string Describe(ArgumentException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var key = exception.ParamName;
        var leaf = key is null ? null : key[(key.LastIndexOf('.') + 1)..];
        // The sentence without the tail .NET appends for the ParamName of this exception and of every inner one whose
        // message a wrapper copied: the tails are computed from the ParamNames (data), not searched for in the text.
        var text = FirstLine(ConfigPathException.MessageOf(exception));
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
            if (e is ArgumentException { ParamName: { Length: > 0 } name })
                text = text.Replace(ConfigPathException.ParameterTail(name), "", StringComparison.Ordinal);
        text = text.Trim();
        // The innermost component's own parameter name (e.g. BatchSize) and its snake_case spelling (S_churn) are the
        // key's last segment in the user's file.
        for (Exception? e = exception; e is not null; e = e.InnerException)
            if (leaf is not null && e is ArgumentException { ParamName: { Length: > 0 } inner } && inner != leaf && !inner.Contains('.', StringComparison.Ordinal))
                text = Regex.Replace(text, $@"\b({Regex.Escape(inner)}|{Regex.Escape(SnakeCase(inner))})\b", leaf, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var actual = Innermost<ArgumentOutOfRangeException>(exception)?.ActualValue;
        // .NET's own guard messages ("X ('0') must be a non-negative and non-zero value.") say it in its own words.
        text = NonZero().Replace(text, m => $"{m.Groups[1].Value}must be positive, got {m.Groups[2].Value}.");
        text = NonNegative().Replace(text, m => $"{m.Groups[1].Value}must be 0 or more, got {m.Groups[2].Value}.");
        if (actual is not null)
        {
            var shown = Convert.ToString(actual, CultureInfo.InvariantCulture) ?? "";
            if (shown.Length > 0 && !text.Contains(shown, StringComparison.Ordinal)) text = text.TrimEnd('.') + $", got {shown}.";
        }
        return key is null ? text : $"{key}: {text}";
    }

    /// <summary>The first line of an exception message (the stack of "Actual value was" lines dropped).</summary>
    public static string Clean(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return FirstLine(message).Trim();
    }

    private static string FirstLine(string message) => message.ReplaceLineEndings("\n").Split('\n')[0];

    private static T? Innermost<T>(Exception exception) where T : Exception
    {
        T? found = null;
        for (Exception? e = exception; e is not null; e = e.InnerException)
            if (e is T t) found = t;
        return found;
    }

    [GeneratedRegex(@"(\w+ )?\('([^']*)'\) must be a non-negative and non-zero value\.")]
    private static partial Regex NonZero();

    [GeneratedRegex(@"(\w+ )?\('([^']*)'\) must be a non-negative value\.")]
    private static partial Regex NonNegative();
}

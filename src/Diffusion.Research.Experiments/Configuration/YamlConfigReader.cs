using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using Tokens = YamlDotNet.Core.Tokens;

namespace Diffusion.Research.Experiments.Configuration;

/// <summary>
/// Reads a YAML file into a <see cref="ConfigNode"/> tree through YamlDotNet's event model, so every node keeps
/// its start mark. Rejects what a strict experiment file must not contain: duplicate keys, non-scalar keys,
/// anchors and aliases, tags (<c>!!str</c>, <c>!python/object</c>), nesting deeper than <see cref="MaxDepth"/>, several
/// documents, binary or non-UTF-8 content, an empty file, and (from disk) anything but a regular file of at most
/// <see cref="MaxFileBytes"/> bytes.
/// </summary>
public static class YamlConfigReader
{
    /// <summary>The deepest nesting of mappings and lists accepted (an experiment needs 4; the bound keeps the reader's recursion far from the stack limit).</summary>
    public const int MaxDepth = 64;

    /// <summary>The largest experiment file accepted, 4 MiB (a sweep of 4 axes of 65,536 short values fits).</summary>
    public const long MaxFileBytes = 4L << 20;

    /// <summary>Reads and parses a file; throws <see cref="ConfigException"/> with located errors.</summary>
    public static ConfigNode ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (RegularFile.Read(path, MaxFileBytes, "experiment file", out var bytes) is { } problem)
            throw new ConfigException([new ConfigError(new SourceLocation(path, 1, 1), problem)]);
        return Parse(bytes!, path);
    }

    /// <summary>Parses UTF-8 bytes; <paramref name="file"/> names the source in errors.</summary>
    public static ConfigNode Parse(byte[] bytes, string file)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(file);
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var offset = Math.Max(0, e.Index);
            var line = 1;
            var start = 0;
            for (var i = 0; i < offset && i < bytes.Length; i++)
                if (bytes[i] == (byte)'\n') { line++; start = i + 1; }
            throw Error(file, line, offset - start + 1, $"the file is not UTF-8 text (invalid byte 0x{bytes[Math.Min(offset, bytes.Length - 1)]:X2}); is it binary?");
        }
        return Parse(text, file);
    }

    /// <summary>Parses YAML text; <paramref name="file"/> names the source in errors.</summary>
    public static ConfigNode Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var line = 1;
        var column = 1;
        foreach (var c in text)
        {
            if (c == '\n') { line++; column = 1; continue; }
            if (c == '\0' || (char.IsControl(c) && c != '\r' && c != '\t'))
                throw Error(file, line, column, $"the file contains a control character (U+{(int)c:X4}); is it binary?");
            column++;
        }
        try
        {
            var parser = new MarkedParser(text);
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out var end))
                throw Error(file, end.Start, "the file is empty; an experiment needs at least a name");
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, file, 1);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
                throw Error(file, second.Start, "a second YAML document; an experiment file holds exactly one");
            parser.Consume<StreamEnd>();
            if (root is ConfigScalar { IsNull: true })
                throw Error(file, root.Location.Line, root.Location.Column, "the file is empty; an experiment needs at least a name");
            return root;
        }
        catch (YamlException e)
        {
            throw Error(file, e.Start, $"YAML syntax: {Clean(e.Message)}");
        }
    }

    private static ConfigNode ReadNode(IParser parser, string file, int depth)
    {
        var current = parser.Current;
        if (current is NodeEvent { Tag.IsEmpty: false } tagged)
            throw Error(file, tagged.Start, $"YAML tags ({ShowTag(tagged.Tag.Value)}) are not supported; write the plain value (a number, true/false, or a quoted string)");
        if (depth > MaxDepth && current is SequenceStart or MappingStart)
            throw Error(file, current.Start, $"lists and mappings are nested more than {MaxDepth} levels deep; an experiment file needs at most a few levels");
        switch (current)
        {
            case AnchorAlias alias:
                throw Error(file, alias.Start, "anchors and aliases (*name) are not supported; write the value out");
            case Scalar scalar:
                parser.MoveNext();
                RejectAnchor(scalar, file);
                return new ConfigScalar(scalar.Value, scalar.Style is not ScalarStyle.Plain, At(file, scalar.Start));
            case SequenceStart start:
            {
                RejectAnchor(start, file);
                parser.MoveNext();
                var items = new List<ConfigNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                    items.Add(ReadNode(parser, file, depth + 1));
                return new ConfigSequence(items, At(file, start.Start));
            }
            case MappingStart start:
            {
                RejectAnchor(start, file);
                parser.MoveNext();
                var entries = new List<ConfigEntry>();
                var seen = new Dictionary<string, ConfigScalar>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyNode = ReadNode(parser, file, depth + 1);
                    if (keyNode is not ConfigScalar key)
                        throw Error(file, keyNode.Location.Line, keyNode.Location.Column, "a mapping key must be a plain name, not " + keyNode.KindName);
                    if (seen.TryGetValue(key.Value, out var first))
                        throw Error(file, key.Location.Line, key.Location.Column,
                            $"duplicate key '{key.Value}' (first given at line {first.Location.Line}, column {first.Location.Column})");
                    seen.Add(key.Value, key);
                    var value = ReadNode(parser, file, depth + 1);
                    entries.Add(new ConfigEntry(key, value));
                }
                return new ConfigMapping(entries, At(file, start.Start));
            }
            default:
                throw Error(file, current?.Start ?? Mark.Empty, $"unexpected YAML event {current?.GetType().Name}");
        }
    }

    /// <summary>
    /// YamlDotNet's parser, with a location for the one syntax error its scanner reports without one: a list or mapping
    /// in brackets still open at a line indented less than the line it opened on makes the scanner throw a bare
    /// <see cref="InvalidOperationException"/> (YamlDotNet 16.3.0, Scanner.ScanPlainScalar). The text is then scanned
    /// again token by token, and the error placed at the innermost bracket still open when the scanner stops.
    /// </summary>
    private sealed class MarkedParser(string text) : IParser
    {
        private readonly Parser parser = new(new StringReader(text));

        public ParsingEvent? Current => parser.Current;

        public bool MoveNext()
        {
            try
            {
                return parser.MoveNext();
            }
            catch (InvalidOperationException)
            {
                var open = UnclosedBracket(text);
                throw new SyntaxErrorException(open, open,
                    "this list [ ] or mapping { } is not closed before a line indented less than its own; close it with ] or } on its line (or write it in block style)");
            }
        }

        private static Mark UnclosedBracket(string text)
        {
            var scanner = new Scanner(new StringReader(text));
            var open = new Stack<Mark>();
            var last = Mark.Empty;
            try
            {
                while (scanner.MoveNext())
                {
                    var token = scanner.Current!;
                    last = token.Start;
                    if (token is Tokens.FlowSequenceStart or Tokens.FlowMappingStart) open.Push(token.Start);
                    else if (token is Tokens.FlowSequenceEnd or Tokens.FlowMappingEnd && open.Count > 0) open.Pop();
                }
            }
            catch (InvalidOperationException)
            {
            }
            catch (YamlException)
            {
            }
            return open.Count > 0 ? open.Peek() : OpenedOnLine(text, last);
        }

        // The scanner holds tokens back until it knows whether a key follows, so the bracket may not have reached the
        // token stream: the innermost bracket opened and not closed on the rest of the last token's line, if any.
        private static Mark OpenedOnLine(string text, Mark from)
        {
            var index = (int)Math.Min(from.Index, text.Length);
            var end = text.IndexOf('\n', index);
            var open = new Stack<int>();
            for (var i = index; i < (end < 0 ? text.Length : end); i++)
            {
                if (text[i] == '#') break;
                if (text[i] is '[' or '{') open.Push(i);
                else if (text[i] is ']' or '}' && open.Count > 0) open.Pop();
            }
            return open.Count > 0 ? new Mark(open.Peek(), from.Line, from.Column + open.Peek() - index) : from;
        }
    }

    private static string ShowTag(string tag) =>
        tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal) ? "!!" + tag["tag:yaml.org,2002:".Length..] : tag;

    private static void RejectAnchor(NodeEvent node, string file)
    {
        if (!node.Anchor.IsEmpty)
            throw Error(file, node.Start, "anchors and aliases (&name) are not supported; write the value out");
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes "(Line: a, Col: b, Idx: c) - (Line: ...): "; the location is reported separately.
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return i >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(i + 3)..] : message;
    }

    private static SourceLocation At(string file, Mark mark) => new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static ConfigException Error(string file, Mark mark, string message) =>
        new([new ConfigError(At(file, mark), message)]);

    private static ConfigException Error(string file, int line, int column, string message) =>
        new([new ConfigError(new SourceLocation(file, line, column), message)]);
}

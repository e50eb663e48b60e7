// ConfigBinder: the one typed YAML binder behind every ReasonRL config file (train.yaml, sft.yaml,
// reward.yaml): YAML (YamlDotNet's node model, no reflection) plus optional `dotted.key=value`
// command-line overrides, read key by key into typed, validated values. Every error names the source
// (file:line, or "command line override #n"), the dotted key and the expected value, through the
// caller's exception type (a ConfigException subclass). Two ways to declare the allowed keys:
// getters record the keys they ask for and RejectUnknown rejects the rest, listing the known keys of
// the section (train, sft); or Section(key, allowed) checks one mapping against its key list at once
// (reward.yaml's nested grammar). Block sections (train's `reward:`) are kept as raw YAML text for
// another parser, with their original line numbers preserved (earlier lines blanked) so that parser's
// errors still point at the right line of the user's file. The resolved config renders back as YAML
// (every key asked for, defaults included; block sections verbatim) that parses to the same values.
// What it is not: the config records or their loaders (Runs/TrainConfigLoader.cs, Runs/SftRunConfig.cs,
// Rewards/Offline/RewardConfigLoader.cs), which own the keys, defaults and cross-field rules.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReasonRL.Core;

/// <summary>A rejected config value: where (file:line, or a command-line override), the dotted key, the problem.</summary>
public class ConfigException(string origin, int line, string key, string problem)
    : Exception(line > 0 ? $"{origin}:{line}: {key}: {problem}" : $"{origin}: {key}: {problem}")
{
    /// <summary>File name or the command-line override.</summary>
    public string Origin { get; } = origin;

    /// <summary>1-based line (0 when not from a file).</summary>
    public int Line { get; } = line;

    /// <summary>Dotted key ("(yaml)" for a syntax error, "(root)" for the document).</summary>
    public string Key { get; } = key;

    /// <summary>What was found and what was expected.</summary>
    public string Problem { get; } = problem;
}

/// <summary>Creates the caller's exception type for a rejected value.</summary>
public delegate ConfigException ConfigErrorFactory(string origin, int line, string key, string problem);

/// <summary>Typed, validated access to a YAML config with overrides (see file header).</summary>
public sealed class ConfigBinder
{
    private enum Kind { Scalar, Mapping, Sequence }

    private sealed record Node(Kind Kind, string Text, string Source, int Line, int KeyLine, bool Quoted, List<string> Keys, List<Node> Items);

    private readonly Dictionary<string, Node> nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Text, int Line)> blocks = new(StringComparer.Ordinal);
    private readonly HashSet<string> known = new(StringComparer.Ordinal);
    private readonly List<(string Key, string Yaml)> resolved = [];
    private readonly List<(string Section, string Text)> resolvedBlocks = [];
    private readonly ConfigErrorFactory error;
    private Node? root;

    /// <summary>Name of the config file in messages.</summary>
    public string File { get; }

    /// <summary>True when the file holds no document (or an empty one).</summary>
    public bool IsEmpty => root is null;

    private ConfigBinder(string file, ConfigErrorFactory? error)
    {
        File = file;
        this.error = error ?? ((o, l, k, p) => new ConfigException(o, l, k, p));
    }

    /// <summary>Reads <paramref name="yaml"/> (named <paramref name="file"/>) and applies <paramref name="overrides"/>
    /// (`dotted.key=value`); top-level keys in <paramref name="blockSections"/> are kept as raw text (see
    /// <see cref="Block"/>); errors are created by <paramref name="error"/> (default: ConfigException).</summary>
    public static ConfigBinder Parse(string yaml, string file, IReadOnlyList<string>? overrides = null,
        IReadOnlyCollection<string>? blockSections = null, ConfigErrorFactory? error = null)
    {
        var b = new ConfigBinder(file, error);
        b.ReadYaml(yaml, blockSections ?? []);
        for (int i = 0; overrides is not null && i < overrides.Count; i++)
        {
            string src = $"command line override #{i + 1} '{overrides[i]}'";
            int eq = overrides[i].IndexOf('=');
            if (eq <= 0) throw b.error(src, 0, "(override)", "expected dotted.key=value, e.g. algorithm.gamma=0.99");
            string key = overrides[i][..eq].Trim();
            if (blockSections is not null && blockSections.Contains(key.Split('.')[0]))
                throw b.error(src, 0, key, $"the '{key.Split('.')[0]}' section cannot be overridden on the command line; edit it in the config file");
            int dot = key.LastIndexOf('.');
            if (dot > 0 && b.nodes.TryGetValue(key[..dot], out var parent) && parent.Kind == Kind.Mapping && !parent.Keys.Contains(key[(dot + 1)..]))
                parent.Keys.Add(key[(dot + 1)..]);
            b.nodes[key] = new Node(Kind.Scalar, overrides[i][(eq + 1)..].Trim(), src, 0, 0, false, [], []);
        }
        return b;
    }

    private void ReadYaml(string yaml, IReadOnlyCollection<string> blockSections)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw error(File, (int)e.Start.Line, "(yaml)", $"not valid YAML: {e.Message}"); }
        // YamlDotNet 16.3's scanner throws this (no position) on some unterminated flow collections.
        catch (InvalidOperationException e) { throw error(File, 1, "(yaml)", $"not valid YAML (position unknown; check brackets and quotes): {e.Message}"); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return;
        var top = stream.Documents[0].RootNode;
        string[] lines = yaml.Replace("\r\n", "\n").Split('\n');
        root = Build(top, "", (int)top.Start.Line, lines, blockSections);
    }

    // Adds the node at dotted path `path` (and everything below it) to `nodes`; returns it.
    private Node Build(YamlNode yamlNode, string path, int keyLine, string[] lines, IReadOnlyCollection<string> blockSections)
    {
        int line = (int)yamlNode.Start.Line;
        switch (yamlNode)
        {
            case YamlScalarNode s:
                return new Node(Kind.Scalar, s.Value ?? "", File, line, keyLine, s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted, [], []);
            case YamlSequenceNode q:
                {
                    var items = new List<Node>();
                    for (int i = 0; i < q.Children.Count; i++) items.Add(Build(q.Children[i], $"{path}[{i}]", (int)q.Children[i].Start.Line, lines, []));
                    return new Node(Kind.Sequence, "", File, line, keyLine, false, [], items);
                }
            case YamlMappingNode m:
                {
                    var keys = new List<string>();   // YamlDotNet itself rejects a key given twice ("(yaml)" error)
                    foreach (var (k, v) in m.Children)
                    {
                        string name = (k as YamlScalarNode)?.Value ?? "";
                        string dotted = path.Length == 0 ? name : path + "." + name;
                        keys.Add(name);
                        if (path.Length == 0 && blockSections.Contains(name))
                        {
                            if (v is not YamlMappingNode block) throw error(File, (int)v.Start.Line, name, "expected a mapping of keys under this section");
                            blocks[name] = (ExtractBlock(lines, block), (int)block.Start.Line);
                            continue;
                        }
                        nodes[dotted] = Build(v, dotted, (int)k.Start.Line, lines, []);
                    }
                    return new Node(Kind.Mapping, "", File, line, keyLine, false, keys, []);
                }
            default:
                throw error(File, line, path.Length == 0 ? "(root)" : path, "expected a scalar, a mapping or a list (YAML aliases are not supported)");
        }
    }

    /// <summary>The text of a mapping node, dedented to column 1, preceded by blank lines so it keeps its line numbers.</summary>
    private static string ExtractBlock(string[] lines, YamlMappingNode node)
    {
        int first = (int)node.Start.Line - 1, col = (int)node.Start.Column - 1;
        var sb = new StringBuilder();
        for (int i = 0; i < first; i++) sb.Append('\n');
        sb.Append(lines[first].AsSpan(col)).Append('\n');
        if (node.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
        {
            for (int i = first + 1; i < (int)node.End.Line && i < lines.Length; i++) sb.Append(lines[i]).Append('\n');
            return sb.ToString();
        }
        for (int i = first + 1; i < lines.Length; i++)
        {
            string line = lines[i];
            string trimmed = line.TrimStart();
            int indent = line.Length - trimmed.Length;
            if (trimmed.Length > 0 && !trimmed.StartsWith('#') && indent < col) break;
            sb.Append(indent >= col ? line[col..] : trimmed).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Raw YAML of block section <paramref name="section"/> (line-preserving), or null when absent; rendered back verbatim.</summary>
    public string? Block(string section)
    {
        known.Add(section + ".*");
        if (!blocks.TryGetValue(section, out var b)) return null;
        resolvedBlocks.Add((section, b.Text.TrimStart('\n')));
        return b.Text;
    }

    /// <summary>
    /// Checks that <paramref name="key"/> ("" = the document) is a mapping whose keys are all in
    /// <paramref name="allowed"/> (errors list them) and declares them known; returns the keys present,
    /// in file order, or null when <paramref name="key"/> is absent.
    /// </summary>
    public IReadOnlyList<string>? Section(string key, IReadOnlyList<string> allowed)
    {
        var node = key.Length == 0 ? root : nodes.GetValueOrDefault(key);
        if (node is null) return null;
        string list = string.Join(", ", allowed);
        if (node.Kind != Kind.Mapping) throw At(node, key.Length == 0 ? "(root)" : key, $"expected a mapping with keys {list}");
        foreach (var name in node.Keys)
        {
            string dotted = Join(key, name);
            if (!allowed.Contains(name))
                throw error(nodes.TryGetValue(dotted, out var child) ? child.Source : File, child?.KeyLine ?? node.Line, dotted, $"unknown key; expected one of {list}");
        }
        foreach (var name in allowed) known.Add(Join(key, name));
        return node.Keys;
    }

    private static string Join(string section, string name) => section.Length == 0 ? name : section + "." + name;

    /// <summary>The exception for <paramref name="key"/>, placed at the source and line of <paramref name="at"/>
    /// (default: the key itself; "(defaults)" when neither is set).</summary>
    public ConfigException Error(string key, string problem, string? at = null)
    {
        var node = nodes.GetValueOrDefault(at ?? key);
        return node is null ? error("(defaults)", 0, key, problem) : error(node.Source, node.Line, key, problem);
    }

    /// <summary>Throws <see cref="Error"/>.</summary>
    [DoesNotReturn]
    public void Fail(string key, string problem, string? at = null) => throw Error(key, problem, at);

    private ConfigException At(Node node, string key, string problem) => error(node.Source, node.Line, key, problem);

    /// <summary>True when the file or an override sets <paramref name="key"/>.</summary>
    public bool IsSet(string key) => nodes.ContainsKey(key);

    private static string KindName(Node n) => n.Kind switch { Kind.Mapping => "a mapping", Kind.Sequence => "a list", _ => "a scalar" };

    // The scalar at `key` (recorded as known), or null when absent; a mapping or list is an error.
    private Node? Scalar(string key, string expected)
    {
        known.Add(key);
        if (!nodes.TryGetValue(key, out var n)) return null;
        if (n.Kind != Kind.Scalar) throw At(n, key, $"is {KindName(n)}; expected {expected}");
        return n;
    }

    private static bool IsNull(Node n) => !n.Quoted && n.Text is "" or "null" or "~" or "none";

    private static string Quote(string v) => "\"" + v.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\t", "\\t") + "\"";

    /// <summary>A non-empty string; <paramref name="expected"/> words it in messages.</summary>
    public string String(string key, string fallback, string expected = "a non-empty string")
    {
        var n = Scalar(key, expected);
        string v = n?.Text ?? fallback;
        if (v.Length == 0) Fail(key, $"is empty; expected {expected}");
        resolved.Add((key, Quote(v)));
        return v;
    }

    /// <summary>A string, or null (unquoted null / ~ / empty).</summary>
    public string? OptionalString(string key, string? fallback)
    {
        var n = Scalar(key, "a string or null");
        if (n is not null ? IsNull(n) : fallback is null)
        {
            resolved.Add((key, "null"));
            return null;
        }
        return String(key, fallback ?? "");
    }

    /// <summary>An integer in [min, max].</summary>
    public long Long(string key, long fallback, long min, long max)
    {
        string expected = $"an integer in [{min}, {max}]";
        long v = fallback;
        var n = Scalar(key, expected);
        if (n is not null && !long.TryParse(n.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v))
            Fail(key, $"'{n.Text}' is not an integer; expected {expected}");
        if (v < min || v > max) Fail(key, $"is {v}; expected {expected}");
        resolved.Add((key, v.ToString(CultureInfo.InvariantCulture)));
        return v;
    }

    /// <summary>An integer in [min, max], or null (unquoted null / ~ / empty).</summary>
    public long? OptionalLong(string key, long? fallback, long min, long max)
    {
        var n = Scalar(key, $"null or an integer in [{min}, {max}]");
        if (n is not null ? IsNull(n) : fallback is null)
        {
            resolved.Add((key, "null"));
            return null;
        }
        return Long(key, fallback ?? 0, min, max);
    }

    /// <summary>A finite number in [min, max]; <paramref name="expected"/> words the range in messages.</summary>
    public double Double(string key, double fallback, double min, double max, string expected)
    {
        double v = fallback;
        var n = Scalar(key, expected);
        if (n is not null) v = ParseDouble(n, key, expected);
        if (!double.IsFinite(v) || v < min || v > max) Fail(key, $"is {v.ToString("R", CultureInfo.InvariantCulture)}; expected {expected}");
        resolved.Add((key, v.ToString("R", CultureInfo.InvariantCulture)));
        return v;
    }

    private double ParseDouble(Node n, string key, string expected) =>
        double.TryParse(n.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw At(n, key, $"'{n.Text}'; expected {expected}");

    /// <summary>A number in [min, max], or null.</summary>
    public double? OptionalDouble(string key, double? fallback, double min, double max, string expected)
    {
        var n = Scalar(key, expected);
        if (n is not null ? IsNull(n) : fallback is null)
        {
            resolved.Add((key, "null"));
            return null;
        }
        return Double(key, fallback ?? 0, min, max, expected);
    }

    /// <summary>A list of finite numbers in [min, max] (items named key[i] in messages), or null when absent.</summary>
    public IReadOnlyList<double>? DoubleList(string key, double min, double max, string expected) =>
        List(key, "a list of numbers, e.g. [0.5]", expected, (item, itemKey) =>
        {
            double v = ParseDouble(item, itemKey, expected);
            if (!double.IsFinite(v) || v < min || v > max) throw At(item, itemKey, $"is {v.ToString("R", CultureInfo.InvariantCulture)}; expected {expected}");
            return v;
        }, v => v.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>A list of non-empty strings (items named key[i] in messages), or null when absent.</summary>
    public IReadOnlyList<string>? StringList(string key, string expected = "a non-empty string") =>
        List(key, "a list of strings, e.g. [\"a\", \"b\"]", expected,
            (item, itemKey) => item.Text.Length > 0 ? item.Text : throw At(item, itemKey, $"is empty; expected {expected}"), Quote);

    // A list of scalars, each read by `read` (which names its item key in errors), or null when absent.
    private T[]? List<T>(string key, string shape, string expected, Func<Node, string, T> read, Func<T, string> render)
    {
        known.Add(key);
        if (!nodes.TryGetValue(key, out var n))
        {
            resolved.Add((key, "null"));
            return null;
        }
        if (n.Kind != Kind.Sequence) throw At(n, key, $"expected {shape}; each {expected}");
        var values = new T[n.Items.Count];
        for (int i = 0; i < values.Length; i++)
        {
            var item = n.Items[i];
            string itemKey = $"{key}[{i}]";
            if (item.Kind != Kind.Scalar) throw At(item, itemKey, $"is {KindName(item)}; expected {expected}");
            values[i] = read(item, itemKey);
        }
        resolved.Add((key, "[" + string.Join(", ", values.Select(render)) + "]"));
        return values;
    }

    /// <summary>true / false.</summary>
    public bool Bool(string key, bool fallback)
    {
        bool v = fallback;
        var n = Scalar(key, "true or false");
        if (n is not null)
        {
            if (n.Text is "true" or "True") v = true;
            else if (n.Text is "false" or "False") v = false;
            else Fail(key, $"'{n.Text}' is not a boolean; expected true or false");
        }
        resolved.Add((key, v ? "true" : "false"));
        return v;
    }

    /// <summary>One of the named <paramref name="choices"/> (case-insensitive).</summary>
    public T Choice<T>(string key, T fallback, IReadOnlyList<(string Name, T Value)> choices) where T : struct, Enum
    {
        string names = string.Join(", ", choices.Select(c => c.Name));
        T v = fallback;
        var n = Scalar(key, "one of " + names);
        if (n is not null)
        {
            int i = choices.ToList().FindIndex(c => string.Equals(c.Name, n.Text, StringComparison.OrdinalIgnoreCase));
            if (i < 0) Fail(key, $"'{n.Text}' is not a known value; expected one of {names}");
            v = choices[i].Value;
        }
        resolved.Add((key, choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, v)).Name));
        return v;
    }

    /// <summary>Throws for the first value that no getter or Section asked for, listing the known keys of its section.</summary>
    public void RejectUnknown()
    {
        string Sections() => "expected a section among " + string.Join(", ", known.Select(k => k.Contains('.') ? k[..k.IndexOf('.')] : k).Distinct());
        if (root is { Kind: not Kind.Mapping }) throw At(root, "(root)", "expected a mapping of sections");
        foreach (var (key, n) in nodes)
        {
            if (known.Contains(key) || n.Kind == Kind.Mapping) continue;
            var inSection = known.Where(k => k.StartsWith(key + ".", StringComparison.Ordinal)).ToList();
            if (inSection.Count > 0) throw At(n, key, "expected a mapping of keys under this section: " + string.Join(", ", inSection));
            if (known.Any(k => key.StartsWith(k + ".", StringComparison.Ordinal))) continue;   // below a value that a getter reported
            string section = key.Contains('.') ? key[..key.IndexOf('.')] : key;
            var siblings = known.Where(k => k.StartsWith(section + ".", StringComparison.Ordinal)).ToList();
            throw error(n.Source, n.KeyLine > 0 ? n.KeyLine : n.Line, key, "unknown key; " + (siblings.Count > 0 ? "expected one of " + string.Join(", ", siblings) : Sections()));
        }
        foreach (var (section, b) in blocks)
            if (!known.Contains(section + ".*"))
                throw error(File, b.Line, section, "unknown section; " + Sections());
    }

    /// <summary>Every bound key with its value (defaults included), block sections verbatim, under <paramref name="header"/>.</summary>
    public string RenderYaml(string header)
    {
        var sb = new StringBuilder("# ").Append(header).Append('\n');
        string? section = null;
        foreach (var (key, yaml) in resolved)
        {
            int dot = key.IndexOf('.');
            if (key[..dot] != section) { section = key[..dot]; sb.Append(section).Append(":\n"); }
            sb.Append("  ").Append(key[(dot + 1)..]).Append(": ").Append(yaml).Append('\n');
        }
        foreach (var (name, text) in resolvedBlocks)
        {
            sb.Append(name).Append(":\n");
            foreach (var line in text.TrimEnd('\n').Split('\n')) sb.Append(line.Length == 0 ? "" : "  " + line).Append('\n');
        }
        return sb.ToString();
    }
}

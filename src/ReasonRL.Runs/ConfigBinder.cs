// ConfigBinder: the shared reader behind every ReasonRL YAML config (train, sft): a two-level YAML
// mapping `section: { key: scalar }` plus `dotted.key=value` command-line overrides, bound key by key
// into typed values with validation. Errors name the source (file:line, or "command line override
// #n"), the dotted key and the expected value; unknown keys are rejected with the known keys of
// their section. Block sections (e.g. `reward:`) are kept as raw YAML text for another parser, with
// their original line numbers preserved (earlier lines blanked) so that parser's errors still point
// at the right line of the user's file. The resolved config renders back as YAML (every key,
// defaults included; block sections verbatim) that parses to the same values.
// What it is not: the records (TrainConfig.cs, Runs/SftRunConfig.cs) or their loaders.
using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using ReasonRL.Training;

namespace ReasonRL.Runs;

/// <summary>Typed, validated access to a two-level YAML config with overrides (see file header).</summary>
public sealed class ConfigBinder
{
    private readonly record struct Entry(string Text, string Source, int Line, bool Quoted = false);

    private readonly Dictionary<string, Entry> values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Text, int Line)> blocks = new(StringComparer.Ordinal);
    private readonly HashSet<string> known = new(StringComparer.Ordinal);
    private readonly List<(string Key, string Yaml)> resolved = [];
    private readonly List<(string Section, string Text)> resolvedBlocks = [];

    /// <summary>Name of the config file in messages.</summary>
    public string File { get; }

    private ConfigBinder(string file) => File = file;

    /// <summary>Reads <paramref name="yaml"/> (named <paramref name="file"/>) and applies <paramref name="overrides"/>;
    /// top-level keys in <paramref name="blockSections"/> are kept as raw text (see <see cref="Block"/>).</summary>
    public static ConfigBinder Parse(string yaml, string file, IReadOnlyList<string>? overrides, IReadOnlyCollection<string>? blockSections = null)
    {
        var b = new ConfigBinder(file);
        b.ReadYaml(yaml, blockSections ?? []);
        for (int i = 0; overrides is not null && i < overrides.Count; i++)
        {
            string src = $"command line override #{i + 1} '{overrides[i]}'";
            int eq = overrides[i].IndexOf('=');
            if (eq <= 0) throw new TrainConfigException(src, 0, "(override)", "expected dotted.key=value, e.g. algorithm.gamma=0.99");
            string key = overrides[i][..eq].Trim();
            if (blockSections is not null && blockSections.Contains(key.Split('.')[0]))
                throw new TrainConfigException(src, 0, key, $"the '{key.Split('.')[0]}' section cannot be overridden on the command line; edit it in the config file");
            b.values[key] = new Entry(overrides[i][(eq + 1)..].Trim(), src, 0);
        }
        return b;
    }

    private void ReadYaml(string yaml, IReadOnlyCollection<string> blockSections)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new TrainConfigException(File, (int)e.Start.Line, "(yaml)", $"not valid YAML: {e.Message}"); }
        catch (InvalidOperationException e) { throw new TrainConfigException(File, 1, "(yaml)", $"not valid YAML (check brackets and quotes): {e.Message}"); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new TrainConfigException(File, (int)stream.Documents[0].RootNode.Start.Line, "(root)", "expected a mapping of sections");
        string[] lines = yaml.Replace("\r\n", "\n").Split('\n');
        foreach (var (k, v) in root.Children)
        {
            string section = ((YamlScalarNode)k).Value ?? "";
            if (v is not YamlMappingNode m)
                throw new TrainConfigException(File, (int)v.Start.Line, section, "expected a mapping of keys under this section");
            if (blockSections.Contains(section))
            {
                blocks[section] = (ExtractBlock(lines, m), (int)m.Start.Line);
                continue;
            }
            foreach (var (k2, v2) in m.Children)
            {
                string key = section + "." + ((YamlScalarNode)k2).Value;
                if (v2 is not YamlScalarNode s)
                    throw new TrainConfigException(File, (int)v2.Start.Line, key, "expected a scalar value, found a nested mapping or list");
                values[key] = new Entry(s.Value ?? "", File, (int)s.Start.Line, s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted);
            }
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

    /// <summary>Throws a <see cref="TrainConfigException"/> for <paramref name="key"/> at its source.</summary>
    public void Fail(string key, string problem)
    {
        var e = values.TryGetValue(key, out var v) ? v : new Entry("", "(defaults)", 0);
        throw new TrainConfigException(e.Source, e.Line, key, problem);
    }

    /// <summary>True when the file or an override sets <paramref name="key"/>.</summary>
    public bool IsSet(string key) => values.ContainsKey(key);

    private bool TryGet(string key, out Entry e)
    {
        known.Add(key);
        return values.TryGetValue(key, out e);
    }

    private static bool IsNull(Entry e) => !e.Quoted && e.Text is "" or "null" or "~" or "none";

    private static string Quote(string v) => "\"" + v.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\t", "\\t") + "\"";

    /// <summary>A non-empty string.</summary>
    public string String(string key, string fallback)
    {
        string v = TryGet(key, out var e) ? e.Text : fallback;
        if (v.Length == 0) Fail(key, "is empty; expected a non-empty string");
        resolved.Add((key, Quote(v)));
        return v;
    }

    /// <summary>A string, or null (unquoted null / ~ / empty).</summary>
    public string? OptionalString(string key, string? fallback)
    {
        if (TryGet(key, out var e) ? IsNull(e) : fallback is null)
        {
            resolved.Add((key, "null"));
            return null;
        }
        return String(key, fallback ?? "");
    }

    /// <summary>An integer in [min, max].</summary>
    public long Long(string key, long fallback, long min, long max)
    {
        long v = fallback;
        if (TryGet(key, out var e) && !long.TryParse(e.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v))
            Fail(key, $"'{e.Text}' is not an integer; expected an integer in [{min}, {max}]");
        if (v < min || v > max) Fail(key, $"is {v}; expected an integer in [{min}, {max}]");
        resolved.Add((key, v.ToString(CultureInfo.InvariantCulture)));
        return v;
    }

    /// <summary>A finite number in [min, max]; <paramref name="expected"/> words the range in messages.</summary>
    public double Double(string key, double fallback, double min, double max, string expected)
    {
        double v = fallback;
        if (TryGet(key, out var e) && !double.TryParse(e.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out v))
            Fail(key, $"'{e.Text}' is not a number; expected {expected}");
        if (!double.IsFinite(v) || v < min || v > max) Fail(key, $"is {v.ToString("R", CultureInfo.InvariantCulture)}; expected {expected}");
        resolved.Add((key, v.ToString("R", CultureInfo.InvariantCulture)));
        return v;
    }

    /// <summary>A number in [min, max], or null.</summary>
    public double? OptionalDouble(string key, double? fallback, double min, double max, string expected)
    {
        if (TryGet(key, out var e) ? IsNull(e) : fallback is null)
        {
            resolved.Add((key, "null"));
            return null;
        }
        return Double(key, fallback ?? 0, min, max, expected);
    }

    /// <summary>true / false.</summary>
    public bool Bool(string key, bool fallback)
    {
        bool v = fallback;
        if (TryGet(key, out var e))
        {
            if (e.Text is "true" or "True") v = true;
            else if (e.Text is "false" or "False") v = false;
            else Fail(key, $"'{e.Text}' is not a boolean; expected true or false");
        }
        resolved.Add((key, v ? "true" : "false"));
        return v;
    }

    /// <summary>One of the named <paramref name="choices"/> (case-insensitive).</summary>
    public T Choice<T>(string key, T fallback, IReadOnlyList<(string Name, T Value)> choices) where T : struct, Enum
    {
        T v = fallback;
        if (TryGet(key, out var e))
        {
            int i = choices.ToList().FindIndex(c => string.Equals(c.Name, e.Text, StringComparison.OrdinalIgnoreCase));
            if (i < 0) Fail(key, $"'{e.Text}' is not a known value; expected one of {string.Join(", ", choices.Select(c => c.Name))}");
            else v = choices[i].Value;
        }
        resolved.Add((key, choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, v)).Name));
        return v;
    }

    /// <summary>Throws for the first key that no getter asked for, listing the known keys of its section.</summary>
    public void RejectUnknown()
    {
        foreach (var (key, e) in values)
        {
            if (known.Contains(key)) continue;
            string section = key.Contains('.') ? key[..key.IndexOf('.')] : key;
            var inSection = known.Where(k => k.StartsWith(section + ".", StringComparison.Ordinal)).ToList();
            string expected = inSection.Count > 0
                ? "expected one of " + string.Join(", ", inSection)
                : "expected a section among " + string.Join(", ", known.Select(k => k[..k.IndexOf('.')]).Distinct());
            throw new TrainConfigException(e.Source, e.Line, key, "unknown key; " + expected);
        }
        foreach (var (section, b) in blocks)
            if (!known.Contains(section + ".*"))
                throw new TrainConfigException(File, b.Line, section, "unknown section; expected a section among " + string.Join(", ", known.Select(k => k[..k.IndexOf('.')]).Distinct()));
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

// RewardConfigLoader: parses reward.yaml (grammar in RewardConfig.cs) with YamlDotNet's node model,
// so every error names the file, the line, the dotted key and the expected value. No reflection-
// based deserialisation: each key is read explicitly. Not the config record itself.
using System.Globalization;
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReasonRL.Rewards.Offline;

public static class RewardConfigLoader
{
    private static readonly string[] TopKeys = ["steps", "success", "shaping", "orm", "format", "length"];

    public static RewardConfig LoadFile(string path) => Parse(File.ReadAllText(path), path);

    /// <param name="yaml">Config text.</param>
    /// <param name="file">Name used in error messages.</param>
    /// <exception cref="RewardConfigException">Any deviation from the grammar.</exception>
    public static RewardConfig Parse(string yaml, string file = "reward.yaml")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new RewardConfigException(file, (int)e.Start.Line, "(yaml)", $"not valid YAML: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet 16.3's scanner throws this (no position) on some unterminated flow collections.
            throw new RewardConfigException(file, 1, "(yaml)", $"not valid YAML (position unknown; check brackets and quotes): {e.Message}");
        }
        if (stream.Documents.Count == 0) throw new RewardConfigException(file, 1, "(root)", "empty file; expected a mapping with keys " + string.Join(", ", TopKeys));
        var reader = new Reader(file);
        var root = reader.Mapping(stream.Documents[0].RootNode, "(root)", TopKeys);

        var steps = root.TryGetValue("steps", out var stepsNode) ? ReadSteps(reader, stepsNode) : StepSplitOptions.Lines;

        var success = SuccessValues.ZeroOne;
        if (root.TryGetValue("success", out var successNode))
        {
            var m = reader.Mapping(successNode, "success", ["correct", "incorrect", "unverifiable"]);
            success = new SuccessValues(
                reader.Number(m, "success", "correct", 1.0),
                reader.Number(m, "success", "incorrect", 0.0),
                reader.Number(m, "success", "unverifiable", 0.0));
        }

        ShapingOptions? shaping = null;
        if (root.TryGetValue("shaping", out var shapingNode)) shaping = ReadShaping(reader, shapingNode);

        double ormAlpha = 0.0;
        IReadOnlyList<double>? ormRefs = null;
        if (root.TryGetValue("orm", out var ormNode))
        {
            var m = reader.Mapping(ormNode, "orm", ["alpha", "par_references"]);
            ormAlpha = reader.Number(m, "orm", "alpha", 0.0);
            ormRefs = reader.NumberList(m, "orm", "par_references");
        }

        var missingAnswer = 0.0;
        if (root.TryGetValue("format", out var formatNode))
        {
            missingAnswer = reader.Number(reader.Mapping(formatNode, "format", ["missing_answer"]), "format", "missing_answer", 0.0);
        }
        var perStep = 0.0;
        if (root.TryGetValue("length", out var lengthNode))
        {
            perStep = reader.Number(reader.Mapping(lengthNode, "length", ["per_step"]), "length", "per_step", 0.0);
        }

        return new RewardConfig(steps, new RewardDesign(success, shaping, ormAlpha, ormRefs, missingAnswer, perStep));
    }

    private static StepSplitOptions ReadSteps(Reader reader, YamlNode node)
    {
        var m = reader.Mapping(node, "steps", ["split", "regex", "tag"]);
        if (m.Count != 1)
        {
            throw new RewardConfigException(reader.File, Line(node), "steps", $"expected exactly one of split, regex, tag; got {m.Count} key(s)");
        }
        var (key, value) = m.First();
        var kind = key switch { "split" => StepSplitKind.Separator, "regex" => StepSplitKind.Regex, _ => StepSplitKind.Tag };
        var pattern = reader.String(value, $"steps.{key}");
        try
        {
            var options = new StepSplitOptions(kind, pattern);
            _ = new StepSplitter(options); // validates: non-empty, regex compiles and cannot match ""
            return options;
        }
        catch (ArgumentException e)
        {
            throw new RewardConfigException(reader.File, Line(value), $"steps.{key}", e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static ShapingOptions ReadShaping(Reader reader, YamlNode node)
    {
        var m = reader.Mapping(node, "shaping", ["kind", "alpha", "eta", "delta_last", "temperature", "par_references"]);
        if (!m.TryGetValue("kind", out var kindNode))
        {
            throw new RewardConfigException(reader.File, Line(node), "shaping.kind", "missing; expected one of " + KindNames());
        }
        var kindName = reader.String(kindNode, "shaping.kind");
        var kind = ShapingOptions.TryParseKind(kindName)
            ?? throw new RewardConfigException(reader.File, Line(kindNode), "shaping.kind", $"'{kindName}' is not a shaping; expected one of {KindNames()}");

        var last = DeltaLastStep.Keep;
        if (m.TryGetValue("delta_last", out var lastNode))
        {
            last = reader.String(lastNode, "shaping.delta_last") switch
            {
                "keep" => DeltaLastStep.Keep,
                "zero" => DeltaLastStep.Zero,
                var other => throw new RewardConfigException(reader.File, Line(lastNode), "shaping.delta_last", $"'{other}'; expected keep or zero"),
            };
        }
        var temperature = reader.Number(m, "shaping", "temperature", 0.1);
        if (!(temperature > 0))
        {
            throw new RewardConfigException(reader.File, Line(m["temperature"]), "shaping.temperature", $"{temperature}; expected a number > 0");
        }
        var alpha = reader.Number(m, "shaping", "alpha", 1.0);
        if (alpha < 0)
        {
            // A negative scale flips Clip's "never positive" bound into "never negative": refuse it.
            throw new RewardConfigException(reader.File, Line(m["alpha"]), "shaping.alpha", $"{alpha}; expected a number ≥ 0");
        }
        return new ShapingOptions(kind,
            alpha,
            reader.Number(m, "shaping", "eta", 0.5),
            last,
            temperature,
            reader.NumberList(m, "shaping", "par_references"));
    }

    private static string KindNames() => string.Join(", ", ShapingOptions.AllKinds.Select(ShapingOptions.NameOf));

    private static int Line(YamlNode node) => (int)node.Start.Line;

    /// <summary>Typed reads that know the file name for their errors.</summary>
    private sealed class Reader(string file)
    {
        public string File { get; } = file;

        public Dictionary<string, YamlNode> Mapping(YamlNode node, string key, string[] allowed)
        {
            if (node is not YamlMappingNode mapping)
            {
                throw new RewardConfigException(File, Line(node), key, $"expected a mapping with keys {string.Join(", ", allowed)}");
            }
            var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (k, v) in mapping.Children)
            {
                var name = (k as YamlScalarNode)?.Value ?? "";
                var dotted = key == "(root)" ? name : $"{key}.{name}";
                if (Array.IndexOf(allowed, name) < 0)
                {
                    throw new RewardConfigException(File, Line(k), dotted, $"unknown key; expected one of {string.Join(", ", allowed)}");
                }
                if (!result.TryAdd(name, v)) throw new RewardConfigException(File, Line(k), dotted, "given twice");
            }
            return result;
        }

        public string String(YamlNode node, string key) =>
            node is YamlScalarNode { Value: { } value }
                ? value
                : throw new RewardConfigException(File, Line(node), key, "expected a string");

        public double Number(Dictionary<string, YamlNode> m, string section, string name, double fallback) =>
            m.TryGetValue(name, out var node) ? Number(node, $"{section}.{name}") : fallback;

        public IReadOnlyList<double>? NumberList(Dictionary<string, YamlNode> m, string section, string name)
        {
            if (!m.TryGetValue(name, out var node)) return null;
            if (node is not YamlSequenceNode seq) throw new RewardConfigException(File, Line(node), $"{section}.{name}", "expected a list of numbers, e.g. [0.5]");
            return seq.Children.Select((n, i) => Number(n, $"{section}.{name}[{i}]")).ToArray();
        }

        private double Number(YamlNode node, string key)
        {
            if (node is YamlScalarNode { Value: { } text }
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value))
            {
                return value;
            }
            var shown = node is YamlScalarNode s ? $"'{s.Value}'" : node.NodeType.ToString().ToLowerInvariant();
            throw new RewardConfigException(File, Line(node), key, $"{shown}; expected a finite number, e.g. 0.5");
        }
    }
}

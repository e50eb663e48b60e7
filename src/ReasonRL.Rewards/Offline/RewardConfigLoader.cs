// RewardConfigLoader: parses reward.yaml (grammar in RewardConfig.cs) with YamlDotNet's node model,
// so every error names the file, the line, the dotted key and the expected value. No reflection-
// based deserialisation: each key is read explicitly. Not the config record itself.
using System.Globalization;
using ReasonRL.Verifier;
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Sources.Remote;
using ReasonRL.Rewards.Steps;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReasonRL.Rewards.Offline;

public static class RewardConfigLoader
{
    private static readonly string[] TopKeys = ["steps", "verifier", "success", "shaping", "prm", "orm", "format", "length"];
    private static readonly string[] VerifierKeys = ["strict", "ordered_lists", "set_relations", "decimal_rounding", "fallback_to_last_number",
        "work_budget", "time_budget_ms", "numeric_tolerance"];
    private static readonly string[] ModelKeys = ["path", "convention", "batch_size", "url", "protocol", "timeout_seconds"];

    /// <summary>Reads a config file; model paths in it are relative to the file's folder.</summary>
    public static RewardConfig LoadFile(string path) => Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path)));

    /// <param name="yaml">Config text.</param>
    /// <param name="file">Name used in error messages.</param>
    /// <param name="baseDirectory">Folder that relative model paths resolve against (null = the current directory).</param>
    /// <exception cref="RewardConfigException">Any deviation from the grammar.</exception>
    public static RewardConfig Parse(string yaml, string file = "reward.yaml", string? baseDirectory = null)
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
        RewardModelSpec? ormModel = null;
        if (root.TryGetValue("orm", out var ormNode))
        {
            var m = reader.Mapping(ormNode, "orm", ["alpha", "par_references", .. ModelKeys]);
            ormAlpha = reader.Number(m, "orm", "alpha", 0.0);
            ormRefs = reader.NumberList(m, "orm", "par_references");
            ormModel = ReadModel(reader, ormNode, m, "orm", baseDirectory, prm: false);
            if (ormModel is not null && ormAlpha == 0)
                throw new RewardConfigException(file, Line(ormNode), "orm.alpha", "0 (or missing) but an ORM model is configured; give alpha ≠ 0 or drop the model");
        }

        RewardModelSpec? prmModel = null;
        if (root.TryGetValue("prm", out var prmNode))
        {
            prmModel = ReadModel(reader, prmNode, reader.Mapping(prmNode, "prm", ModelKeys), "prm", baseDirectory, prm: true)
                ?? throw new RewardConfigException(file, Line(prmNode), "prm", "expected path (in-process model directory) or url (remote service)");
            if (shaping is null)
                throw new RewardConfigException(file, Line(prmNode), "prm", "a PRM is configured but there is no shaping section to use its step scores; add shaping: { kind: clip_delta } (or another kind)");
        }

        var verify = root.TryGetValue("verifier", out var verifierNode) ? ReadVerifier(reader, verifierNode) : VerifyOptions.Default;

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

        return new RewardConfig(steps, new RewardDesign(success, shaping, ormAlpha, ormRefs, missingAnswer, perStep))
        {
            Verify = verify,
            Prm = prmModel,
            Orm = ormModel,
        };
    }

    private static VerifyOptions ReadVerifier(Reader reader, YamlNode node)
    {
        var m = reader.Mapping(node, "verifier", VerifierKeys);
        var d = VerifyOptions.Default;
        int? rounding = d.DecimalRounding;
        if (m.TryGetValue("decimal_rounding", out var r) && !IsNull(r))
        {
            rounding = reader.Integer(r, "verifier.decimal_rounding", 0, 15);
        }
        long work = m.TryGetValue("work_budget", out var w) ? reader.Integer(w, "verifier.work_budget", 1, int.MaxValue) : d.WorkBudget;
        double timeMs = reader.Number(m, "verifier", "time_budget_ms", d.TimeBudget.TotalMilliseconds);
        if (!(timeMs > 0 && timeMs <= 60_000)) throw new RewardConfigException(reader.File, Line(m["time_budget_ms"]), "verifier.time_budget_ms", $"{timeMs}; expected a number in (0, 60000]");
        double tolerance = reader.Number(m, "verifier", "numeric_tolerance", d.NumericTolerance);
        if (!(tolerance > 0 && tolerance < 1)) throw new RewardConfigException(reader.File, Line(m["numeric_tolerance"]), "verifier.numeric_tolerance", $"{tolerance}; expected a number in (0, 1), e.g. 1e-9");
        return d with
        {
            Strict = reader.Bool(m, "verifier", "strict", d.Strict),
            OrderedLists = reader.Bool(m, "verifier", "ordered_lists", d.OrderedLists),
            AllowSetRelationComparison = reader.Bool(m, "verifier", "set_relations", d.AllowSetRelationComparison),
            FallbackToLastNumber = reader.Bool(m, "verifier", "fallback_to_last_number", d.FallbackToLastNumber),
            DecimalRounding = rounding,
            WorkBudget = work,
            TimeBudget = TimeSpan.FromMilliseconds(timeMs),
            NumericTolerance = tolerance,
        };
    }

    // The model keys of a prm/orm section: null when it names no model (no path, no url).
    private static RewardModelSpec? ReadModel(Reader reader, YamlNode node, Dictionary<string, YamlNode> m, string section, string? baseDirectory, bool prm)
    {
        bool hasPath = m.ContainsKey("path"), hasUrl = m.ContainsKey("url");
        string[] local = ["convention", "batch_size"], remote = ["protocol", "timeout_seconds"];
        if (!hasPath && !hasUrl)
        {
            foreach (var k in local.Concat(remote))
                if (m.ContainsKey(k)) throw new RewardConfigException(reader.File, Line(m[k]), $"{section}.{k}", "given without a model; add path (model directory) or url (remote service)");
            return null;
        }
        if (hasPath && hasUrl) throw new RewardConfigException(reader.File, Line(node), section, "both path and url given; expected one (in-process path or remote url)");
        foreach (var k in hasPath ? remote : local)
            if (m.ContainsKey(k)) throw new RewardConfigException(reader.File, Line(m[k]), $"{section}.{k}", $"only applies to a {(hasPath ? "remote (url)" : "in-process (path)")} model");
        if (!prm && m.ContainsKey("convention")) throw new RewardConfigException(reader.File, Line(m["convention"]), $"{section}.convention", "only applies to a PRM");
        if (hasPath)
        {
            string path = reader.String(m["path"], $"{section}.path");
            if (path.Length == 0) throw new RewardConfigException(reader.File, Line(m["path"]), $"{section}.path", "empty; expected a model directory");
            var convention = PrmConvention.StepEndToken;
            if (m.TryGetValue("convention", out var c))
            {
                try
                {
                    convention = LoadedRewardModel.ParseConvention(reader.String(c, $"{section}.convention"));
                }
                catch (ArgumentException e)
                {
                    throw new RewardConfigException(reader.File, Line(c), $"{section}.convention", e.Message.Split(" (Parameter", 2)[0]);
                }
            }
            int batch = m.TryGetValue("batch_size", out var b) ? reader.Integer(b, $"{section}.batch_size", 1, 4096) : 64;
            return new RewardModelSpec(Path.GetFullPath(path, baseDirectory ?? Directory.GetCurrentDirectory()), null, Convention: convention, BatchSize: batch);
        }
        string url = reader.String(m["url"], $"{section}.url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new RewardConfigException(reader.File, Line(m["url"]), $"{section}.url", $"'{url}'; expected an absolute http(s) URL, e.g. http://127.0.0.1:8001/v1/rewards");
        var protocol = RemoteProtocol.Native;
        if (m.TryGetValue("protocol", out var p))
        {
            protocol = reader.String(p, $"{section}.protocol") switch
            {
                "native" => RemoteProtocol.Native,
                "openrlhf" => RemoteProtocol.OpenRlhf,
                var other => throw new RewardConfigException(reader.File, Line(p), $"{section}.protocol", $"'{other}'; expected native or openrlhf"),
            };
        }
        if (prm && protocol == RemoteProtocol.OpenRlhf)
            throw new RewardConfigException(reader.File, Line(p!), $"{section}.protocol", "openrlhf returns one score per sample, a PRM needs per-step scores; use native");
        double timeout = reader.Number(m, section, "timeout_seconds", 30);
        if (!(timeout > 0 && timeout <= 3600)) throw new RewardConfigException(reader.File, Line(m["timeout_seconds"]), $"{section}.timeout_seconds", $"{timeout}; expected a number in (0, 3600]");
        return new RewardModelSpec(null, uri, protocol, TimeoutSeconds: timeout);
    }

    private static bool IsNull(YamlNode node) => node is YamlScalarNode { Value: null or "" or "null" or "~", Style: not ScalarStyle.SingleQuoted and not ScalarStyle.DoubleQuoted };

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

        public bool Bool(Dictionary<string, YamlNode> m, string section, string name, bool fallback)
        {
            if (!m.TryGetValue(name, out var node)) return fallback;
            return node is YamlScalarNode { Value: "true" or "false" } s
                ? s.Value == "true"
                : throw new RewardConfigException(File, Line(node), $"{section}.{name}", $"{Shown(node)}; expected true or false");
        }

        public int Integer(YamlNode node, string key, int min, int max)
        {
            if (node is YamlScalarNode { Value: { } text }
                && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }
            throw new RewardConfigException(File, Line(node), key, $"{Shown(node)}; expected an integer in [{min}, {max}]");
        }

        private static string Shown(YamlNode node) => node is YamlScalarNode s ? $"'{s.Value}'" : node.NodeType.ToString().ToLowerInvariant();

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

// TrainConfigLoader: YAML file (YamlDotNet node model, no reflection) + `dotted.key=value`
// command-line overrides → TrainConfig, with every value validated: errors name the source
// (file:line, or "command line override #n"), the dotted key and the expected value; unknown keys
// are rejected with the list of known keys of that section. The resolved config is rendered back
// as YAML (every key, defaults included) and hashed (SHA-256) for the checkpoint state.
// What it is not: the records (TrainConfig.cs). Grammar: two-level mapping `section: { key: scalar }`;
// `null` disables optional numbers (clip_high, dual_clip, value_clip, grad_clip).
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReasonRL.Training;

/// <summary>A resolved config, its YAML rendering and hash.</summary>
public sealed record ResolvedTrainConfig(TrainConfig Config, string Yaml, string Hash);

/// <summary>Loads and validates training configs.</summary>
public static class TrainConfigLoader
{
    /// <summary>Names + one-line descriptions of every enumerated option, for `reasonrl train --help`.</summary>
    public static IReadOnlyList<(string Key, string Name, string Description)> Choices() =>
    [
        .. AdvantageEstimators.All.Select(a => ("algorithm.advantage", a.Name, a.Description)),
        .. LossAggregations.All.Select(a => ("algorithm.loss_aggregation", a.Name, a.Description)),
        .. KlPenalty.Estimators.Select(e => ("kl.estimator", e.Name, e.Description)),
        .. KlPenalty.Placements.Select(p => ("kl.placement", p.Name, p.Description)),
    ];

    /// <summary>Loads <paramref name="path"/> (null: defaults only) and applies <paramref name="overrides"/>.</summary>
    public static ResolvedTrainConfig Load(string? path, IReadOnlyList<string>? overrides = null)
        => Parse(path is null ? "" : File.ReadAllText(path), path ?? "(defaults)", overrides);

    /// <summary>Parses YAML text; <paramref name="file"/> names it in errors.</summary>
    public static ResolvedTrainConfig Parse(string yaml, string file, IReadOnlyList<string>? overrides = null)
    {
        var values = new Dictionary<string, Entry>(StringComparer.Ordinal);
        ReadYaml(yaml, file, values);
        for (int i = 0; overrides is not null && i < overrides.Count; i++)
        {
            string src = $"command line override #{i + 1} '{overrides[i]}'";
            int eq = overrides[i].IndexOf('=');
            if (eq <= 0) throw new TrainConfigException(src, 0, "(override)", "expected dotted.key=value, e.g. algorithm.gamma=0.99");
            string key = overrides[i][..eq].Trim();
            values[key] = new Entry(overrides[i][(eq + 1)..].Trim(), src, 0);
        }
        var b = new Binder(values);
        var d = TrainConfig.Default;
        var run = new RunConfig(
            b.String("run.output_dir", d.Run.OutputDir),
            (ulong)b.Long("run.seed", (long)d.Run.Seed, 0, long.MaxValue),
            (int)b.Long("run.total_steps", d.Run.TotalSteps, 1, int.MaxValue),
            (int)b.Long("run.checkpoint_every", d.Run.CheckpointEvery, 1, int.MaxValue),
            (int)b.Long("run.keep_checkpoints", d.Run.KeepCheckpoints, 1, 1000),
            b.Bool("run.tensorboard", d.Run.TensorBoard));
        var alg = new AlgorithmConfig(
            b.Choice("algorithm.advantage", d.Algorithm.Advantage, AdvantageEstimators.All.Select(a => (a.Name, a.Value)).ToList()),
            b.Double("algorithm.gamma", d.Algorithm.Gamma, 0, 1, "a number in [0, 1]"),
            b.Double("algorithm.lambda", d.Algorithm.Lambda, 0, 1, "a number in [0, 1]"),
            b.Bool("algorithm.whiten_advantages", d.Algorithm.WhitenAdvantages),
            (int)b.Long("algorithm.group_size", d.Algorithm.GroupSize, 1, 65536),
            b.Double("algorithm.clip_low", d.Algorithm.ClipLow, 0, 0.999999, "a number in [0, 1)"),
            b.OptionalDouble("algorithm.clip_high", d.Algorithm.ClipHigh, 0, 10, "null or a number in [0, 10]"),
            b.OptionalDouble("algorithm.dual_clip", d.Algorithm.DualClip, 1.000001, 1e6, "null or a number > 1"),
            b.OptionalDouble("algorithm.value_clip", d.Algorithm.ValueClip, 0, 1e6, "null or a number ≥ 0"),
            b.Double("algorithm.entropy_coef", d.Algorithm.EntropyCoef, 0, 1e6, "a number ≥ 0"),
            b.Choice("algorithm.loss_aggregation", d.Algorithm.Aggregation, LossAggregations.All.Select(a => (a.Name, a.Value)).ToList()),
            (int)b.Long("algorithm.ppo_epochs", d.Algorithm.PpoEpochs, 1, 1000),
            (int)b.Long("algorithm.mini_batches", d.Algorithm.MiniBatches, 1, 65536));
        var kl = new KlConfig(
            b.Choice("kl.estimator", d.Kl.Estimator, KlPenalty.Estimators.Select(e => (e.Name, e.Value)).ToList()),
            b.Choice("kl.placement", d.Kl.Placement, KlPenalty.Placements.Select(e => (e.Name, e.Value)).ToList()),
            b.Double("kl.coef", d.Kl.Coefficient, 0, 1e6, "a number ≥ 0"),
            b.Bool("kl.adaptive", d.Kl.Adaptive),
            b.Double("kl.target", d.Kl.Target, 1e-12, 1e12, "a number > 0"),
            b.Double("kl.horizon", d.Kl.Horizon, 1e-12, 1e12, "a number > 0"));
        var optim = new OptimConfig(
            b.Double("optim.lr", d.Optim.LearningRate, 1e-300, 1, "a number in (0, 1]"),
            b.Double("optim.beta1", d.Optim.Beta1, 0, 0.999999999, "a number in [0, 1)"),
            b.Double("optim.beta2", d.Optim.Beta2, 0, 0.999999999, "a number in [0, 1)"),
            b.Double("optim.weight_decay", d.Optim.WeightDecay, 0, 1e6, "a number ≥ 0"),
            b.OptionalDouble("optim.grad_clip", d.Optim.GradClip, 1e-300, 1e12, "null or a number > 0"),
            b.Double("optim.critic_lr", d.Optim.CriticLearningRate, 1e-300, 1, "a number in (0, 1]"));
        var guard = new GuardConfig(
            (int)b.Long("guard.max_consecutive_nonfinite", d.Guard.MaxConsecutiveNonFinite, 1, 1_000_000),
            (int)b.Long("guard.hacking_window", d.Guard.HackingWindow, 3, 1_000_000),
            b.Double("guard.hacking_slope", d.Guard.HackingSlopeThreshold, 0, 1e12, "a number ≥ 0"));
        b.RejectUnknown();

        // Cross-field rules.
        bool group = alg.Advantage is AdvantageEstimator.Grpo or AdvantageEstimator.DrGrpo or AdvantageEstimator.Rloo;
        if (group && alg.GroupSize < 2) b.Fail("algorithm.group_size", $"is {alg.GroupSize}; expected ≥ 2 with the group estimator '{AdvantageEstimators.NameOf(alg.Advantage)}'");
        if (kl.Placement == KlPlacement.InLoss && alg.Advantage == AdvantageEstimator.ReinforcePlusPlus)
            b.Fail("kl.placement", "is 'loss'; expected 'reward' or 'none' with reinforce_pp (its KL lives in the reward)");

        var config = new TrainConfig(run, alg, kl, optim, guard);
        string text = b.RenderYaml();
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return new ResolvedTrainConfig(config, text, hash);
    }

    /// <summary>Writes the resolved YAML to &lt;run&gt;/config.resolved.yaml and returns its path.</summary>
    public static string SaveResolved(ResolvedTrainConfig resolved, string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        string path = Path.Combine(runDirectory, "config.resolved.yaml");
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, resolved.Yaml);
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    private readonly record struct Entry(string Text, string Source, int Line, bool Quoted = false);

    private static void ReadYaml(string yaml, string file, Dictionary<string, Entry> values)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new TrainConfigException(file, (int)e.Start.Line, "(yaml)", $"not valid YAML: {e.Message}"); }
        catch (InvalidOperationException e) { throw new TrainConfigException(file, 1, "(yaml)", $"not valid YAML (check brackets and quotes): {e.Message}"); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new TrainConfigException(file, (int)stream.Documents[0].RootNode.Start.Line, "(root)", "expected a mapping of sections (run, algorithm, kl, optim, guard)");
        foreach (var (k, v) in root.Children)
        {
            string section = ((YamlScalarNode)k).Value ?? "";
            if (v is not YamlMappingNode m)
                throw new TrainConfigException(file, (int)v.Start.Line, section, "expected a mapping of keys under this section");
            foreach (var (k2, v2) in m.Children)
            {
                string key = section + "." + ((YamlScalarNode)k2).Value;
                if (v2 is not YamlScalarNode s)
                    throw new TrainConfigException(file, (int)v2.Start.Line, key, "expected a scalar value, found a nested mapping or list");
                values[key] = new Entry(s.Value ?? "", file, (int)s.Start.Line, s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted);
            }
        }
    }

    private sealed class Binder(Dictionary<string, Entry> values)
    {
        private readonly HashSet<string> known = new(StringComparer.Ordinal);
        private readonly List<(string Key, string Yaml)> resolved = [];

        public void Fail(string key, string problem)
        {
            var e = values.TryGetValue(key, out var v) ? v : new Entry("", "(defaults)", 0);
            throw new TrainConfigException(e.Source, e.Line, key, problem);
        }

        private bool TryGet(string key, out Entry e)
        {
            known.Add(key);
            return values.TryGetValue(key, out e);
        }

        private static bool IsNull(Entry e) => !e.Quoted && e.Text is "" or "null" or "~" or "none";

        public string String(string key, string fallback)
        {
            string v = TryGet(key, out var e) ? e.Text : fallback;
            if (v.Length == 0) Fail(key, "is empty; expected a non-empty string");
            resolved.Add((key, "\"" + v.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\""));
            return v;
        }

        public long Long(string key, long fallback, long min, long max)
        {
            long v = fallback;
            if (TryGet(key, out var e) && !long.TryParse(e.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v))
                Fail(key, $"'{e.Text}' is not an integer; expected an integer in [{min}, {max}]");
            if (v < min || v > max) Fail(key, $"is {v}; expected an integer in [{min}, {max}]");
            resolved.Add((key, v.ToString(CultureInfo.InvariantCulture)));
            return v;
        }

        public double Double(string key, double fallback, double min, double max, string expected)
        {
            double v = fallback;
            if (TryGet(key, out var e) && !double.TryParse(e.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out v))
                Fail(key, $"'{e.Text}' is not a number; expected {expected}");
            if (!double.IsFinite(v) || v < min || v > max) Fail(key, $"is {v.ToString("R", CultureInfo.InvariantCulture)}; expected {expected}");
            resolved.Add((key, v.ToString("R", CultureInfo.InvariantCulture)));
            return v;
        }

        public double? OptionalDouble(string key, double? fallback, double min, double max, string expected)
        {
            if (TryGet(key, out var e) ? IsNull(e) : fallback is null)
            {
                resolved.Add((key, "null"));
                return null;
            }
            return Double(key, fallback ?? 0, min, max, expected);
        }

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
        }

        public string RenderYaml()
        {
            var sb = new StringBuilder("# Resolved ReasonRL training config (defaults + file + command-line overrides).\n");
            string? section = null;
            foreach (var (key, yaml) in resolved)
            {
                int dot = key.IndexOf('.');
                if (key[..dot] != section) { section = key[..dot]; sb.Append(section).Append(":\n"); }
                sb.Append("  ").Append(key[(dot + 1)..]).Append(": ").Append(yaml).Append('\n');
            }
            return sb.ToString();
        }
    }
}

// RewardConfigLoader: parses reward.yaml (grammar in RewardConfig.cs) through Core's ConfigBinder, so
// every error names the file, the line, the dotted key and the expected value. No reflection-based
// deserialisation: each section is checked against its key list and each key is read explicitly.
// Not the config record itself.
using ReasonRL.Core;
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Sources.Remote;
using ReasonRL.Rewards.Steps;
using ReasonRL.Verifier;

namespace ReasonRL.Rewards.Offline;

public static class RewardConfigLoader
{
    // "serve" is the reward server's own section (strip_tokens, on_error, max_queued_samples): kept as raw text in
    // RewardConfig.ServeYaml and parsed by ReasonRL.Server's ServeSettings; other commands ignore it, so one file serves both
    private static readonly string[] TopKeys = ["steps", "verifier", "success", "shaping", "prm", "orm", "format", "length", "serve"];
    private static readonly string[] VerifierKeys = ["strict", "ordered_lists", "set_relations", "decimal_rounding", "fallback_to_last_number",
        "work_budget", "time_budget_ms", "numeric_tolerance", "labelled_answers", "number_words", "multiple_choice", "percent"];
    private static readonly string[] ModelKeys = ["path", "convention", "batch_size", "url", "protocol", "timeout_seconds"];

    private const string AnyNumber = "a finite number, e.g. 0.5";

    /// <summary>Reads a config file; model paths in it are relative to the file's folder.</summary>
    public static RewardConfig LoadFile(string path) => Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path)));

    /// <param name="yaml">Config text.</param>
    /// <param name="file">Name used in error messages.</param>
    /// <param name="baseDirectory">Folder that relative model paths resolve against (null = the current directory).</param>
    /// <exception cref="RewardConfigException">Any deviation from the grammar.</exception>
    public static RewardConfig Parse(string yaml, string file = "reward.yaml", string? baseDirectory = null)
    {
        var b = ConfigBinder.Parse(yaml, file, blockSections: ["serve"], error: (origin, line, key, problem) => new RewardConfigException(origin, line, key, problem));
        if (b.IsEmpty) throw new RewardConfigException(file, 1, "(root)", "empty file; expected a mapping with keys " + string.Join(", ", TopKeys));
        b.Section("", TopKeys);

        var steps = b.IsSet("steps") ? ReadSteps(b) : StepSplitOptions.Lines;

        var success = SuccessValues.ZeroOne;
        if (b.Section("success", ["correct", "incorrect", "unverifiable"]) is not null)
        {
            success = new SuccessValues(
                Number(b, "success.correct", 1.0),
                Number(b, "success.incorrect", 0.0),
                Number(b, "success.unverifiable", 0.0));
        }

        ShapingOptions? shaping = b.IsSet("shaping") ? ReadShaping(b) : null;

        double ormAlpha = 0.0;
        IReadOnlyList<double>? ormRefs = null;
        RewardModelSpec? ormModel = null;
        if (b.Section("orm", ["alpha", "par_references", .. ModelKeys]) is not null)
        {
            ormAlpha = Number(b, "orm.alpha", 0.0);
            ormRefs = b.DoubleList("orm.par_references", double.MinValue, double.MaxValue, AnyNumber);
            ormModel = ReadModel(b, "orm", baseDirectory, prm: false);
            if (ormModel is not null && ormAlpha == 0)
                b.Fail("orm.alpha", "0 (or missing) but an ORM model is configured; give alpha ≠ 0 or drop the model", at: "orm");
        }

        RewardModelSpec? prmModel = null;
        if (b.Section("prm", ModelKeys) is not null)
        {
            prmModel = ReadModel(b, "prm", baseDirectory, prm: true)
                ?? throw b.Error("prm", "expected path (in-process model directory) or url (remote service)");
            if (shaping is null)
                b.Fail("prm", "a PRM is configured but there is no shaping section to use its step scores; add shaping: { kind: clip_delta } (or another kind)");
        }

        var verify = b.Section("verifier", VerifierKeys) is not null ? ReadVerifier(b) : VerifyOptions.Default;

        var missingAnswer = 0.0;
        if (b.Section("format", ["missing_answer"]) is not null) missingAnswer = Number(b, "format.missing_answer", 0.0);
        var perStep = 0.0;
        if (b.Section("length", ["per_step"]) is not null) perStep = Number(b, "length.per_step", 0.0);

        return new RewardConfig(steps, new RewardDesign(success, shaping, ormAlpha, ormRefs, missingAnswer, perStep))
        {
            Verify = verify,
            Prm = prmModel,
            Orm = ormModel,
            ServeYaml = b.Block("serve"),
            File = file,
        };
    }

    private static double Number(ConfigBinder b, string key, double fallback) => b.Double(key, fallback, double.MinValue, double.MaxValue, AnyNumber);

    private static VerifyOptions ReadVerifier(ConfigBinder b)
    {
        var d = VerifyOptions.Default;
        return d with
        {
            Strict = b.Bool("verifier.strict", d.Strict),
            OrderedLists = b.Bool("verifier.ordered_lists", d.OrderedLists),
            AllowSetRelationComparison = b.Bool("verifier.set_relations", d.AllowSetRelationComparison),
            FallbackToLastNumber = b.Bool("verifier.fallback_to_last_number", d.FallbackToLastNumber),
            DecimalRounding = (int?)b.OptionalLong("verifier.decimal_rounding", d.DecimalRounding, 0, 15),
            WorkBudget = b.Long("verifier.work_budget", d.WorkBudget, 1, int.MaxValue),
            TimeBudget = TimeSpan.FromMilliseconds(b.Double("verifier.time_budget_ms", d.TimeBudget.TotalMilliseconds, double.Epsilon, 60_000, "a number in (0, 60000]")),
            NumericTolerance = b.Double("verifier.numeric_tolerance", d.NumericTolerance, double.Epsilon, Math.BitDecrement(1.0), "a number in (0, 1), e.g. 1e-9"),
            LabelledAnswers = b.Bool("verifier.labelled_answers", d.LabelledAnswers),
            NumberWords = b.Bool("verifier.number_words", d.NumberWords),
            MultipleChoice = b.Bool("verifier.multiple_choice", d.MultipleChoice),
            Percent = b.Choice("verifier.percent", d.Percent, [("either", PercentReading.Either), ("fraction", PercentReading.Fraction), ("number", PercentReading.Number)]),
        };
    }

    // The model keys of a prm/orm section: null when it names no model (no path, no url).
    private static RewardModelSpec? ReadModel(ConfigBinder b, string section, string? baseDirectory, bool prm)
    {
        bool hasPath = b.IsSet($"{section}.path"), hasUrl = b.IsSet($"{section}.url");
        string[] local = ["convention", "batch_size"], remote = ["protocol", "timeout_seconds"];
        if (!hasPath && !hasUrl)
        {
            foreach (var k in local.Concat(remote))
                if (b.IsSet($"{section}.{k}")) b.Fail($"{section}.{k}", "given without a model; add path (model directory) or url (remote service)");
            return null;
        }
        if (hasPath && hasUrl) b.Fail(section, "both path and url given; expected one (in-process path or remote url)");
        foreach (var k in hasPath ? remote : local)
            if (b.IsSet($"{section}.{k}")) b.Fail($"{section}.{k}", $"only applies to a {(hasPath ? "remote (url)" : "in-process (path)")} model");
        if (!prm && b.IsSet($"{section}.convention")) b.Fail($"{section}.convention", "only applies to a PRM");
        if (hasPath)
        {
            string path = b.String($"{section}.path", "", "a model directory");
            var convention = PrmConvention.StepEndToken;
            if (b.IsSet($"{section}.convention"))
            {
                try
                {
                    convention = LoadedRewardModel.ParseConvention(b.String($"{section}.convention", "", "step_end, separator or math_shepherd"));
                }
                catch (ArgumentException e)
                {
                    b.Fail($"{section}.convention", e.Message.Split(" (Parameter", 2)[0]);
                }
            }
            int batch = (int)b.Long($"{section}.batch_size", 64, 1, 4096);
            return new RewardModelSpec(Path.GetFullPath(path, baseDirectory ?? Directory.GetCurrentDirectory()), null, Convention: convention, BatchSize: batch);
        }
        string url = b.String($"{section}.url", "", "an absolute http(s) URL");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            b.Fail($"{section}.url", $"'{url}'; expected an absolute http(s) URL, e.g. http://127.0.0.1:8001/v1/rewards");
        var protocol = RemoteProtocol.Native;
        if (b.IsSet($"{section}.protocol"))
        {
            protocol = b.String($"{section}.protocol", "", "native or openrlhf") switch
            {
                "native" => RemoteProtocol.Native,
                "openrlhf" => RemoteProtocol.OpenRlhf,
                var other => throw b.Error($"{section}.protocol", $"'{other}'; expected native or openrlhf"),
            };
        }
        if (prm && protocol == RemoteProtocol.OpenRlhf)
            b.Fail($"{section}.protocol", "openrlhf returns one score per sample, a PRM needs per-step scores; use native");
        double timeout = b.Double($"{section}.timeout_seconds", 30, double.Epsilon, 3600, "a number in (0, 3600]");
        return new RewardModelSpec(null, uri, protocol, TimeoutSeconds: timeout);
    }

    private static StepSplitOptions ReadSteps(ConfigBinder b)
    {
        var keys = b.Section("steps", ["split", "regex", "tag"])!;
        if (keys.Count != 1) b.Fail("steps", $"expected exactly one of split, regex, tag; got {keys.Count} key(s)");
        string key = keys[0];
        var kind = key switch { "split" => StepSplitKind.Separator, "regex" => StepSplitKind.Regex, _ => StepSplitKind.Tag };
        var pattern = b.String($"steps.{key}", "", "a non-empty pattern");
        try
        {
            var options = new StepSplitOptions(kind, pattern);
            _ = new StepSplitter(options); // validates: non-empty, regex compiles and cannot match ""
            return options;
        }
        catch (ArgumentException e)
        {
            throw b.Error($"steps.{key}", e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static ShapingOptions ReadShaping(ConfigBinder b)
    {
        b.Section("shaping", ["kind", "alpha", "eta", "delta_last", "temperature", "par_references"]);
        if (!b.IsSet("shaping.kind")) b.Fail("shaping.kind", "missing; expected one of " + KindNames(), at: "shaping");
        var kindName = b.String("shaping.kind", "", "one of " + KindNames());
        var kind = ShapingOptions.TryParseKind(kindName)
            ?? throw b.Error("shaping.kind", $"'{kindName}' is not a shaping; expected one of {KindNames()}");

        var last = DeltaLastStep.Keep;
        if (b.IsSet("shaping.delta_last"))
        {
            last = b.String("shaping.delta_last", "", "keep or zero") switch
            {
                "keep" => DeltaLastStep.Keep,
                "zero" => DeltaLastStep.Zero,
                var other => throw b.Error("shaping.delta_last", $"'{other}'; expected keep or zero"),
            };
        }
        var temperature = b.Double("shaping.temperature", 0.1, double.Epsilon, double.MaxValue, "a number > 0");
        var alpha = Number(b, "shaping.alpha", 1.0);
        // A negative scale flips Clip's "never positive" bound into "never negative": refuse it.
        if (alpha < 0) b.Fail("shaping.alpha", $"is {alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)}; expected a number ≥ 0");
        return new ShapingOptions(kind,
            alpha,
            Number(b, "shaping.eta", 0.5),
            last,
            temperature,
            b.DoubleList("shaping.par_references", double.MinValue, double.MaxValue, AnyNumber));
    }

    private static string KindNames() => string.Join(", ", ShapingOptions.AllKinds.Select(ShapingOptions.NameOf));
}

// RewardConfig: a reward.yaml resolved into typed records — the step splitter and the reward design.
// Not the parser (RewardConfigLoader) and not the scorer (OfflineScorer).
//
// Grammar (every key optional except where noted; unknown keys are errors):
//   steps:   { split: "\n" }            # exactly one of split (literal separator) | regex | tag; default split "\n"
//   verifier: { strict: true, ordered_lists: false, set_relations: true, decimal_rounding: 2,
//               fallback_to_last_number: true, work_budget: 200000, time_budget_ms: 1000,
//               numeric_tolerance: 1e-9, labelled_answers: true, number_words: true,
//               multiple_choice: true, percent: either }   # MathVerifier's VerifyOptions; each key optional
//                                                          # (percent: either|fraction|number)
//   prm:     { path: DIR, convention: step_end, batch_size: 64 }   # in-process PRM (step_end|separator|math_shepherd)
//         or { url: http://host:8000/v1/rewards, protocol: native, timeout_seconds: 30 }   # remote
//            # a prm needs a shaping section (the step scores have no other use)
//   success: { correct: 1.0, incorrect: 0.0, unverifiable: 0.0 }
//   shaping: { kind: clip_delta,        # required when shaping is present: raw|clip|delta|clip_delta|min_form|par
//              alpha: 1.0, eta: 0.5, delta_last: keep,   # keep|zero
//              temperature: 0.1, par_references: [0.5] }
//   orm:     { alpha: 0.0, par_references: [],
//              path: DIR | url: URL, protocol: native|openrlhf, timeout_seconds: 30, batch_size: 64 }
//            # a model (path or url) needs alpha ≠ 0; without one, requests must carry orm_score
//   format:  { missing_answer: 0.0 }    # added on the last token when there is no \boxed{
//   length:  { per_step: 0.0 }          # c·K added on the last token
//   serve:   { strip_tokens: [...], on_error: fail, max_queued_samples: 65536 }   # `reasonrl serve` only: kept raw
//            # (ServeYaml) and parsed by ReasonRL.Server's ServeSettings; other commands ignore it
// Without a shaping section the design has no learned step reward.
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Steps;
using ReasonRL.Verifier;

namespace ReasonRL.Rewards.Offline;

public sealed record RewardConfig(StepSplitOptions Steps, RewardDesign Design)
{
    /// <summary>Verifier options for the success reward (the `verifier:` section; default VerifyOptions.Default).</summary>
    public VerifyOptions Verify { get; init; } = VerifyOptions.Default;

    /// <summary>The PRM that scores steps for shaping (the `prm:` section), or null: step scores are replayed from requests.</summary>
    public RewardModelSpec? Prm { get; init; }

    /// <summary>The ORM that scores responses (model keys of the `orm:` section), or null: ORM scores are replayed from requests.</summary>
    public RewardModelSpec? Orm { get; init; }

    /// <summary>The raw text of the `serve:` section (line numbers kept: the lines before it are blank), or null. Its keys
    /// belong to the reward server (ReasonRL.Server's ServeSettings), which parses it.</summary>
    public string? ServeYaml { get; init; }

    /// <summary>The config file's name as errors give it (the loader's file argument).</summary>
    public string File { get; init; } = "reward.yaml";

    /// <summary>One-line description for logs: "steps split "\n"; shaping clip_delta α=1 η=0.5 last=keep".</summary>
    public string Describe()
    {
        var shaping = Design.Shaping is { } s
            ? $"shaping {Shaping.ShapingOptions.NameOf(s.Kind)} alpha={s.Alpha} eta={s.Eta} delta_last={s.LastStep.ToString().ToLowerInvariant()} temperature={s.Temperature}"
            : "no learned step reward";
        var success = $"success {Design.Success.Correct}/{Design.Success.Incorrect}/{Design.Success.Unverifiable}";
        var models = (Prm is null ? "" : $"; prm {Prm.Describe()}") + (Orm is null ? "" : $"; orm model {Orm.Describe()}");
        var verifier = Verify == VerifyOptions.Default ? "" : $"; verifier strict={Verify.Strict} ordered_lists={Verify.OrderedLists} set_relations={Verify.AllowSetRelationComparison} decimal_rounding={Verify.DecimalRounding?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off"}" +
            $" labelled_answers={Verify.LabelledAnswers} number_words={Verify.NumberWords} multiple_choice={Verify.MultipleChoice} percent={Verify.Percent.ToString().ToLowerInvariant()}";
        return $"steps {Steps}; {success}; {shaping}; orm alpha={Design.OrmAlpha}{models}{verifier}";
    }
}

/// <summary>A reward.yaml that does not match the grammar: names the file, line, key and what was expected.
/// Core's ConfigBinder creates it for RewardConfigLoader (Line, Key and Problem from <see cref="ReasonRL.Core.ConfigException"/>).</summary>
public sealed class RewardConfigException(string file, int line, string key, string problem)
    : ReasonRL.Core.ConfigException(file, line, key, problem)
{
    /// <summary>The config file (the binder's Origin).</summary>
    public string File => Origin;
}

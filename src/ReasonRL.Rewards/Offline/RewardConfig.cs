// RewardConfig: a reward.yaml resolved into typed records — the step splitter and the reward design.
// Not the parser (RewardConfigLoader) and not the scorer (OfflineScorer).
//
// Grammar (every key optional except where noted; unknown keys are errors):
//   steps:   { split: "\n" }            # exactly one of split (literal separator) | regex | tag; default split "\n"
//   success: { correct: 1.0, incorrect: 0.0, unverifiable: 0.0 }
//   shaping: { kind: clip_delta,        # required when shaping is present: raw|clip|delta|clip_delta|min_form|par
//              alpha: 1.0, eta: 0.5, delta_last: keep,   # keep|zero
//              temperature: 0.1, par_references: [0.5] }
//   orm:     { alpha: 0.0, par_references: [] }
//   format:  { missing_answer: 0.0 }    # added on the last token when there is no \boxed{
//   length:  { per_step: 0.0 }          # c·K added on the last token
// Without a shaping section the design has no learned step reward.
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Steps;

namespace ReasonRL.Rewards.Offline;

public sealed record RewardConfig(StepSplitOptions Steps, RewardDesign Design)
{
    /// <summary>One-line description for logs: "steps split "\n"; shaping clip_delta α=1 η=0.5 last=keep".</summary>
    public string Describe()
    {
        var shaping = Design.Shaping is { } s
            ? $"shaping {Shaping.ShapingOptions.NameOf(s.Kind)} alpha={s.Alpha} eta={s.Eta} delta_last={s.LastStep.ToString().ToLowerInvariant()} temperature={s.Temperature}"
            : "no learned step reward";
        var success = $"success {Design.Success.Correct}/{Design.Success.Incorrect}/{Design.Success.Unverifiable}";
        return $"steps {Steps}; {success}; {shaping}; orm alpha={Design.OrmAlpha}";
    }
}

/// <summary>A reward.yaml that does not match the grammar: names the file, line, key and what was expected.</summary>
public sealed class RewardConfigException(string file, int line, string key, string problem)
    : Exception($"{file}:{line}: {key}: {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Key { get; } = key;
}

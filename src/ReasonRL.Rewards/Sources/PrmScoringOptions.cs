// PrmScoringOptions: where and how a process reward model reads each step's score (docs/reward-methods.md §8).
// Conventions:
//   StepEndToken   — the lab's: the prompt+response tokens exactly as the policy sees them, each step read
//                    at its last token (StepTokenMap over the response's character offsets);
//   SeparatorToken — Qwen2.5-Math-PRM: the steps' texts, each followed by a separator token (default
//                    "<extra_0>"), the step read at its separator;
//   MathShepherd   — Math-Shepherd: each step followed by a tag token (default "ки"), the step read at the
//                    tag as softmax over the LM head's "+" / "-" logits.
// Not the input builder (RewardModelInputs) and not the source (PrmRewardSource).
namespace ReasonRL.Rewards.Sources;

/// <summary>Where a PRM reads each step's score.</summary>
public enum PrmConvention
{
    /// <summary>The last token of each step in the prompt+response tokens (lab convention).</summary>
    StepEndToken,

    /// <summary>A separator token after each step (Qwen2.5-Math-PRM).</summary>
    SeparatorToken,

    /// <summary>A step tag after each step; "+"/"−" LM logits (Math-Shepherd).</summary>
    MathShepherd,
}

/// <summary>PRM scoring settings; the defaults are listed on each property.</summary>
public sealed record PrmScoringOptions
{
    public static PrmScoringOptions Default { get; } = new();

    /// <summary>Default StepEndToken.</summary>
    public PrmConvention Convention { get; init; } = PrmConvention.StepEndToken;

    /// <summary>Separator text after each step under SeparatorToken; must encode to one token. Default "&lt;extra_0&gt;".</summary>
    public string Separator { get; init; } = "<extra_0>";

    /// <summary>Step tag under MathShepherd; must encode to one token. Default "ки" (Math-Shepherd's tag).</summary>
    public string StepTag { get; init; } = "ки";

    /// <summary>Positive-class token under MathShepherd. Default "+".</summary>
    public string PositiveToken { get; init; } = "+";

    /// <summary>Negative-class token under MathShepherd. Default "-".</summary>
    public string NegativeToken { get; init; } = "-";

    /// <summary>Samples per model call (the model further splits by token budget). Default 64.</summary>
    public int BatchSize { get; init; } = 64;
}

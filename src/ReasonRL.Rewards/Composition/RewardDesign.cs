// RewardDesign: what one RL run adds up per response — success + shaped learned step reward + ORM
// term + optional format and length terms (immutable config). Not the arithmetic (RewardComposer).
// Reference: docs/reward-methods.md §3.4 (full token reward), §2.3 (ORM), §6.3 (PAR).
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;

namespace ReasonRL.Rewards.Composition;

/// <param name="Success">Reward per verdict, placed on the last token.</param>
/// <param name="Shaping">Step-score transform; null = no learned step reward (success only / ORM only).</param>
/// <param name="OrmAlpha">α_orm on the ORM score at the last token; 0 = ORM unused (default).</param>
/// <param name="OrmParReferences">When non-empty, the ORM score is PAR-shaped against these references first.</param>
/// <param name="MissingAnswerPenalty">Format term added on the last token when the response has no
/// "\boxed{"; e.g. −0.5; 0 = off (default).</param>
/// <param name="PerStepPenalty">Length term c·K added on the last token (K = step count); e.g. −0.01; 0 = off.</param>
public sealed record RewardDesign(
    SuccessValues Success,
    ShapingOptions? Shaping,
    double OrmAlpha = 0.0,
    IReadOnlyList<double>? OrmParReferences = null,
    double MissingAnswerPenalty = 0.0,
    double PerStepPenalty = 0.0)
{
    /// <summary>The documented example: success 1/0/0 and Clip-Delta with α = 1, η = 0.5, last step kept.</summary>
    public static RewardDesign ClipDeltaExample { get; } =
        new(SuccessValues.ZeroOne, new ShapingOptions(ShapingKind.ClipDelta, Alpha: 1.0, Eta: 0.5));

    /// <summary>True when the design needs learned step scores.</summary>
    public bool UsesStepScores => Shaping is not null;

    /// <summary>True when the design needs an ORM score.</summary>
    public bool UsesOrm => OrmAlpha != 0.0;
}

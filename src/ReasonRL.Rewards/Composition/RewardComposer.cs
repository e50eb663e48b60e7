// RewardComposer: builds the per-token reward vector of one response and its diagnostics:
//   R_t = 0 for every token, then
//   R_{e_k} += shaped step reward k          (e_k from StepTokenMap; k = 1..K)
//   R_{T−1} += r_succ + ORM term + format term + length term
// (docs/reward-methods.md §3.4; the KL penalty −β·KL_t is the trainer's, added there, not here).
// Not shaping (StepShaping), not scoring (sources), not advantages (Training).
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using System.Text.RegularExpressions;

namespace ReasonRL.Rewards.Composition;

/// <summary>A response's token rewards [T] with the diagnostics of how they were made.</summary>
public sealed record ComposedReward(double[] TokenRewards, int[] StepEndTokens, RewardDiagnostics Diagnostics);

public static partial class RewardComposer
{
    /// <summary>Diagnostics only (no tokens): the offline scorer and the remote native protocol use this.</summary>
    /// <param name="design">What to add up.</param>
    /// <param name="response">Response text (for repeated steps and the format term).</param>
    /// <param name="steps">[K] step spans.</param>
    /// <param name="success">The success score (Outcome and Verdict of a SuccessSource).</param>
    /// <param name="stepScores">[K] raw learned scores; required when the design shapes steps.</param>
    /// <param name="ormScore">ORM score; required when the design uses an ORM.</param>
    /// <exception cref="ArgumentException">A failed success score, a missing or mis-sized input the design needs.</exception>
    public static RewardDiagnostics Diagnose(
        RewardDesign design, string response, IReadOnlyList<StepSpan> steps, SampleScore success,
        IReadOnlyList<double>? stepScores, double? ormScore)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(success);
        if (success.Status != ScoreStatus.Ok || success.Outcome is not double successValue)
        {
            throw new ArgumentException($"success score is unusable ({success.Error ?? "no outcome"}); a failed reward is never read as 0", nameof(success));
        }

        double[] stepRewards;
        if (design.Shaping is { } shaping)
        {
            if (stepScores is null)
            {
                throw new ArgumentException($"shaping '{ShapingOptions.NameOf(shaping.Kind)}' needs step scores but none were given", nameof(stepScores));
            }
            if (stepScores.Count != steps.Count)
            {
                throw new ArgumentException($"{stepScores.Count} step score(s) for {steps.Count} step(s); expected one score per step", nameof(stepScores));
            }
            stepRewards = StepShaping.Shape(stepScores.ToArray(), shaping);
        }
        else
        {
            stepRewards = new double[steps.Count];
        }

        var ormTerm = 0.0;
        if (design.UsesOrm)
        {
            if (ormScore is not double orm) throw new ArgumentException("the design uses an ORM (orm alpha ≠ 0) but no ORM score was given", nameof(ormScore));
            ormTerm = StepShaping.OrmTerm(orm, design.OrmAlpha, design.OrmParReferences);
        }

        var extra = design.PerStepPenalty * steps.Count;
        if (design.MissingAnswerPenalty != 0.0 && !BoxedAnswer().IsMatch(response)) extra += design.MissingAnswerPenalty;

        var spanArray = steps.ToArray();
        return new RewardDiagnostics
        {
            Steps = spanArray,
            RawStepScores = design.Shaping is null ? null : stepScores!.ToArray(),
            StepRewards = stepRewards,
            RepeatedStepCount = RepeatedSteps.Count(response, spanArray),
            LearnedReturn = StepShaping.LearnedReturn(stepRewards),
            Verdict = success.Verdict,
            Success = successValue,
            OrmTerm = ormTerm,
            ExtraTerms = extra,
        };
    }

    /// <summary>Token rewards [T] plus diagnostics. Step k's reward is added at e_k, everything
    /// sequence-level at the last token T − 1; Σ_t R_t equals the diagnostics' TotalReturn.</summary>
    /// <param name="offsets">[T] response token character ranges (T ≥ 1).</param>
    public static ComposedReward Compose(
        RewardDesign design, string response, IReadOnlyList<StepSpan> steps, ReadOnlySpan<TokenOffset> offsets,
        SampleScore success, IReadOnlyList<double>? stepScores, double? ormScore)
    {
        if (offsets.Length == 0) throw new ArgumentException("a response needs at least one token to carry its reward", nameof(offsets));
        var diagnostics = Diagnose(design, response, steps, success, stepScores, ormScore);
        var spans = steps.ToArray();
        var ends = StepTokenMap.StepEndTokens(spans, offsets);
        var rewards = new double[offsets.Length];
        for (var k = 0; k < ends.Length; k++) rewards[ends[k]] += diagnostics.StepRewards[k];
        rewards[^1] += diagnostics.Success + diagnostics.OrmTerm + diagnostics.ExtraTerms;
        return new ComposedReward(rewards, ends, diagnostics);
    }

    [GeneratedRegex(@"\\boxed\s*\{", RegexOptions.CultureInvariant)]
    private static partial Regex BoxedAnswer();
}

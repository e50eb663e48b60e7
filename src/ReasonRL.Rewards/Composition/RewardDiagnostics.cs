// RewardDiagnostics: per-sample record of how a response's reward was built, for metrics, the
// offline scorer's output and the hacking diagnostics of docs/reward-methods.md §4 (steps, repeated
// steps, learned return vs success, fraction of non-zero process terms).
// Not an aggregate: RewardSummary averages these over a batch.
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;

namespace ReasonRL.Rewards.Composition;

public sealed record RewardDiagnostics
{
    /// <summary>[K] step character spans.</summary>
    public required IReadOnlyList<StepSpan> Steps { get; init; }

    /// <summary>[K] raw learned step scores, or null when the design uses none.</summary>
    public IReadOnlyList<double>? RawStepScores { get; init; }

    /// <summary>[K] shaped step rewards (all zero when no learned reward is used).</summary>
    public required IReadOnlyList<double> StepRewards { get; init; }

    /// <summary>K.</summary>
    public int StepCount => Steps.Count;

    /// <summary>Steps repeating an earlier step of the same response (RepeatedSteps).</summary>
    public required int RepeatedStepCount { get; init; }

    /// <summary>Σ_k step rewards: what the learned reward contributes to G_1 (γ = 1).</summary>
    public required double LearnedReturn { get; init; }

    /// <summary>The verdict, or null when success was replayed or not computed.</summary>
    public SuccessJudgement? Verdict { get; init; }

    /// <summary>r_succ.</summary>
    public required double Success { get; init; }

    /// <summary>α_orm·ORM (PAR-shaped when configured); 0 when unused.</summary>
    public double OrmTerm { get; init; }

    /// <summary>Format + length terms.</summary>
    public double ExtraTerms { get; init; }

    /// <summary>G_1 = success + learned return + ORM term + extra terms.</summary>
    public double TotalReturn => Success + LearnedReturn + OrmTerm + ExtraTerms;

    /// <summary>Fraction of steps whose shaped reward is non-zero (how dense the signal still is after Clip).</summary>
    public double NonZeroStepRewardFraction
    {
        get
        {
            if (StepRewards.Count == 0) return 0.0;
            var nonZero = 0;
            foreach (var r in StepRewards) if (r != 0.0) nonZero++;
            return (double)nonZero / StepRewards.Count;
        }
    }
}

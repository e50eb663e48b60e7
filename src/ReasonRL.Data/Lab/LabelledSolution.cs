// LabelledSolution: the labeller's per-sample result — every non-blank line labelled, plus the counts
// the lab's table and the reward-model builders need. Not a reward and not a PRM record (see
// RewardRecordBuilder).
using ReasonRL.Verifier;

namespace ReasonRL.Data.Lab;

/// <summary>A labelled response and its per-sample statistics.</summary>
public sealed record LabelledSolution
{
    /// <summary>The response that was labelled.</summary>
    public required string Response { get; init; }

    /// <summary>Every non-blank line in order, the final-answer line included.</summary>
    public required IReadOnlyList<LabelledStep> Lines { get; init; }

    /// <summary>Reasoning steps: non-blank lines other than the final-answer line.</summary>
    public required int StepCount { get; init; }

    /// <summary>Reasoning steps labelled Correct.</summary>
    public required int CorrectCount { get; init; }

    /// <summary>Reasoning steps labelled Unnecessary.</summary>
    public required int UnnecessaryCount { get; init; }

    /// <summary>Reasoning steps labelled Incorrect.</summary>
    public required int IncorrectCount { get; init; }

    /// <summary>Reasoning steps that repeat an earlier line (whatever their label).</summary>
    public required int RepeatedStepCount { get; init; }

    /// <summary>The verifier's verdict on the final-answer line; null when truncated.</summary>
    public required Verdict? FinalVerdict { get; init; }

    /// <summary>True when the response has no final-answer line (no <c>\boxed</c>).</summary>
    public required bool IsTruncated { get; init; }

    /// <summary>True when the final answer verifies Correct against the gold answer.</summary>
    public bool IsCorrect => FinalVerdict == Verdict.Correct;

    /// <summary>UnnecessaryCount / StepCount (0 for no steps).</summary>
    public double UnnecessaryRate => StepCount == 0 ? 0 : (double)UnnecessaryCount / StepCount;

    /// <summary>RepeatedStepCount / StepCount (0 for no steps).</summary>
    public double RepeatedStepRate => StepCount == 0 ? 0 : (double)RepeatedStepCount / StepCount;
}

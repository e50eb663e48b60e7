// RewardSample / SampleScore: what every reward source takes and returns, one pair per response.
// Not the per-token vector (Composition) and not shaping: a source reports raw signals only.
using ReasonRL.Rewards.Steps;

namespace ReasonRL.Rewards.Sources;

/// <summary>One response to score.</summary>
/// <param name="Prompt">The question / prompt q.</param>
/// <param name="Response">The sampled solution text.</param>
/// <param name="Gold">Reference answer, or null when none exists (success is then Unverifiable).</param>
/// <param name="Steps">The response's steps (from the shared StepSplitter), in order.</param>
public sealed record RewardSample(string Prompt, string Response, string? Gold, IReadOnlyList<StepSpan> Steps);

/// <summary>Whether a source produced a score for a sample.</summary>
public enum ScoreStatus
{
    Ok,
    /// <summary>The source failed for this sample (<see cref="SampleScore.Error"/> says why). Never read as 0.</summary>
    Failed,
}

/// <summary>A source's raw result for one sample. Which fields are set depends on the source:
/// success sets <see cref="Verdict"/> and <see cref="Outcome"/>; an ORM sets <see cref="Outcome"/>;
/// a PRM sets <see cref="StepScores"/> (one per step); the remote native protocol may set all.</summary>
public sealed record SampleScore
{
    public ScoreStatus Status { get; init; } = ScoreStatus.Ok;

    /// <summary>Sequence-level value: success reward, ORM score or remote reward.</summary>
    public double? Outcome { get; init; }

    /// <summary>[K] raw learned step scores s_k, when the source scores steps.</summary>
    public IReadOnlyList<double>? StepScores { get; init; }

    /// <summary>Step spans as the source segmented them (remote native protocol), else null.</summary>
    public IReadOnlyList<StepSpan>? Steps { get; init; }

    /// <summary>[K] step rewards already shaped by the source (remote native protocol), else null.</summary>
    public IReadOnlyList<double>? StepRewards { get; init; }

    /// <summary>Verifier verdict, when the source verifies.</summary>
    public SuccessJudgement? Verdict { get; init; }

    /// <summary>Why the source failed (set only when Status is Failed).</summary>
    public string? Error { get; init; }

    public static SampleScore Fail(string error) => new() { Status = ScoreStatus.Failed, Error = error };
}

// LabSummary: everything summary.json holds — the table figures, every run's outcome, the reward
// models' quality, stage timings and the computed findings. The report is drawn from it (plus the
// curves and examples read from the run folder). Not the computation of the figures (LabTable,
// LabFindings) — this is the serialisable result.
using ReasonRL.Training;

namespace ReasonRL.Runs.Lab;

/// <summary>The lab's machine-readable result (summary.json).</summary>
/// <param name="Preset">The preset's name.</param>
/// <param name="CreatedAt">When the summary was written.</param>
/// <param name="Seeds">Seeds run.</param>
/// <param name="Designs">Designs run (names), in table order.</param>
/// <param name="Baseline">Held-out greedy evaluation of the SFT policy.</param>
/// <param name="RewardModels">PRM and ORM held-out quality.</param>
/// <param name="Table">The table rows (baseline first).</param>
/// <param name="Runs">Every PPO run's outcome.</param>
/// <param name="Stages">Stage timings (as recorded when each stage ran).</param>
/// <param name="Findings">What the data shows, claim by claim.</param>
/// <param name="TotalSeconds">Sum of the stage timings.</param>
public sealed record LabSummary(
    string Preset,
    DateTimeOffset CreatedAt,
    IReadOnlyList<int> Seeds,
    IReadOnlyList<string> Designs,
    LabEvalSummary Baseline,
    IReadOnlyList<LabRewardModelQuality> RewardModels,
    IReadOnlyList<LabTableRow> Table,
    IReadOnlyList<LabRunResult> Runs,
    IReadOnlyList<LabStageRecord> Stages,
    IReadOnlyList<LabFinding> Findings,
    double TotalSeconds)
{
    /// <summary>The paired-difference table (success − SFT, each design − success).</summary>
    public IReadOnlyList<LabDifferenceRow> Differences { get; init; } = [];

    /// <summary>The PRM judged on unseen validation responses (rm/prm_check.json), or null when absent.</summary>
    public LabPrmCheck? PrmCheck { get; init; }

    /// <summary>The command that reruns this lab (the same folder resumes; a new --out reruns from scratch).</summary>
    public string? Command { get; init; }
}

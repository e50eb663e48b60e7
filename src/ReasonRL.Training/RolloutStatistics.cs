// RolloutStatistics: the per-step batch metrics the issue asks for, computed from per-response
// outcomes: mean success / learned / total return, mean response length (tokens), mean steps per
// response, repeated-step rate (steps whose whitespace-normalised text already appeared earlier in
// the same response, over all steps — a padding/hacking symptom; counted by the reward layer's RepeatedSteps), truncation rate, and the Pearson
// correlation of learned return with success across responses (NaN when either is constant).
// What it is not: the reward computation (ReasonRL.Rewards) or the trend monitor (HackingMonitor).
// Reference: issue 6 metrics list; docs/reward-methods.md §4 (hacking behaviours: repeated easy steps).
namespace ReasonRL.Training;

/// <summary>One response's outcome for statistics.</summary>
/// <param name="Success">Success reward (e.g. 1 correct / 0 wrong).</param>
/// <param name="LearnedReturn">Sum of the learned (PRM/ORM) reward terms.</param>
/// <param name="TotalReturn">Sum of all token rewards.</param>
/// <param name="Length">Response tokens.</param>
/// <param name="Steps">Reasoning steps of the response.</param>
/// <param name="RepeatedSteps">Steps whose normalised text already appeared earlier in the response.</param>
/// <param name="Truncated">Hit the length limit without EOS.</param>
public sealed record ResponseOutcome(double Success, double LearnedReturn, double TotalReturn, int Length, int Steps, int RepeatedSteps, bool Truncated)
{
    /// <summary>The outcome of a scored rollout: its reward diagnostics (the learned return counts every learned
    /// term: shaped PRM step rewards and the ORM term), token count and truncation; null when scoring failed.</summary>
    public static ResponseOutcome? Of(Ppo.RolloutRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Reward is not { } reward) return null;
        var d = reward.Diagnostics;
        return new ResponseOutcome(d.Success, d.LearnedReturn + d.OrmTerm, d.TotalReturn, record.ResponseTokens.Length, d.StepCount, d.RepeatedStepCount, record.Truncated);
    }
}

/// <summary>Batch statistics for the metrics log.</summary>
public static class RolloutStatistics
{
    /// <summary>Metrics (MetricNames keys) for one batch; throws on an empty batch.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Compute(IReadOnlyList<ResponseOutcome> batch)
    {
        if (batch.Count == 0) throw new ArgumentException("RolloutStatistics: empty batch; expected at least one response.", nameof(batch));
        int n = batch.Count, steps = 0, repeated = 0, truncated = 0;
        double success = 0, learned = 0, total = 0, length = 0;
        foreach (var r in batch)
        {
            success += r.Success; learned += r.LearnedReturn; total += r.TotalReturn; length += r.Length;
            if (r.Truncated) truncated++;
            steps += r.Steps;
            repeated += r.RepeatedSteps;
        }
        double corr = HackingMonitor.Pearson(batch.Select(r => r.LearnedReturn).ToArray(), batch.Select(r => r.Success).ToArray());
        return
        [
            new(MetricNames.SuccessReward, success / n),
            new(MetricNames.LearnedReward, learned / n),
            new(MetricNames.TotalReward, total / n),
            new(MetricNames.ResponseLength, length / n),
            new(MetricNames.StepsPerResponse, steps / (double)n),
            new(MetricNames.RepeatedStepRate, steps == 0 ? 0 : repeated / (double)steps),
            new(MetricNames.TruncationRate, truncated / (double)n),
            new(MetricNames.LearnedSuccessCorrelation, corr),
        ];
    }
}

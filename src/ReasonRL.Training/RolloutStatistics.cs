// RolloutStatistics: the per-step batch metrics the issue asks for, computed from per-response
// outcomes: mean success / learned / total return, mean response length (tokens), mean steps per
// response, repeated-step rate (steps whose whitespace-normalised text already appeared earlier in
// the same response, over all steps — a padding/hacking symptom), truncation rate, and the Pearson
// correlation of learned return with success across responses (NaN when either is constant).
// What it is not: the reward computation (ReasonRL.Rewards) or the trend monitor (HackingMonitor).
// Reference: issue 6 metrics list; reward-methods.md §4 (hacking behaviours: repeated easy steps).
namespace ReasonRL.Training;

/// <summary>One response's outcome for statistics.</summary>
/// <param name="Success">Success reward (e.g. 1 correct / 0 wrong).</param>
/// <param name="LearnedReturn">Sum of the learned (PRM/ORM) reward terms.</param>
/// <param name="TotalReturn">Sum of all token rewards.</param>
/// <param name="Length">Response tokens.</param>
/// <param name="Steps">Step texts of the response.</param>
/// <param name="Truncated">Hit the length limit without EOS.</param>
public sealed record ResponseOutcome(double Success, double LearnedReturn, double TotalReturn, int Length, IReadOnlyList<string> Steps, bool Truncated);

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
            steps += r.Steps.Count;
            repeated += RepeatedSteps(r.Steps);
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

    /// <summary>Number of steps whose normalised text (trimmed, inner whitespace collapsed) occurred earlier in the list.</summary>
    public static int RepeatedSteps(IReadOnlyList<string> steps)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int repeated = 0;
        foreach (var s in steps)
            if (!seen.Add(string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))) repeated++;
        return repeated;
    }
}

// BestOfN: bon@k's selection. A reward model scores each of the k responses — an ORM gives one
// outcome probability, a PRM one probability per step — and the response with the highest score is
// chosen. PRM step scores s_1..s_K are aggregated into one response score by
//     min:     min_k s_k            (a solution is as good as its weakest step; Lightman et al. 2023)
//     last:    s_K                  (the last step's score; the PRM then acts like an ORM)
//     product: Π_k s_k              (probability every step is correct, assuming independence)
// A response without a score (the source failed, or a PRM found no steps) cannot be chosen; the first
// of equally scored responses wins. Pure functions; the scores come from any IRewardSource.
namespace ReasonRL.Training.Evaluation;

/// <summary>How PRM step scores become one response score.</summary>
public enum StepScoreAggregation
{
    /// <summary>min_k s_k.</summary>
    Min,

    /// <summary>s_K, the last step's score.</summary>
    Last,

    /// <summary>Π_k s_k.</summary>
    Product,
}

/// <summary>Best-of-N aggregation and selection.</summary>
public static class BestOfN
{
    /// <summary>Parses "min", "last" or "product" (case-insensitive).</summary>
    public static StepScoreAggregation ParseAggregation(string text) => text.ToLowerInvariant() switch
    {
        "min" => StepScoreAggregation.Min,
        "last" => StepScoreAggregation.Last,
        "product" or "prod" => StepScoreAggregation.Product,
        _ => throw new ArgumentException($"unknown step-score aggregation \"{text}\"; expected min, last or product", nameof(text)),
    };

    /// <summary>One score from PRM step scores [K]; null when there are no steps or a score is not finite.</summary>
    public static double? Aggregate(IReadOnlyList<double> stepScores, StepScoreAggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(stepScores);
        if (stepScores.Count == 0) return null;
        foreach (double s in stepScores)
            if (!double.IsFinite(s)) return null;
        return aggregation switch
        {
            StepScoreAggregation.Min => stepScores.Min(),
            StepScoreAggregation.Last => stepScores[^1],
            StepScoreAggregation.Product => stepScores.Aggregate(1.0, (p, s) => p * s),
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "unknown aggregation"),
        };
    }

    /// <summary>Index of the highest score (first on ties), or −1 when no response has a finite score.</summary>
    public static int Select(IReadOnlyList<double?> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        int best = -1;
        for (int i = 0; i < scores.Count; i++)
        {
            if (scores[i] is not double s || !double.IsFinite(s)) continue;
            if (best < 0 || s > scores[best]!.Value) best = i;
        }
        return best;
    }
}

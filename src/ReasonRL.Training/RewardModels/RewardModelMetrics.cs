// RewardModelMetrics: the held-out figures a reward model is judged by, as pure functions of scores and
// labels (so they are tested on hand-made vectors):
//   BCE(l, y)      = softplus(l) − y·l = −[y·log σ(l) + (1 − y)·log(1 − σ(l))]   (stable for any l);
//   accuracy       = share of positions with (σ(l) ≥ 0.5) == (y = 1);
//   majority       = share of held-out labels equal to the training set's majority class (ties → positive);
//   AUC            = Mann–Whitney U / (n₊·n₋) with average ranks for tied scores (= P(s₊ > s₋) + ½·P(s₊ = s₋));
//                    NaN when one class is absent;
//   best-of-N      = over groups (same GroupId, ResponseCorrect known), the share whose highest-scoring
//                    response is correct (first in input order wins ties); the aggregation turns a PRM's
//                    step scores into a response score (min / last / product / mean), an ORM has one score.
// Not the training loop (RewardModelTrainer).
namespace ReasonRL.Training.RewardModels;

public static class RewardModelMetrics
{
    /// <summary>BCE(l, y) = max(l, 0) − y·l + log(1 + e^(−|l|)).</summary>
    public static double Bce(double logit, double label) => Math.Max(logit, 0) - label * logit + Math.Log(1 + Math.Exp(-Math.Abs(logit)));

    /// <summary>Share of (probability ≥ 0.5) == (label ≥ 0.5); NaN when empty.</summary>
    public static double Accuracy(IReadOnlyList<double> probabilities, IReadOnlyList<float> labels)
    {
        CheckLengths(probabilities.Count, labels.Count);
        if (labels.Count == 0) return double.NaN;
        int right = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            if ((probabilities[i] >= 0.5) == (labels[i] >= 0.5f)) right++;
        }
        return (double)right / labels.Count;
    }

    /// <summary>Accuracy on <paramref name="heldOut"/> of always predicting the majority class of
    /// <paramref name="train"/> (ties and an empty train set → positive); NaN when held-out is empty.</summary>
    public static double MajorityBaseline(IReadOnlyList<float> train, IReadOnlyList<float> heldOut)
    {
        if (heldOut.Count == 0) return double.NaN;
        int trainPositive = train.Count(y => y >= 0.5f);
        bool majorityPositive = trainPositive * 2 >= train.Count;
        int agree = heldOut.Count(y => (y >= 0.5f) == majorityPositive);
        return (double)agree / heldOut.Count;
    }

    /// <summary>ROC AUC with average ranks for ties; NaN unless both classes occur.</summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<float> labels)
    {
        CheckLengths(scores.Count, labels.Count);
        int n = scores.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        long positives = 0;
        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) end++;
            double averageRank = (start + end) / 2.0 + 1;   // 1-based ranks start+1 … end+1
            for (int j = start; j <= end; j++)
            {
                if (labels[order[j]] >= 0.5f)
                {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>One response score from step probabilities [K] (empty → NaN, never picked).</summary>
    public static double Aggregate(IReadOnlyList<double> stepScores, StepAggregation aggregation)
    {
        if (stepScores.Count == 0) return double.NaN;
        return aggregation switch
        {
            StepAggregation.Min => stepScores.Min(),
            StepAggregation.Last => stepScores[^1],
            StepAggregation.Product => stepScores.Aggregate(1.0, (a, s) => a * s),
            StepAggregation.Mean => stepScores.Average(),
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "unknown aggregation"),
        };
    }

    /// <summary>Best-of-N accuracy over groups, or null when no example has both a GroupId and ResponseCorrect.</summary>
    /// <param name="groupIds">[E] group of each example (null = not grouped).</param>
    /// <param name="correct">[E] whether each response is correct (null = unknown, excluded).</param>
    /// <param name="responseScores">[E] response scores (NaN = unscored, never picked unless all are).</param>
    public static BestOfNResult? BestOfN(IReadOnlyList<string?> groupIds, IReadOnlyList<bool?> correct, IReadOnlyList<double> responseScores)
    {
        CheckLengths(groupIds.Count, correct.Count);
        CheckLengths(groupIds.Count, responseScores.Count);
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        for (int i = 0; i < groupIds.Count; i++)
        {
            if (groupIds[i] is not { } g || correct[i] is null) continue;
            if (!groups.TryGetValue(g, out var members))
            {
                groups[g] = members = [];
                order.Add(g);
            }
            members.Add(i);
        }
        if (groups.Count == 0) return null;
        int picksCorrect = 0, anyCorrect = 0;
        double randomExpectation = 0;
        foreach (var g in order)
        {
            var members = groups[g];
            int best = members[0];
            foreach (int i in members)
            {
                if (double.IsNaN(responseScores[best]) || responseScores[i] > responseScores[best]) best = i;
            }
            if (correct[best] == true) picksCorrect++;
            int nCorrect = members.Count(i => correct[i] == true);
            if (nCorrect > 0) anyCorrect++;
            randomExpectation += (double)nCorrect / members.Count;
        }
        return new BestOfNResult(groups.Count, (double)picksCorrect / groups.Count, randomExpectation / groups.Count, (double)anyCorrect / groups.Count);
    }

    private static void CheckLengths(int a, int b)
    {
        if (a != b) throw new ArgumentException($"reward-model metrics: lengths differ ({a} vs {b})");
    }
}

/// <summary>Best-of-N over groups.</summary>
/// <param name="Groups">Groups counted.</param>
/// <param name="Accuracy">Share of groups whose highest-scoring response is correct.</param>
/// <param name="RandomPick">Expected accuracy of picking a response uniformly at random (the no-skill baseline).</param>
/// <param name="Oracle">Share of groups with at least one correct response (the ceiling).</param>
public sealed record BestOfNResult(int Groups, double Accuracy, double RandomPick, double Oracle);

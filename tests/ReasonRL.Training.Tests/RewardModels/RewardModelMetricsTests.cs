// RewardModelMetrics on hand-computed vectors: BCE, accuracy at 0.5, majority baseline, AUC with ties
// (Mann–Whitney with average ranks), aggregations and best-of-N with its baselines.
using ReasonRL.Training.RewardModels;
using Xunit;

namespace ReasonRL.Training.Tests.RewardModels;

public sealed class RewardModelMetricsTests
{
    [Fact]
    public void BceMatchesTheDefinitionAndIsStableForLargeLogits()
    {
        foreach (var (l, y) in new[] { (0.3, 1.0), (-2.0, 0.0), (1.5, 0.0), (0.0, 1.0) })
        {
            double p = 1 / (1 + Math.Exp(-l));
            Assert.Equal(-(y * Math.Log(p) + (1 - y) * Math.Log(1 - p)), RewardModelMetrics.Bce(l, y), 12);
        }
        Assert.Equal(1000.0, RewardModelMetrics.Bce(1000, 0), 9);
        Assert.Equal(0.0, RewardModelMetrics.Bce(1000, 1), 9);
    }

    [Fact]
    public void AccuracyAndMajorityBaseline()
    {
        Assert.Equal(0.75, RewardModelMetrics.Accuracy([0.9, 0.5, 0.49, 0.2], [1f, 0f, 0f, 0f]));
        // train majority is positive (3 of 4); held-out has 2 positives of 5
        Assert.Equal(0.4, RewardModelMetrics.MajorityBaseline([1f, 1f, 1f, 0f], [1f, 0f, 0f, 1f, 0f]), 12);
        // train majority negative
        Assert.Equal(0.6, RewardModelMetrics.MajorityBaseline([0f, 0f, 1f], [1f, 0f, 0f, 1f, 0f]), 12);
        Assert.True(double.IsNaN(RewardModelMetrics.MajorityBaseline([1f], [])));
    }

    [Fact]
    public void AucCountsTiesAsHalf()
    {
        Assert.Equal(1.0, RewardModelMetrics.Auc([0.1, 0.2, 0.8, 0.9], [0f, 0f, 1f, 1f]));
        Assert.Equal(0.0, RewardModelMetrics.Auc([0.9, 0.8, 0.2, 0.1], [0f, 0f, 1f, 1f]));
        Assert.Equal(0.5, RewardModelMetrics.Auc([0.5, 0.5, 0.5, 0.5], [0f, 1f, 0f, 1f]));
        // pairs (pos, neg): pos {0.3, 0.7}, neg {0.3, 0.5, 0.1}: 0.3 vs (0.3 tie=½, 0.5 lose, 0.1 win) = 1.5; 0.7 wins all = 3 → 4.5/6
        Assert.Equal(0.75, RewardModelMetrics.Auc([0.3, 0.7, 0.3, 0.5, 0.1], [1f, 1f, 0f, 0f, 0f]), 12);
        Assert.True(double.IsNaN(RewardModelMetrics.Auc([0.3, 0.7], [1f, 1f])));
    }

    [Fact]
    public void AggregationsOfStepScores()
    {
        double[] s = [0.9, 0.4, 0.8];
        Assert.Equal(0.4, RewardModelMetrics.Aggregate(s, StepAggregation.Min));
        Assert.Equal(0.8, RewardModelMetrics.Aggregate(s, StepAggregation.Last));
        Assert.Equal(0.288, RewardModelMetrics.Aggregate(s, StepAggregation.Product), 12);
        Assert.Equal(0.7, RewardModelMetrics.Aggregate(s, StepAggregation.Mean), 12);
        Assert.True(double.IsNaN(RewardModelMetrics.Aggregate([], StepAggregation.Min)));
    }

    [Fact]
    public void BestOfNPicksTheHighestScorePerGroup()
    {
        // group a: best score 0.9 is correct; group b: best 0.8 is wrong; group c: tie 0.5/0.5 → first (correct);
        // the ungrouped and the unknown-correctness rows are ignored.
        string?[] groups = ["a", "a", "b", "b", "b", "c", "c", null, "a"];
        bool?[] correct = [false, true, true, false, false, true, false, true, null];
        double[] scores = [0.2, 0.9, 0.3, 0.8, 0.1, 0.5, 0.5, 1.0, 5.0];
        var r = RewardModelMetrics.BestOfN(groups, correct, scores)!;
        Assert.Equal(3, r.Groups);
        Assert.Equal(2.0 / 3, r.Accuracy, 12);
        Assert.Equal((0.5 + 1.0 / 3 + 0.5) / 3, r.RandomPick, 12);
        Assert.Equal(1.0, r.Oracle);
        Assert.Null(RewardModelMetrics.BestOfN([null], [true], [0.3]));
    }
}

// Tests for RolloutStatistics on a hand-computed batch.
using ReasonRL.Training;
using Xunit;

namespace ReasonRL.Training.Tests;

public sealed class RolloutStatisticsTests
{
    [Fact]
    public void HandComputedBatch()
    {
        ResponseOutcome[] batch =
        [
            new(1, 0.9, 1.9, 10, 2, 0, false),
            new(0, 0.2, 0.2, 30, 4, 2, true),   // steps "x", " x ", "x  ", "y": two repeats of "x"
            new(1, 0.8, 1.8, 20, 1, 0, false),
            new(0, 0.1, 0.1, 40, 0, 0, true),
        ];
        var m = RolloutStatistics.Compute(batch).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(0.5, m[MetricNames.SuccessReward], 12);
        Assert.Equal(0.5, m[MetricNames.LearnedReward], 12);
        Assert.Equal(1.0, m[MetricNames.TotalReward], 12);
        Assert.Equal(25.0, m[MetricNames.ResponseLength], 12);
        Assert.Equal(7 / 4.0, m[MetricNames.StepsPerResponse], 12);
        Assert.Equal(2 / 7.0, m[MetricNames.RepeatedStepRate], 12);
        Assert.Equal(0.5, m[MetricNames.TruncationRate], 12);
        // learned [0.9,0.2,0.8,0.1] (mean 0.5) vs success [1,0,1,0]: sxy = 0.2+0.15+0.15+0.2 = 0.7, sxx = 0.5, syy = 1
        Assert.Equal(0.7 / Math.Sqrt(0.5), m[MetricNames.LearnedSuccessCorrelation], 12);
    }

    [Fact]
    public void EmptyBatch_Rejected() => Assert.Throws<ArgumentException>(() => RolloutStatistics.Compute([]));
}

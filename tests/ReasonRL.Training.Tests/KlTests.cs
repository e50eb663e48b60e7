// Tests for KlPenalty and KlController: docs/reward-methods.md §7.4 worked example, derivatives by finite differences,
// placements, and the Ziegler adaptive update.
using ReasonRL.Training;
using Xunit;

namespace ReasonRL.Training.Tests;

public sealed class KlTests
{
    [Fact]
    public void WorkedExample()
    {
        Assert.Equal(0.5, KlPenalty.Estimate(-1.0, -1.5, KlEstimator.K1), 12);
        Assert.Equal(0.125, KlPenalty.Estimate(-1.0, -1.5, KlEstimator.K2), 12);
        Assert.Equal(Math.Exp(-0.5) - 0.5, KlPenalty.Estimate(-1.0, -1.5, KlEstimator.K3), 12);
        Assert.Equal(0.1065, KlPenalty.Estimate(-1.0, -1.5, KlEstimator.K3), 4);
        Assert.Equal(0.5, KlPenalty.Estimate(-1.5, -1.0, KlEstimator.Abs), 12);
    }

    [Fact]
    public void K3ClampsLikeVerl()
    {
        Assert.Equal(10.0, KlPenalty.Estimate(-30, 0, KlEstimator.K3), 12);
        Assert.Equal(10.0, KlPenalty.Estimate(25, 0, KlEstimator.K3), 12);
        // Clamped outputs are constant: zero derivative (d = −3 gives e³ − 4 ≈ 16.1 > 10).
        Assert.Equal(0.0, KlPenalty.Derivative(-3, 0, KlEstimator.K3));
        Assert.Equal(0.0, KlPenalty.Derivative(25, 0, KlEstimator.K3));
        Assert.Equal(0.0, KlPenalty.Derivative(-25, 0, KlEstimator.K3));
    }

    [Theory]
    [InlineData(KlEstimator.K1)]
    [InlineData(KlEstimator.K2)]
    [InlineData(KlEstimator.K3)]
    [InlineData(KlEstimator.Abs)]
    public void DerivativeMatchesFiniteDifference(KlEstimator est)
    {
        foreach (var d in new[] { -2.0, -0.3, 0.4, 1.7 })
        {
            double h = 1e-6;
            double fd = (KlPenalty.Estimate(d + h, 0, est) - KlPenalty.Estimate(d - h, 0, est)) / (2 * h);
            Assert.Equal(fd, KlPenalty.Derivative(d, 0, est), 6);
        }
    }

    [Fact]
    public void InReward_SubtractsBetaKlOnValidTokensOnly()
    {
        var r = KlPenalty.ApplyToRewards([0, 1, 0], [0.5, 0.25, 9], [true, true, false], 0.1);
        Near.Equal(new[] { -0.05, 0.975, 0 }, r, 12);
    }

    [Fact]
    public void InLoss_GradientMatchesFiniteDifference()
    {
        double[] lp = [-1.0, -0.5, -2.0, -0.1]; double[] rf = [-1.2, -0.7, -1.0, -0.3];
        bool[] m = [true, true, true, false];
        var (loss, grad) = KlPenalty.LossTerm(lp, rf, m, 2, 2, KlEstimator.K3, 0.05, LossAggregation.SeqMeanTokenMean);
        for (int i = 0; i < 3; i++)
        {
            var p = (double[])lp.Clone(); p[i] += 1e-6; var q = (double[])lp.Clone(); q[i] -= 1e-6;
            double fd = (KlPenalty.LossTerm(p, rf, m, 2, 2, KlEstimator.K3, 0.05, LossAggregation.SeqMeanTokenMean).Loss
                       - KlPenalty.LossTerm(q, rf, m, 2, 2, KlEstimator.K3, 0.05, LossAggregation.SeqMeanTokenMean).Loss) / 2e-6;
            Assert.Equal(fd, grad[i], 8);
        }
        Assert.Equal(0.0, grad[3]);
        // seq 0: mean(k3(0.2), k3(0.2)); seq 1: k3(−1.0); β·½·(...)
        double k = Math.Exp(-0.2) - 1 + 0.2, k1 = Math.Exp(1.0) - 1 - 1.0;
        Assert.Equal(0.05 * 0.5 * (k + k1), loss, 12);
    }

    [Fact]
    public void Adaptive_FollowsZieglerUpdate()
    {
        var c = new AdaptiveKlController(0.1, target: 6, horizon: 10000);
        c.Update(12, 256);              // error clipped to +0.2
        Assert.Equal(0.1 * (1 + 0.2 * 256 / 10000.0), c.Beta, 15);
        c.Update(5.4, 100);             // error −0.1
        Assert.Equal(0.1 * (1 + 0.2 * 256 / 10000.0) * (1 - 0.1 * 100 / 10000.0), c.Beta, 15);
        var f = new FixedKlController(0.001);
        f.Update(100, 100);
        Assert.Equal(0.001, f.Beta);
    }
}

// Tests for Advantages: docs/reward-methods.md §7.2 worked numbers as exact vectors, a hand-computed
// GAE example, and column-vectorised/grouped versions against the scalar loop reference on random masked batches.
using ReasonRL.Training;
using Xunit;

namespace ReasonRL.Training.Tests;

public sealed class AdvantagesTests
{
    private static readonly int[] OneGroup = [0, 0, 0, 0];

    [Fact]
    public void WorkedExample_Grpo_Rloo_DrGrpo()
    {
        double[] s = [1, 0, 0, 1];
        // mean 0.5, unbiased std sqrt(1/3): 0.5/0.57735 = 0.866025
        var grpo = Advantages.Grpo(s, OneGroup, 0);
        Near.Equal(new[] { 0.8660254037844386, -0.8660254037844386, -0.8660254037844386, 0.8660254037844386 }, grpo, 12);
        Near.Equal(new[] { 2.0 / 3, -2.0 / 3, -2.0 / 3, 2.0 / 3 }, Advantages.Rloo(s, OneGroup), 12);
        Near.Equal(new[] { 0.5, -0.5, -0.5, 0.5 }, Advantages.DrGrpo(s, OneGroup), 12);
    }

    [Fact]
    public void Gae_HandComputed()
    {
        // One row, 3 tokens, γ = 0.9, λ = 0.5, EOS reached (bootstrap 0).
        // δ2 = 1 + 0 − 0.5 = 0.5;  δ1 = 0 + 0.9·0.5 − 0.2 = 0.25;  δ0 = 0 + 0.9·0.2 − 0.1 = 0.08
        // A2 = 0.5;  A1 = 0.25 + 0.45·0.5 = 0.475;  A0 = 0.08 + 0.45·0.475 = 0.29375
        var (a, r) = Advantages.Gae([0, 0, 1], [0.1, 0.2, 0.5], [true, true, true], [0.0], 1, 3, 0.9, 0.5);
        Near.Equal(new[] { 0.29375, 0.475, 0.5 }, a, 12);
        Near.Equal(new[] { 0.39375, 0.675, 1.0 }, r, 12);
    }

    [Fact]
    public void Gae_TruncatedBootstrapsAndSkipsPadding()
    {
        // Row 0: 2 tokens then padding, truncated with bootstrap 2: δ1 = 0 + 1·2 − 1 = 1, δ0 = 0 + 1 − 0 = 1, λ=1: A0 = 2.
        var (a, _) = Advantages.Gae([0, 0, 99], [0, 1, 99], [true, true, false], [2.0], 1, 3, 1, 1);
        Near.Equal(new[] { 2.0, 1.0, 0.0 }, a, 12);
    }

    [Fact]
    public void ReinforcePlusPlus_RewardToGoHandComputed()
    {
        var g = Advantages.RewardToGo([-0.1, -0.1, 1.0, 0.0], [true, true, true, false], 1, 4, 0.5);
        // G2 = 1, G1 = −0.1 + 0.5, G0 = −0.1 + 0.5·0.4
        Near.Equal(new[] { 0.1, 0.4, 1.0, 0.0 }, g, 12);
    }

    [Fact]
    public void Whiten_ZeroMeanUnitUnbiasedStd()
    {
        var w = Advantages.Whiten([1, 2, 3, 100], [true, true, true, false]);
        Near.Equal(new[] { -1.0, 0.0, 1.0, 0.0 }, w, 6);
    }

    [Fact]
    public void DenseRewards_GroupEstimatorsUseSummedReward()
    {
        var batch = new RolloutBatch
        {
            BatchSize = 2, MaxTokens = 3,
            Mask = [true, true, true, true, true, false],
            OldLogProbs = new double[6],
            TokenRewards = [-0.5, 0, 1, 0, 0, 0],  // S = 0.5 and 0
            Truncated = [false, false], GroupIndex = [7, 7],
        };
        var r = Advantages.Compute(AdvantageEstimator.DrGrpo, batch, new AdvantageOptions());
        Near.Equal(new[] { 0.25, 0.25, 0.25, -0.25, -0.25, 0 }, r.Advantages, 12);
        Assert.Null(r.Returns);
    }

    [Fact]
    public void Gae_WithoutValues_NamesTheField()
    {
        var batch = new RolloutBatch { BatchSize = 1, MaxTokens = 1, Mask = [true], OldLogProbs = [0], TokenRewards = [1], Truncated = [false], GroupIndex = [0] };
        var e = Assert.Throws<ArgumentException>(() => Advantages.Compute(AdvantageEstimator.Gae, batch, new AdvantageOptions()));
        Assert.Contains("Values", e.Message);
    }

    [Fact]
    public void Validate_NamesFieldAndExpectedLength()
    {
        var batch = new RolloutBatch { BatchSize = 2, MaxTokens = 2, Mask = new bool[4], OldLogProbs = new double[3], TokenRewards = new double[4], Truncated = new bool[2], GroupIndex = new int[2] };
        var e = Assert.Throws<ArgumentException>(batch.Validate);
        Assert.Contains("OldLogProbs", e.Message);
        Assert.Contains("expected 4", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void VectorisedMatchesLoopReference(int seed)
    {
        var rng = new Random(seed);
        int b = 12, t = 9;
        var r = new double[b * t]; var v = new double[b * t]; var mask = new bool[b * t];
        for (int i = 0; i < r.Length; i++) { r[i] = rng.NextDouble() * 2 - 1; v[i] = rng.NextDouble(); mask[i] = rng.NextDouble() < 0.8; }
        var boot = Enumerable.Range(0, b).Select(_ => rng.NextDouble()).ToArray();
        var groups = Enumerable.Range(0, b).Select(i => i % 4).ToArray();
        groups[^1] = 99; // a singleton group

        var (a1, r1) = Advantages.Gae(r, v, mask, boot, b, t, 0.97, 0.9);
        var (a2, r2) = AdvantagesReference.Gae(r, v, mask, boot, b, t, 0.97, 0.9);
        Near.Equal(a2, a1, 10);
        Near.Equal(r2, r1, 10);
        Near.Equal(AdvantagesReference.RewardToGo(r, mask, b, t, 0.95), Advantages.RewardToGo(r, mask, b, t, 0.95), 10);

        var s = Advantages.SequenceScores(r, mask, b, t);
        Near.Equal(AdvantagesReference.Grpo(s, groups, 1e-6), Advantages.Grpo(s, groups, 1e-6), 10);
        Near.Equal(AdvantagesReference.Rloo(s, groups), Advantages.Rloo(s, groups), 10);
        var dr = Advantages.DrGrpo(s, groups);
        Near.Equal(AdvantagesReference.DrGrpo(s, groups), dr, 10);
        Assert.Equal(0.0, dr[^1], 12);
    }
}

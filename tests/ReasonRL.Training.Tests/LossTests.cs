// Tests for PolicyLoss, ValueLoss, EntropyBonus, LossAggregation: hand-computed values and gradients
// checked by central finite differences in double precision at points away from the clip kinks.
using ReasonRL.Training;
using Xunit;

namespace ReasonRL.Training.Tests;

public sealed class LossTests
{
    private const int B = 3, T = 4;
    private static readonly bool[] Mask = [true, true, true, true, true, true, false, false, true, false, false, false];

    private static double[] Fd(Func<double[], double> f, double[] x, bool[] mask)
    {
        var g = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            if (!mask[i]) continue;
            var p = (double[])x.Clone(); p[i] += 1e-6;
            var q = (double[])x.Clone(); q[i] -= 1e-6;
            g[i] = (f(p) - f(q)) / 2e-6;
        }
        return g;
    }

    [Theory]
    [InlineData(LossAggregation.TokenMean, null)]
    [InlineData(LossAggregation.SeqMeanTokenSum, 3.0)]
    [InlineData(LossAggregation.SeqMeanTokenMean, null)]
    [InlineData(LossAggregation.SeqMeanTokenSumNorm, 3.0)]
    public void PolicyGradient_FiniteDifferences(LossAggregation agg, double? dual)
    {
        // log-ratio d chosen so some tokens are clipped (|d| ≈ 0.5) and others inside, none near 1±ε.
        double[] old = [-1, -2, -0.5, -1, -1, -3, 0, 0, -0.2, 0, 0, 0];
        double[] d = [0.05, 0.5, -0.5, -0.05, 0.1, -0.6, 0, 0, 1.6, 0, 0, 0];
        double[] adv = [1, 1, 1, -1, -2, -1, 0, 0, -1.5, 0, 0, 0];
        var lp = old.Zip(d, (o, x) => o + x).ToArray();
        var opt = new PolicyLossOptions(0.2, 0.28, dual, agg);
        var r = PolicyLoss.Compute(lp, old, adv, Mask, B, T, opt);
        var fd = Fd(x => PolicyLoss.Compute(x, old, adv, Mask, B, T, opt).Loss, lp, Mask);
        Near.Equal(fd, r.Gradient, 7);
        Assert.Contains(r.Gradient, g => g == 0);   // some tokens clipped
        Assert.Contains(r.Gradient, g => g != 0);
    }

    [Fact]
    public void PolicyLoss_HandComputed()
    {
        // 2 tokens, token-mean. Token 0: ratio e^0.5 ≈ 1.6487, A=1 → clipped: −1.2. Token 1: ratio 1, A=−1 → +1.
        var r = PolicyLoss.Compute([0.5, 0], [0, 0], [1, -1], [true, true], 1, 2, new PolicyLossOptions());
        Assert.Equal((-1.2 + 1.0) / 2, r.Loss, 12);
        Assert.Equal(0.5, r.ClipFraction, 12);
        Near.Equal(new[] { 0.0, 0.5 }, r.Gradient, 12);
        Assert.Equal((Math.Exp(0.5) + 1) / 2, r.RatioMean, 12);
        Assert.Equal(-0.25, r.ApproxKlK1, 12);
        Assert.Equal(0.0625, r.ApproxKlK2, 12);
    }

    [Fact]
    public void DualClip_CapsNegativeAdvantageLoss()
    {
        // ratio e^2 ≈ 7.39, A = −1: standard loss 7.39, dual clip c = 3 caps it at 3.
        var r = PolicyLoss.Compute([2.0], [0.0], [-1.0], [true], 1, 1, new PolicyLossOptions(DualClip: 3));
        Assert.Equal(3.0, r.Loss, 12);
        Assert.Equal(1.0, r.DualClipFraction);
        Assert.Equal(0.0, r.Gradient[0]);
    }

    [Theory]
    [InlineData(LossAggregation.TokenMean)]
    [InlineData(LossAggregation.SeqMeanTokenMean)]
    public void ValueGradient_FiniteDifferences(LossAggregation agg)
    {
        double[] old = [0, 1, 0.5, 0.2, 0, 0, 0, 0, 1, 0, 0, 0];
        double[] v = [0.1, 1.5, 0.45, -0.3, 0.05, 0.3, 0, 0, 0.7, 0, 0, 0];
        double[] ret = [1, 0, 0.4, 1, -1, 0.9, 0, 0, 2, 0, 0, 0];
        var r = ValueLoss.Compute(v, old, ret, Mask, B, T, 0.2, agg);
        var fd = Fd(x => ValueLoss.Compute(x, old, ret, Mask, B, T, 0.2, agg).Loss, v, Mask);
        Near.Equal(fd, r.Gradient, 7);
        Assert.True(r.ClipFraction > 0);
    }

    [Fact]
    public void ValueLoss_HandComputed()
    {
        // V=1.5, V_old=1, ret=0, ε=0.2: unclipped ½·2.25 = 1.125; clipped V=1.2 → ½·1.44 = 0.72 → max = 1.125.
        // V=0.5, V_old=0, ret=1: unclipped ½·0.25 = 0.125; clipped 0.2 → ½·0.64 = 0.32 → 0.32, gradient 0 (outside band).
        var r = ValueLoss.Compute([1.5, 0.5], [1, 0], [0, 1], [true, true], 1, 2, 0.2, LossAggregation.TokenMean);
        Assert.Equal((1.125 + 0.32) / 2, r.Loss, 12);
        Near.Equal(new[] { 0.75, 0.0 }, r.Gradient, 12);
        Assert.Equal(0.5, r.ClipFraction);
    }

    [Fact]
    public void Entropy_LogitsGradient_FiniteDifferences()
    {
        double[] z = [0.3, -1.2, 2.0, 0.0];
        var g = EntropyBonus.GradientOfLogits(z);
        var fd = Fd(x => EntropyBonus.OfLogits(x), z, [true, true, true, true]);
        Near.Equal(fd, g, 8);
        Assert.Equal(Math.Log(4), EntropyBonus.OfLogits([1, 1, 1, 1]), 12);
        var (loss, grad, mean) = EntropyBonus.Compute([1.0, 3.0], [true, true], 1, 2, 0.01, LossAggregation.TokenMean);
        Assert.Equal(-0.02, loss, 12);
        Near.Equal(new[] { -0.005, -0.005 }, grad, 12);
        Assert.Equal(2.0, mean);
    }

    [Fact]
    public void AggregationWeights_HandComputed()
    {
        // counts: 4, 2, 1 → 7 tokens, 3 sequences
        var tm = LossAggregations.Weights(Mask, B, T, LossAggregation.TokenMean);
        Assert.Equal(1.0 / 7, tm[0], 15);
        var sm = LossAggregations.Weights(Mask, B, T, LossAggregation.SeqMeanTokenMean);
        Near.Equal(new[] { 1 / 12.0, 1 / 12.0, 1 / 12.0, 1 / 12.0, 1 / 6.0, 1 / 6.0, 0, 0, 1 / 3.0, 0, 0, 0 }, sm, 15);
        Assert.Equal(1.0 / 3, LossAggregations.Weights(Mask, B, T, LossAggregation.SeqMeanTokenSum)[8], 15);
        Assert.Equal(1.0 / 12, LossAggregations.Weights(Mask, B, T, LossAggregation.SeqMeanTokenSumNorm)[8], 15);
        foreach (var mode in Enum.GetValues<LossAggregation>().Where(m => m != LossAggregation.SeqMeanTokenSumNorm && m != LossAggregation.SeqMeanTokenSum))
            Assert.Equal(1.0, LossAggregations.Weights(Mask, B, T, mode).Sum(), 12);
    }

    [Fact]
    public void NanGuard_SkipsThenStopsAfterKInARow()
    {
        var g = new NanGuard(3);
        Assert.Equal(NanGuardAction.Apply, g.Check(1, 0.5, [1f, 2f]));
        Assert.Equal(NanGuardAction.Skip, g.Check(2, double.NaN));
        Assert.Equal(NanGuardAction.Skip, g.Check(3, 0.1, [1f], [0f, float.PositiveInfinity]));
        Assert.Contains("buffer 1 element 1", g.LastReason);
        Assert.Equal(NanGuardAction.Apply, g.Check(4, 0.1, [1f]));
        Assert.Equal(0, g.Consecutive);
        Assert.Equal(NanGuardAction.Skip, g.Check(5, double.PositiveInfinity));
        Assert.Equal(NanGuardAction.Skip, g.Check(6, double.NaN));
        Assert.Equal(NanGuardAction.Stop, g.Check(7, double.NaN));
        Assert.Equal(5, g.TotalSkipped);
    }
}

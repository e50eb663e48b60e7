// The worked examples of docs/reward-methods.md as exact test vectors:
// §3.5 (Clip, Delta A/B, Clip-Delta A/B, Raw: step rewards, Σ and G_k incl. r_succ) and its hack test,
// §6.1 (PURE soft/strict min-form), §6.3 (PAR).
using ReasonRL.Rewards.Shaping;

namespace ReasonRL.Rewards.Tests;

public sealed class WorkedExampleTests
{
    // The §3.5 numbers are exact one-decimal values; the only error is binary rounding of
    // sums/differences of a handful of doubles (≤ a few ulp of 1), so 1e-12 is ample and still exact in meaning.
    private const double Exact = 1e-12;

    // §6.1 prints 4 decimals: half a unit of the last printed digit.
    private const double FourDecimals = 0.5e-4;

    // §6.1's second example is written with "≈" (weights off the worst step are ~1e-6 and below).
    private const double Approx = 1e-5;

    private static readonly double[] Prm = [0.7, 0.2, 0.4, 0.8];
    private const double Alpha = 1.0, Eta = 0.5, Success = 1.0;

    public static TheoryData<string, ShapingKind, DeltaLastStep, double[], double, double[]> Table35 => new()
    {
        { "Raw", ShapingKind.Raw, DeltaLastStep.Keep, [0.7, 0.2, 0.4, 0.8], 2.1, [3.1, 2.4, 2.2, 1.8] },
        { "Clip", ShapingKind.Clip, DeltaLastStep.Keep, [0, -0.3, -0.1, 0], -0.4, [0.6, 0.6, 0.9, 1.0] },
        { "Delta (B)", ShapingKind.Delta, DeltaLastStep.Keep, [0.5, -0.2, -0.4, 0.8], 0.7, [1.7, 1.2, 1.4, 1.8] },
        { "Delta (A)", ShapingKind.Delta, DeltaLastStep.Zero, [0.5, -0.2, -0.4, 0], -0.1, [0.9, 0.4, 0.6, 1.0] },
        { "Clip-Delta (B)", ShapingKind.ClipDelta, DeltaLastStep.Keep, [0.3, -0.2, -0.1, 0], 0, [1.0, 0.7, 0.9, 1.0] },
        { "Clip-Delta (A)", ShapingKind.ClipDelta, DeltaLastStep.Zero, [0.3, -0.2, -0.1, 0], 0, [1.0, 0.7, 0.9, 1.0] },
    };

    [Theory]
    [MemberData(nameof(Table35))]
    public void Section35_table_row(string row, ShapingKind kind, DeltaLastStep last, double[] expectedRewards, double expectedSum, double[] expectedReturns)
    {
        var rewards = StepShaping.Shape(Prm, new ShapingOptions(kind, Alpha, Eta, last));

        AssertClose(expectedRewards, rewards, Exact, row + " step rewards");
        Assert.InRange(StepShaping.LearnedReturn(rewards), expectedSum - Exact, expectedSum + Exact);
        var returns = StepShaping.ReturnsToGo(rewards).Select(g => g + Success).ToArray();
        AssertClose(expectedReturns, returns, Exact, row + " G_k");
    }

    [Fact]
    public void Section35_hack_test_repeating_the_last_step()
    {
        double[] hacked = [0.7, 0.2, 0.4, 0.8, 0.8];
        double Sum(ShapingKind kind) => StepShaping.LearnedReturn(StepShaping.Shape(hacked, new ShapingOptions(kind, Alpha, Eta)));

        Assert.InRange(Sum(ShapingKind.Raw), 2.9 - Exact, 2.9 + Exact);        // rises by 0.8
        Assert.InRange(Sum(ShapingKind.Clip), -0.4 - Exact, -0.4 + Exact);     // unchanged (new term 0)
        Assert.InRange(Sum(ShapingKind.Delta), 0.7 - Exact, 0.7 + Exact);      // = PRM_1
        Assert.InRange(Sum(ShapingKind.ClipDelta), -Exact, Exact);             // = c_1 = 0
    }

    [Fact]
    public void Section61_pure_soft_min_form()
    {
        var w = StepShaping.SoftMinWeights(Prm, 0.1);
        var r = StepShaping.MinForm(Prm, 1.0, 0.1);
        var g = StepShaping.ReturnsToGo(r);

        AssertClose([0.0059, 0.8737, 0.1182, 0.0022], w, FourDecimals, "w");
        AssertClose([0.0041, 0.1747, 0.0473, 0.0017], r, FourDecimals, "r*");
        AssertClose([0.2279, 0.2238, 0.0490, 0.0017], g, FourDecimals, "G");
        AssertClose([0.2, 0.2, 0.4, 0.8], StepShaping.StrictMinReturns(Prm, 1.0), Exact, "strict G");
    }

    [Fact]
    public void Section61_pure_with_a_bad_step()
    {
        double[] s = [0.9, 0.8, -0.6, 0.7];
        var r = StepShaping.MinForm(s, 1.0, 0.1);

        AssertClose([0, 0, -0.6, 0], r, Approx, "r*");
        AssertClose([-0.6, -0.6, -0.6, 0.0], StepShaping.ReturnsToGo(r), Approx, "G");
        AssertClose([-0.6, -0.6, -0.6, 0.7], StepShaping.StrictMinReturns(s, 1.0), Exact, "strict G");
    }

    [Fact]
    public void Section63_par_examples()
    {
        // σ(1.0) = 0.7311, σ(−0.5) = 0.3775, σ(2.0) = 0.8808 → mean 0.6631; one reference 1.0 → 0.7311.
        Assert.InRange(StepShaping.ParScore(2.0, [1.0, 2.5, 0.0]), 0.6631 - FourDecimals, 0.6631 + FourDecimals);
        Assert.InRange(StepShaping.ParScore(2.0, [1.0]), 0.7311 - FourDecimals, 0.7311 + FourDecimals);
        Assert.InRange(StepShaping.OrmTerm(2.0, 2.0, [1.0]), 2 * 0.7311 - 2 * FourDecimals, 2 * 0.7311 + 2 * FourDecimals);
        Assert.Equal(0.75, StepShaping.OrmTerm(1.5, 0.5));
    }

    [Fact]
    public void Single_step_delta_reduces_to_the_last_step_rule()
    {
        // §3.4 edge case K = 1.
        Assert.Equal([0.6], StepShaping.Delta([0.6], 1.0, DeltaLastStep.Keep));
        Assert.Equal([0.0], StepShaping.Delta([0.6], 1.0, DeltaLastStep.Zero));
        Assert.Equal([-0.25], StepShaping.ClipDelta([0.25], 1.0, 0.5, DeltaLastStep.Keep));
        Assert.Empty(StepShaping.Shape([], new ShapingOptions(ShapingKind.MinForm)));
    }

    [Fact]
    public void Non_finite_scores_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => StepShaping.Shape([0.1, double.NaN], new ShapingOptions(ShapingKind.Raw)));
        Assert.Contains("step score 1", e.Message, StringComparison.Ordinal);
    }

    internal static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (tolerance {tolerance})");
        }
    }
}

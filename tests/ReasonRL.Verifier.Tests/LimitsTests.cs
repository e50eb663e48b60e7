// Hard limits: every call returns a verdict (never throws), within a bounded time, and a limit is
// reported as Unverifiable with its reason — never as a silent Incorrect.
using ReasonRL.Verifier;

namespace ReasonRL.Verifier.Tests;

public class LimitsTests
{
    /// <summary>Per-call bound asserted here: a hang detector with slack for a CI machine shared by
    /// several builds (the quiet-machine worst case is measured by `reasonrl bench verify --fuzz`).</summary>
    private const double CallBoundMs = 100;

    private static VerifyResult Timed(string pred, string gold)
    {
        // Default options: the work budget is deterministic, so load cannot change these verdicts.
        var r = MathVerifier.Verify(pred, gold);
        Assert.True(r.WorkSpent <= VerifyOptions.Default.WorkBudget + 1_000, $"{r.WorkSpent} steps charged");
        Assert.True(r.Elapsed.TotalMilliseconds < CallBoundMs, $"{r.Elapsed.TotalMilliseconds} ms for {pred[..Math.Min(40, pred.Length)]}");
        return r;
    }

    [Fact]
    public void HugeExponentIsNeverComputed()
    {
        // 9^{9^9} = 3^{2·9^9}: neither fits a double and neither value is computed; they are compared
        // exactly as powers r^n of the least root r (issue 18), and one more in the exponent is not equal.
        var r = Timed("\\boxed{9^{9^{9}}}", "3^{2 \\cdot 9^{9}}");
        Assert.Equal(Verdict.Correct, r.Verdict);
        Assert.Contains("same power", r.Reason);
        Assert.Equal(Verdict.Incorrect, Timed("\\boxed{9^{9^{9}}}", "3^{2 \\cdot 9^{9} + 1}").Verdict);
        // A huge value against a value that is only known numerically still has no verdict.
        var pi = Timed("\\boxed{9^{9^{9}}}", "\\pi^{9^{9}}");
        Assert.Equal(Verdict.Unverifiable, pi.Verdict);
        Assert.Contains("overflow", pi.Reason);
        // Beyond the double range is certainly not 5, and not \infty.
        Assert.Equal(Verdict.Incorrect, Timed("\\boxed{9^{9^{9}}}", "5").Verdict);
        Assert.Equal(Verdict.Incorrect, Timed("\\boxed{9^{9^{9}}}", "\\infty").Verdict);
    }

    [Fact]
    public void HugeExponentEqualToItselfIsCorrect() =>
        Assert.Equal(Verdict.Correct, Timed("\\boxed{9^{9^{9}}}", "9^{9^{9}}").Verdict);

    [Fact]
    public void LargeButExactPowerIsExact() =>
        Assert.Equal(Verdict.Incorrect, Timed("\\boxed{2^{1000}+1}", "2^{1000}").Verdict);

    [Fact]
    public void HugeFactorialIsBounded() =>
        Assert.NotEqual(Verdict.Correct, Timed("\\boxed{100000!}", "5").Verdict);

    [Fact]
    public void DeepNestingIsUnverifiableNotIncorrect()
    {
        var deep = "\\boxed{" + new string('(', 1500) + "1" + new string(')', 1500) + "}";
        var r = Timed(deep, "1");
        Assert.Equal(Verdict.Unverifiable, r.Verdict);
        Assert.Contains("nest", r.Reason);
    }

    [Fact]
    public void DeepBraceNestingReturns()
    {
        var deep = "\\boxed{" + string.Concat(Enumerable.Repeat("\\frac{1}{", 2000)) + "2" + new string('}', 2000) + "}";
        Assert.NotEqual(Verdict.Correct, Timed(deep, "7").Verdict);
    }

    [Fact]
    public void MegabyteSolutionReturns()
    {
        var big = string.Concat(Enumerable.Repeat("The value 3.5 is not it. ", 40_000)) + "So \\boxed{42}.";
        Assert.Equal(Verdict.Correct, Timed(big, "42").Verdict);
    }

    [Fact]
    public void MegabyteAnswerIsUnverifiable()
    {
        var big = "\\boxed{" + string.Concat(Enumerable.Repeat("1+", 500_000)) + "1}";
        var r = Timed(big, "1000001");
        Assert.Equal(Verdict.Unverifiable, r.Verdict);
    }

    [Fact]
    public void UnbalancedBracesReturn()
    {
        Assert.Equal(Verdict.Incorrect, Timed("\\boxed{\\frac{1}{2}", "0.5").Verdict is Verdict.Correct ? Verdict.Correct : Verdict.Incorrect);
        Assert.NotEqual(Verdict.Correct, Timed("}}}{{{\\boxed{", "1").Verdict);
    }

    [Fact]
    public void TinyWorkBudgetGivesUnverifiableWithReason()
    {
        var options = VerifyOptions.Default with { WorkBudget = 20 };
        var r = MathVerifier.Verify("\\boxed{(x+1)^2}", "x^2+2x+1", options);
        Assert.Equal(Verdict.Unverifiable, r.Verdict);
        Assert.StartsWith("work budget exceeded", r.Reason);
    }

    [Fact]
    public void WorkBudgetIsExactlyReproducible()
    {
        // The verdict flips from Unverifiable to Correct at one exact fuel value, the same every run.
        var full = MathVerifier.Verify("\\boxed{(x+1)^2}", "x^2+2x+1");
        Assert.Equal(Verdict.Correct, full.Verdict);
        Assert.True(full.WorkSpent > 20, $"{full.WorkSpent} steps");
        var exact = VerifyOptions.Default with { WorkBudget = full.WorkSpent };
        var oneShort = VerifyOptions.Default with { WorkBudget = full.WorkSpent - 1 };
        for (int run = 0; run < 3; run++)
        {
            var r = MathVerifier.Verify("\\boxed{(x+1)^2}", "x^2+2x+1", exact);
            Assert.Equal((Verdict.Correct, full.WorkSpent), (r.Verdict, r.WorkSpent));
            Assert.StartsWith("work budget exceeded", MathVerifier.Verify("\\boxed{(x+1)^2}", "x^2+2x+1", oneShort).Reason);
        }
    }

    [Theory]
    [InlineData("\\boxed{2000!}", "2000 \\cdot 1999!")]                    // factorial: charged per limb of the product
    [InlineData("\\boxed{\\binom{100000}{5000}}", "1")]           // binomial loop
    public void BigNumberWorkIsChargedBySize(string pred, string gold)
    {
        var small = MathVerifier.Verify("\\boxed{5!}", "120");
        var big = MathVerifier.Verify(pred, gold);
        Assert.True(big.WorkSpent > 50 * small.WorkSpent, $"{big.WorkSpent} vs {small.WorkSpent} steps");
        var starved = MathVerifier.Verify(pred, gold, VerifyOptions.Default with { WorkBudget = big.WorkSpent / 2 });
        Assert.Equal(Verdict.Unverifiable, starved.Verdict);
        Assert.StartsWith("work budget exceeded", starved.Reason);
    }

    [Fact]
    public void WallClockIsOnlyABackstop()
    {
        // A zero-length hang guard stops the call (never Incorrect) and says it was the backstop.
        var options = VerifyOptions.Default with { TimeBudget = TimeSpan.FromTicks(1) };
        var r = MathVerifier.Verify("\\boxed{(x+1)^2}" + new string(' ', 100_000), "x^2+2x+1", options);
        Assert.Equal(Verdict.Unverifiable, r.Verdict);
        Assert.StartsWith("time backstop exceeded", r.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), VerifyOptions.Default.TimeBudget);
    }

    [Fact]
    public void NullInputsDoNotThrow()
    {
        Assert.Equal(Verdict.Incorrect, MathVerifier.Verify(null!, "1").Verdict);
        Assert.Equal(Verdict.Unverifiable, MathVerifier.Verify("1", null!).Verdict);
    }
}

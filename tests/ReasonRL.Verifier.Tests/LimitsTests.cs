// Hard limits: every call returns a verdict (never throws) within the deterministic work budget, and a
// limit is reported as Unverifiable with its reason — never as a silent Incorrect. Nothing here reads the
// clock (a loaded machine makes millisecond bounds flaky): the time per call is a benchmark figure
// (`reasonrl bench verify --fuzz 20000`, worst case against 20 ms).
using ReasonRL.Verifier;

namespace ReasonRL.Verifier.Tests;

public class LimitsTests
{
    private static VerifyResult Bounded(string pred, string gold)
    {
        // The work budget alone decides (the hang guard is out of the way), so load cannot change these verdicts.
        var r = MathVerifier.Verify(pred, gold, FuzzTests.WorkOnly);
        if (r.Reason?.StartsWith("work budget exceeded", StringComparison.Ordinal) == true)
            Assert.Equal(Verdict.Unverifiable, r.Verdict);
        else
            Assert.True(r.WorkSpent <= VerifyOptions.DefaultWorkBudget, $"{r.WorkSpent} steps charged for {pred[..Math.Min(40, pred.Length)]}");
        return r;
    }

    [Fact]
    public void HugeExponentIsNeverComputed()
    {
        // 9^{9^9} = 3^{2·9^9}: neither fits a double and neither value is computed; they are compared
        // exactly as powers r^n of the least root r (issue 18), and one more in the exponent is not equal.
        var r = Bounded("\\boxed{9^{9^{9}}}", "3^{2 \\cdot 9^{9}}");
        Assert.Equal(Verdict.Correct, r.Verdict);
        Assert.Contains("same power", r.Reason);
        Assert.Equal(Verdict.Incorrect, Bounded("\\boxed{9^{9^{9}}}", "3^{2 \\cdot 9^{9} + 1}").Verdict);
        // A huge value against a value that is only known numerically still has no verdict.
        var pi = Bounded("\\boxed{9^{9^{9}}}", "\\pi^{9^{9}}");
        Assert.Equal(Verdict.Unverifiable, pi.Verdict);
        Assert.Contains("overflow", pi.Reason);
        // Beyond the double range is certainly not 5, and not \infty.
        Assert.Equal(Verdict.Incorrect, Bounded("\\boxed{9^{9^{9}}}", "5").Verdict);
        Assert.Equal(Verdict.Incorrect, Bounded("\\boxed{9^{9^{9}}}", "\\infty").Verdict);
    }

    [Fact]
    public void HugeExponentEqualToItselfIsCorrect() =>
        Assert.Equal(Verdict.Correct, Bounded("\\boxed{9^{9^{9}}}", "9^{9^{9}}").Verdict);

    [Fact]
    public void LargeButExactPowerIsExact() =>
        Assert.Equal(Verdict.Incorrect, Bounded("\\boxed{2^{1000}+1}", "2^{1000}").Verdict);

    [Fact]
    public void HugeFactorialIsBounded() =>
        Assert.NotEqual(Verdict.Correct, Bounded("\\boxed{100000!}", "5").Verdict);

    [Fact]
    public void DeepNestingIsUnverifiableNotIncorrect()
    {
        var deep = "\\boxed{" + new string('(', 1500) + "1" + new string(')', 1500) + "}";
        var r = Bounded(deep, "1");
        Assert.Equal(Verdict.Unverifiable, r.Verdict);
        Assert.Contains("nest", r.Reason);
    }

    [Fact]
    public void DeepBraceNestingReturns()
    {
        var deep = "\\boxed{" + string.Concat(Enumerable.Repeat("\\frac{1}{", 2000)) + "2" + new string('}', 2000) + "}";
        Assert.NotEqual(Verdict.Correct, Bounded(deep, "7").Verdict);
    }

    [Fact]
    public void MegabyteSolutionReturns()
    {
        var big = string.Concat(Enumerable.Repeat("The value 3.5 is not it. ", 40_000)) + "So \\boxed{42}.";
        var r = Bounded(big, "42");
        Assert.Equal(Verdict.Correct, r.Verdict);
        // Extraction charges a step per 64 characters scanned: a megabyte costs ~16,000 steps, well inside the budget.
        Assert.InRange(r.WorkSpent, big.Length / 64, big.Length / 64 + 1_000);
    }

    [Fact]
    public void MegabyteAnswerIsUnverifiable()
    {
        var big = "\\boxed{" + string.Concat(Enumerable.Repeat("1+", 500_000)) + "1}";
        var r = Bounded(big, "1000001");
        Assert.Equal(Verdict.Unverifiable, r.Verdict);
    }

    [Fact]
    public void UnbalancedBracesReturn()
    {
        Assert.Equal(Verdict.Incorrect, Bounded("\\boxed{\\frac{1}{2}", "0.5").Verdict is Verdict.Correct ? Verdict.Correct : Verdict.Incorrect);
        Assert.NotEqual(Verdict.Correct, Bounded("}}}{{{\\boxed{", "1").Verdict);
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

// Hard limits: every call returns a verdict (never throws), within a bounded time, and a limit is
// reported as Unverifiable with its reason — never as a silent Incorrect.
using ReasonRL.Math;

namespace ReasonRL.Math.Tests;

public class LimitsTests
{
    /// <summary>Per-call bound asserted here: the 10 ms default budget plus slack for a CI machine
    /// shared by several builds (the quiet-machine worst case is measured by `reasonrl verify --cases`).</summary>
    private const double CallBoundMs = 100;

    // Verdict checks run with a relaxed budget so a loaded CI machine does not turn them into
    // "time budget exceeded"; the time bound itself is asserted on every call.
    private static readonly VerifyOptions Relaxed = VerifyOptions.Default with { TimeBudget = TimeSpan.FromMilliseconds(80) };

    private static VerifyResult Timed(string pred, string gold)
    {
        var r = MathVerifier.Verify(pred, gold, Relaxed);
        Assert.True(r.Elapsed.TotalMilliseconds < CallBoundMs, $"{r.Elapsed.TotalMilliseconds} ms for {pred[..System.Math.Min(40, pred.Length)]}");
        return r;
    }

    [Fact]
    public void HugeExponentIsNeverComputed()
    {
        // 9^{9^9} = 3^{2·9^9}, but neither fits a double and neither is computed exactly: no verdict.
        var r = Timed("\\boxed{9^{9^{9}}}", "3^{2 \\cdot 9^{9}}");
        Assert.Equal(Verdict.Unverifiable, r.Verdict);
        Assert.Contains("overflow", r.Reason);
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
    public void TinyBudgetGivesUnverifiableWithReason()
    {
        var options = VerifyOptions.Default with { TimeBudget = TimeSpan.FromTicks(1) };
        var r = MathVerifier.Verify("\\boxed{(x+1)^2}", "x^2+2x+1", options);
        Assert.Equal(Verdict.Unverifiable, r.Verdict);
        Assert.Contains("budget", r.Reason);
    }

    [Fact]
    public void NullInputsDoNotThrow()
    {
        Assert.Equal(Verdict.Incorrect, MathVerifier.Verify(null!, "1").Verdict);
        Assert.Equal(Verdict.Unverifiable, MathVerifier.Verify("1", null!).Verdict);
    }
}

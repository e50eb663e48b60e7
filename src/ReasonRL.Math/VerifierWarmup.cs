// VerifierWarmup: runs a handful of representative verifications once per process, before the
// first real call, so that JIT compilation (tens of milliseconds on a cold process) is not
// charged to a caller's time budget and does not turn a first verdict into
// Unverifiable("time budget exceeded"). A type initializer: thread-safe, runs once, no mutable
// state. Not a cache: nothing computed here is reused.
namespace ReasonRL.Math;

internal static class VerifierWarmup
{
    /// <summary>True once the warm-up has run (reading it triggers the run).</summary>
    public static readonly bool Ready = Run();

    private static bool Run()
    {
        var options = VerifyOptions.Default with { TimeBudget = TimeSpan.FromSeconds(30) };
        string[][] pairs =
        [
            ["The answer is \\boxed{\\frac{1}{2}}.", "0.5"],
            ["So x = \\sqrt{2} + \\pi, then $\\boxed{x^2 - 2x + 1}$", "(x-1)^2"],
            ["#### 1,000", "1000"],
            ["Final Answer: The final answer is $[0, 1) \\cup (2, \\infty)$. I hope it is correct.", "[0,1)\\cup(2,\\infty)"],
            ["A: 25\\%", "0.25"],
            ["\\boxed{\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}}", "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}"],
            ["$x \\geq 5$", "[5, \\infty)"],
            ["\\boxed{90^\\circ}", "\\frac{\\pi}{2}"],
            ["\\boxed{4:30 \\text{ p.m.}}", "4:30"],
            ["\\boxed{\\{1, 2\\}}", "2, 1"],
            ["\\boxed{(1, 2)}", "(1,2)"],
            ["\\boxed{\\sin(x)^2 + \\cos(x)^2}", "1"],
        ];
        foreach (var p in pairs) MathVerifier.VerifyCore(p[0], p[1], options);
        return true;
    }
}

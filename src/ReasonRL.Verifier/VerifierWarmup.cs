// VerifierWarmup: runs a handful of representative verifications once per process, before the
// first real call, so that JIT compilation (tens of milliseconds on a cold process) is not
// charged to a caller's time budget and does not turn a first verdict into
// Unverifiable("time budget exceeded"). A type initializer: thread-safe, runs once, no mutable
// state. Not a cache: nothing computed here is reused.
namespace ReasonRL.Verifier;

internal static class VerifierWarmup
{
    /// <summary>True once the warm-up has run (reading it triggers the run).</summary>
    public static readonly bool Ready = Run();

    private static bool Run()
    {
        var options = VerifyOptions.Default with { TimeBudget = TimeSpan.FromSeconds(30), WorkBudget = long.MaxValue / 4 };
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
            ["1 \\pm \\sqrt{19}", "1+\\sqrt{19}, 1-\\sqrt{19}"],
            ["$-x > -1$", "$x < 1$"],
            ["$y = 2x + 1$", "$2x - y + 1 = 0$"],
            ["", "4"],
            ["we got 17 apples", "17"],
            ["3 hours 20 minutes", "3"],
            ["\\text{Evelyn}", "\\text{odd}"],
            ["$\\frac{1}{", "1"],
            ["$f(x) = \\log_2(8) + |x| + 3!$", "\\binom{5}{2}"],
            ["\\boxed{" + new string('(', 120) + "1" + new string(')', 120) + "}", "1"],
            ["\\boxed{2^{3^{4^{5}}}}", "7"],
            // The issue-18 paths: choices, number words, labels, sets, repeating decimals, systems.
            ["\\textbf{(C) }15", "C"],
            ["The answer is twenty-one.", "21"],
            ["m+n = 9", "9"],
            ["\\mathbb{R}\\setminus\\{2\\}", "(-\\infty,2)\\cup(2,\\infty)"],
            ["0.\\overline{6}", "\\frac{2}{3}"],
            ["a=2, b=-5", "(2,-5)"],
            ["\\boxed{" + string.Concat(Enumerable.Repeat("2^{", 40)) + "2" + new string('}', 40) + "}", "7"],
            ["\\boxed{" + new string('{', 200) + "1" + new string('}', 200) + "}", "1"],
        ];
        foreach (var p in pairs) MathVerifier.VerifyCore(p[0], p[1], options);
        // A slice of the adversarial corpus reaches the rarely used paths (overflow, limits, big
        // integers, complex powers) whose first JIT would otherwise cost a caller 100+ ms.
        var rng = new Random(1);
        for (int k = 0; k < 120; k++)
        {
            var (pred, gold) = Evaluation.FuzzCorpus.Pair(rng);
            if (pred.Length > 20_000) continue;
            MathVerifier.VerifyCore(pred, gold, options);
        }
        return true;
    }
}

// Sets of reals compared by normal form (SetAlgebra), issue 18's third review: ℝ and its half-lines
// (\mathbb{R}^+), differences written with \setminus, \backslash or '-', set-builder notation
// ({x | x ≠ 2}, {x : x > 3}), two bounds joined by "and" (a chain), |x| < 3 and |x| > 1, merged unions and ∅. Every
// Correct pair has an Incorrect twin that differs in one end, bracket, point or connective, so that no new
// reading becomes a false positive. Bare answers (AnswerSource.Answer). Not the parser's own tests.
using ReasonRL.Verifier;

namespace ReasonRL.Verifier.Tests;

public class SetNormalFormTests
{
    private static Verdict Answer(string pred, string gold) => MathVerifier.Verify(pred, gold,
        FuzzTests.WorkOnly with { Prediction = AnswerSource.Answer, Gold = AnswerSource.Answer }).Verdict;

    [Theory]
    [InlineData("\\mathbb{R}", "(-\\infty,\\infty)", Verdict.Correct)]
    [InlineData("\\mathbb{R}", "[0,\\infty)", Verdict.Incorrect)]
    [InlineData("\\mathbb{R}\\setminus\\{2\\}", "(-\\infty,2)\\cup(2,\\infty)", Verdict.Correct)]
    [InlineData("\\mathbb{R}\\setminus\\{2\\}", "\\mathbb{R}\\setminus\\{-2\\}", Verdict.Incorrect)]
    [InlineData("\\mathbb{R} - \\{2\\}", "(-\\infty,2)\\cup(2,\\infty)", Verdict.Correct)]
    [InlineData("\\mathbb{R} - \\{2\\}", "(-\\infty,2]\\cup(2,\\infty)", Verdict.Incorrect)]
    [InlineData("\\mathbb{R}\\backslash\\{2\\}", "\\mathbb{R}\\setminus\\{2\\}", Verdict.Correct)]
    [InlineData("\\mathbb{R}\\backslash\\{2\\}", "\\mathbb{R}", Verdict.Incorrect)]
    [InlineData("\\emptyset", "\\varnothing", Verdict.Correct)]
    [InlineData("\\emptyset", "\\{0\\}", Verdict.Incorrect)]
    [InlineData("\\{\\}", "\\emptyset", Verdict.Correct)]
    [InlineData("\\emptyset", "0", Verdict.Incorrect)]
    [InlineData("\\{1,5\\}\\cup\\{3\\}", "\\{1,3,5\\}", Verdict.Correct)]
    [InlineData("\\{1,5\\}\\cup\\{3\\}", "\\{1,5\\}", Verdict.Incorrect)]
    [InlineData("[0,2]\\cup[1,4]", "[0,4]", Verdict.Correct)]
    [InlineData("[0,2]\\cup[1,4]", "[0,4)", Verdict.Incorrect)]
    [InlineData("x \\le -2 \\text{ or } x > 3", "(-\\infty,-2]\\cup(3,\\infty)", Verdict.Correct)]
    [InlineData("x \\le -2 \\text{ or } x > 3", "(-\\infty,-2)\\cup(3,\\infty)", Verdict.Incorrect)]
    [InlineData("-1 < x \\le 4", "(-1,4]", Verdict.Correct)]
    [InlineData("-1 < x \\le 4", "[-1,4]", Verdict.Incorrect)]
    [InlineData("\\{x \\mid x \\neq 2\\}", "(-\\infty,2)\\cup(2,\\infty)", Verdict.Correct)]
    [InlineData("\\{x \\mid x \\neq 2\\}", "(-\\infty,2)\\cup(3,\\infty)", Verdict.Incorrect)]
    [InlineData("\\{x : x > 3\\}", "(3,\\infty)", Verdict.Correct)]
    [InlineData("\\{x : x > 3\\}", "[3,\\infty)", Verdict.Incorrect)]
    [InlineData("\\{x \\in \\mathbb{R} : -1 \\le x < 2\\}", "[-1,2)", Verdict.Correct)]
    [InlineData("\\{x \\in \\mathbb{R} : -1 \\le x < 2\\}", "[-1,2]", Verdict.Incorrect)]
    [InlineData("\\{x \\mid x \\le 0 \\text{ or } x \\ge 1\\}", "(-\\infty,0]\\cup[1,\\infty)", Verdict.Correct)]
    [InlineData("\\{x \\mid x \\le 0 \\text{ or } x \\ge 1\\}", "[0,1]", Verdict.Incorrect)]
    [InlineData("\\mathbb{R}^+", "(0,\\infty)", Verdict.Correct)]
    [InlineData("\\mathbb{R}^+", "[0,\\infty)", Verdict.Incorrect)]
    [InlineData("\\mathbb{R}^{-}", "(-\\infty,0)", Verdict.Correct)]
    [InlineData("\\mathbb{R}^{-}", "(-\\infty,0]", Verdict.Incorrect)]
    [InlineData("x > -1 \\text{ and } x \\le 4", "(-1,4]", Verdict.Correct)]
    [InlineData("x > -1 \\text{ and } x \\le 4", "(-1,4)", Verdict.Incorrect)]
    [InlineData("x > -1 \\text{ or } x \\le 4", "(-1,4]", Verdict.Incorrect)]
    [InlineData("x \\le 4 \\text{ and } -1 < x", "(-1,4]", Verdict.Correct)]
    [InlineData("x \\le 4 \\text{ and } -1 < x", "[-1,4]", Verdict.Incorrect)]
    [InlineData("4 \\ge x > -1", "(-1,4]", Verdict.Correct)]
    [InlineData("4 \\ge x > -1", "(-1,4)", Verdict.Incorrect)]
    [InlineData("|x| < 3", "(-3,3)", Verdict.Correct)]
    [InlineData("|x| < 3", "(-\\infty,3)", Verdict.Incorrect)]
    [InlineData("|x| \\le 3", "[-3,3]", Verdict.Correct)]
    [InlineData("|x| \\le 3", "(-3,3)", Verdict.Incorrect)]
    [InlineData("(-\\infty, 1) \\cup (1, 2) \\cup (2, \\infty)", "\\mathbb{R} \\setminus \\{1, 2\\}", Verdict.Correct)]
    [InlineData("(-\\infty, 1) \\cup (2, \\infty)", "\\mathbb{R} \\setminus \\{1, 2\\}", Verdict.Incorrect)]
    [InlineData("x \\in \\mathbb{R}", "(-\\infty,\\infty)", Verdict.Correct)]
    [InlineData("x \\in \\mathbb{R}", "(0,\\infty)", Verdict.Incorrect)]
    [InlineData("\\text{no solution}", "\\emptyset", Verdict.Correct)]
    [InlineData("\\text{no solution}", "\\{0\\}", Verdict.Incorrect)]
    [InlineData("|x| > 1", "(-\\infty,-1) \\cup (1,\\infty)", Verdict.Correct)]
    [InlineData("|x| > 1", "(-\\infty,-1] \\cup [1,\\infty)", Verdict.Incorrect)]
    [InlineData("|x| > 1", "(-1,1)", Verdict.Incorrect)]
    [InlineData("|x| \\ge 2", "(-\\infty,-2] \\cup [2,\\infty)", Verdict.Correct)]
    [InlineData("|x| \\ge 2", "(-\\infty,-2) \\cup (2,\\infty)", Verdict.Incorrect)]
    [InlineData("1 < |x|", "(-\\infty,-1) \\cup (1,\\infty)", Verdict.Correct)]
    [InlineData("(-\\infty,-1) \\cup (1,\\infty)", "|x| > 1", Verdict.Correct)]
    [InlineData("(-\\infty,-1) \\cup (1,\\infty)", "|x| \\ge 1", Verdict.Incorrect)]
    [InlineData("|x| > 1", "|x| > 1", Verdict.Correct)]
    [InlineData("|x| > 1", "x > 1", Verdict.Incorrect)]
    [InlineData("|x| < 1", "(-\\infty,-1) \\cup (1,\\infty)", Verdict.Incorrect)]
    public void SetsOfRealsByNormalForm(string pred, string gold, Verdict expected) => Assert.Equal(expected, Answer(pred, gold));
}

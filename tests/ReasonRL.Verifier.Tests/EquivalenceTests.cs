// Table-driven tests of the grading conventions, end to end through MathVerifier with the
// prediction and gold given as bare answers.
using ReasonRL.Verifier;

namespace ReasonRL.Verifier.Tests;

public class EquivalenceTests
{
    // Default options: the deterministic work budget makes verdicts independent of machine load.
    private static readonly VerifyOptions Defaults = VerifyOptions.Default;

    private static Verdict V(string pred, string gold) => MathVerifier.Verify(pred, gold,
        Defaults with { Prediction = AnswerSource.Answer, Gold = AnswerSource.Answer }).Verdict;

    [Theory]
    // exact rationals
    [InlineData("0.5", "\\frac{1}{2}", Verdict.Correct)]
    [InlineData("\\frac{10}{9}", "10/9", Verdict.Correct)]
    [InlineData("0.1+0.2", "0.3", Verdict.Correct)]
    [InlineData("\\frac{1}{3}", "0.3333", Verdict.Incorrect)]
    [InlineData("2^{10}", "1024", Verdict.Correct)]
    [InlineData("999999999999999999999", "999999999999999999998", Verdict.Incorrect)]
    // irrational values: exact only, no decimal approximations
    [InlineData("\\sqrt{2}", "1.414", Verdict.Incorrect)]
    [InlineData("\\sqrt{8}", "2\\sqrt{2}", Verdict.Correct)]
    [InlineData("\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}", Verdict.Correct)]
    [InlineData("\\frac{9}{4}\\pi", "\\frac94\\pi", Verdict.Correct)]
    [InlineData("3.14", "\\pi", Verdict.Incorrect)]
    [InlineData("\\sin(\\pi/6)", "\\frac{1}{2}", Verdict.Correct)]
    // percent, degrees, units
    [InlineData("25\\%", "25", Verdict.Correct)]
    [InlineData("25", "25\\%", Verdict.Correct)]
    [InlineData("25\\%", "0.25", Verdict.Correct)]
    [InlineData("0.25", "25\\%", Verdict.Correct)]
    [InlineData("26\\%", "0.25", Verdict.Incorrect)]
    [InlineData("\\frac{\\pi}{2}", "90^\\circ", Verdict.Correct)]
    [InlineData("90^{\\circ}", "90", Verdict.Correct)]
    [InlineData("\\frac{\\pi}{3}", "90^\\circ", Verdict.Incorrect)]
    [InlineData("125 \\text{ miles}", "125", Verdict.Correct)]
    [InlineData("15\\mbox{ cm}^2", "15", Verdict.Correct)]
    [InlineData("3 \\text{ hours } 20 \\text{ minutes}", "3", Verdict.Incorrect)]
    [InlineData("3 hours 20 minutes", "3", Verdict.Incorrect)]
    // variables: sampled with both signs
    [InlineData("\\sqrt{x^2}", "x", Verdict.Incorrect)]
    [InlineData("\\sqrt{x^2}", "|x|", Verdict.Correct)]
    [InlineData("(x+1)^2", "x^2+2x+1", Verdict.Correct)]
    [InlineData("\\frac{x}{7}+\\frac{2}{7}", "\\frac{x+2}{7}", Verdict.Correct)]
    [InlineData("\\sec^2(y)", "\\tan^2(y)+1", Verdict.Correct)]
    [InlineData("x+1", "x+2n+1", Verdict.Incorrect)]
    [InlineData("2 \\sin b \\cos a", "\\sin(a+b) - \\sin(a-b)", Verdict.Correct)]
    // complex numbers
    [InlineData("3+4i", "4i+3", Verdict.Correct)]
    [InlineData("3-4i", "3+4i", Verdict.Incorrect)]
    [InlineData("i^2", "-1", Verdict.Correct)]
    // structures
    [InlineData("[0,1)", "[0,1)", Verdict.Correct)]
    [InlineData("[0,1)", "(0,1)", Verdict.Incorrect)]
    [InlineData("(1,2)", "(2,1)", Verdict.Incorrect)]
    [InlineData("\\{1,2\\}", "\\{2,1\\}", Verdict.Correct)]
    [InlineData("1, 2", "2, 1", Verdict.Correct)]
    [InlineData("1, 2", "1, 2, 3", Verdict.Incorrect)]
    [InlineData("1 \\pm \\sqrt{19}", "1+\\sqrt{19}, 1-\\sqrt{19}", Verdict.Correct)]
    [InlineData("(1,4.5)", "(1,\\frac{9}{2})", Verdict.Correct)]
    [InlineData("[-1, 0) \\cup (1, \\infty)", "(1, \\infty) \\cup [-1, 0)", Verdict.Correct)]
    [InlineData("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}", Verdict.Correct)]
    [InlineData("\\begin{pmatrix}1&2\\\\3&5\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", Verdict.Incorrect)]
    // equations and inequalities
    [InlineData("x = 3", "3", Verdict.Correct)]
    [InlineData("3", "x = 3", Verdict.Correct)]
    [InlineData("7 = 11a+c", "11a+c", Verdict.Incorrect)]
    [InlineData("2x + z = 1", "1", Verdict.Incorrect)]
    [InlineData("y=-\\frac{1}{2}x+\\frac{3}{4}", "2x+4y-3=0", Verdict.Correct)]
    [InlineData("x \\geq 5", "[5, \\infty)", Verdict.Correct)]
    [InlineData("-x > -1", "x < 1", Verdict.Correct)]
    [InlineData("x > -1", "x < 1", Verdict.Incorrect)]
    [InlineData("-2 \\le x \\le 7", "x \\in [-2,7]", Verdict.Correct)]
    [InlineData("p=5,q=2;p=7,q=2", "(5,2),(7,2)", Verdict.Correct)]
    [InlineData("p=5,q=2;p=7,q=3", "(5,2),(7,2)", Verdict.Incorrect)]
    // text and times
    [InlineData("\\text{Evelyn}", "Evelyn", Verdict.Correct)]
    [InlineData("\\text{(C)}", "C", Verdict.Correct)]
    [InlineData("\\text{E}", "d", Verdict.Incorrect)]
    [InlineData("4:30 \\text{ p.m.}", "4:30p..", Verdict.Correct)]
    [InlineData("1:00", "12:00", Verdict.Incorrect)]
    public void FollowsTheGradingConventions(string pred, string gold, Verdict expected) =>
        Assert.Equal(expected, V(pred, gold));

    [Theory]
    [InlineData("The roots are $\\boxed{2}$ and $\\boxed{3}$.", "3, 2", Verdict.Correct)]
    [InlineData("I first thought \\boxed{2}. Actually the answer is different: \\boxed{3}", "3", Verdict.Correct)]
    [InlineData("", "4", Verdict.Incorrect)]
    [InlineData("The answer is !!!invalid!!!", "4", Verdict.Incorrect)]
    [InlineData("\\boxed{5}", "", Verdict.Unverifiable)]
    public void WholeSolutions(string solution, string gold, Verdict expected) =>
        Assert.Equal(expected, MathVerifier.Verify(solution, gold, Defaults).Verdict);

    [Fact]
    public void ResultCarriesExtractionNormalFormsReasonAndTime()
    {
        var r = MathVerifier.Verify("so we get \\boxed{\\dfrac{1}{2}}", "0.5");
        Assert.Equal(Verdict.Correct, r.Verdict);
        Assert.Equal("\\dfrac{1}{2}", r.ExtractedAnswer);
        Assert.Equal("0.5", r.ExtractedGold);
        Assert.Equal("1/2", r.NormalizedAnswer);
        Assert.Equal("1/2", r.NormalizedGold);
        Assert.False(string.IsNullOrEmpty(r.Reason));
        Assert.True(r.Elapsed > TimeSpan.Zero);
    }

    [Theory]
    [InlineData("1.22", "1,22", Verdict.Correct)]      // decimal comma against the same decimal
    [InlineData("1,22", "1.22", Verdict.Correct)]
    [InlineData("0,5", "0.5", Verdict.Correct)]
    [InlineData("1.23", "1,22", Verdict.Incorrect)]
    [InlineData("2,3", "2.30", Verdict.Correct)]       // same value 2.3
    [InlineData("2,3", "3, 2", Verdict.Correct)]       // still a list of roots against a list
    [InlineData("2,3", "23", Verdict.Incorrect)]       // not a thousands separator for 1-2 digit groups
    [InlineData("1,22", "122", Verdict.Incorrect)]
    public void DecimalCommaOnlyAgainstADecimal(string pred, string gold, Verdict expected) => Assert.Equal(expected, V(pred, gold));

    [Theory]
    [InlineData("z \\in [-\\frac{3}{2}, -1] \\cup [1, \\frac{3}{2}]", "1\\leq|z|\\leq \\frac{3}{2}", Verdict.Correct)]
    [InlineData("z \\in (-3, -1] \\cup [1, 3)", "1 \\le |z| < 3", Verdict.Correct)]
    [InlineData("z \\in [-3, -1] \\cup [1, 3]", "1 < |z| \\le 3", Verdict.Incorrect)] // closedness at ±1 differs
    [InlineData("z \\in [1, \\frac{3}{2}]", "1\\leq|z|\\leq \\frac{3}{2}", Verdict.Incorrect)] // only half of the band
    [InlineData("-2 \\le x \\le 7", "x \\in [-2, 7]", Verdict.Correct)]                 // plain chains unchanged
    public void BandOnAbsoluteValueIsAUnionOfTwoIntervals(string pred, string gold, Verdict expected) => Assert.Equal(expected, V(pred, gold));
}

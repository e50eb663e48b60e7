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

    // Issue 18, kind 1: repeating decimals (\overline, \bar, \dot) are exact values; a mixed number
    // takes its percent sign as a whole. Each positive has a twin that must stay Incorrect.
    [Theory]
    [InlineData("0.\\overline{6}", "\\frac{2}{3}", Verdict.Correct)]
    [InlineData("0.\\overline{6}", "\\frac{3}{5}", Verdict.Incorrect)]
    [InlineData("1.\\overline{9}", "2", Verdict.Correct)]
    [InlineData("1.\\overline{9}", "1.9", Verdict.Incorrect)]
    [InlineData("12.\\overline{45}", "\\frac{137}{11}", Verdict.Correct)]
    [InlineData("12.\\overline{45}", "12.45", Verdict.Incorrect)]
    [InlineData("0.1\\overline{6}", "\\frac{1}{6}", Verdict.Correct)]
    [InlineData("0.\\overline{16}", "\\frac{1}{6}", Verdict.Incorrect)]
    [InlineData("0.\\dot{3}", "\\frac{1}{3}", Verdict.Correct)]
    [InlineData("0.\\dot{3}", "0.3", Verdict.Incorrect)]
    [InlineData("0.\\dot{2}\\dot{7}", "\\frac{3}{11}", Verdict.Correct)]
    [InlineData("0.2\\dot{7}", "\\frac{3}{11}", Verdict.Incorrect)]
    [InlineData("-2.\\bar{3}", "-\\frac{7}{3}", Verdict.Correct)]
    [InlineData("-2.\\bar{3}", "\\frac{7}{3}", Verdict.Incorrect)]
    [InlineData("0.\\overline{142857}", "\\frac{1}{7}", Verdict.Correct)]
    [InlineData("0.142857", "\\frac{1}{7}", Verdict.Incorrect)]
    [InlineData("66\\frac{2}{3}\\%", "\\frac{2}{3}", Verdict.Correct)]
    [InlineData("66\\frac{2}{3}\\%", "\\frac{1}{3}", Verdict.Incorrect)]
    [InlineData("33\\frac{1}{3}\\%", "33\\frac{1}{3}", Verdict.Correct)]
    [InlineData("33\\frac{1}{3}\\%", "33", Verdict.Incorrect)]
    [InlineData("0.333...", "\\frac{1}{3}", Verdict.Correct)]
    [InlineData("0.333", "\\frac{1}{3}", Verdict.Incorrect)]        // no ellipsis: a decimal approximation
    [InlineData("0.1666\\ldots", "\\frac{1}{6}", Verdict.Correct)]
    [InlineData("0.1666\\ldots", "\\frac{1}{5}", Verdict.Incorrect)]
    [InlineData("0.4545\\dots", "\\frac{5}{11}", Verdict.Correct)]
    [InlineData("0.45\\dots", "\\frac{5}{11}", Verdict.Incorrect)]   // the block is not shown twice
    [InlineData("3.14\\ldots", "\\pi", Verdict.Incorrect)]           // no repeating block: still an approximation
    public void RepeatingDecimalsAndMixedPercents(string pred, string gold, Verdict expected) => Assert.Equal(expected, V(pred, gold));

    // Issue 18, kind 2: a labelled answer against its bare value (VerifyOptions.LabelledAnswers); an
    // equation in the unknowns, or a label with a different value, stays Incorrect.
    [Theory]
    [InlineData("\\angle PQR = 40^\\circ", "40", Verdict.Correct)]
    [InlineData("\\angle PQR = 50^\\circ", "40", Verdict.Incorrect)]
    [InlineData("m+n = 9", "9", Verdict.Correct)]
    [InlineData("m+n = 8", "9", Verdict.Incorrect)]
    [InlineData("a+b+c = 31", "31", Verdict.Correct)]
    [InlineData("a+b+c = 13", "31", Verdict.Incorrect)]
    [InlineData("g^{-1}(x) = 3x+2", "3x+2", Verdict.Correct)]
    [InlineData("g^{-1}(x) = 3x-2", "3x+2", Verdict.Incorrect)]
    [InlineData("f^{-1}(4) = \\frac{1}{2}", "0.5", Verdict.Correct)]
    [InlineData("f^{-1}(4) = 2", "0.5", Verdict.Incorrect)]
    [InlineData("\\text{area} = 12", "12", Verdict.Correct)]
    [InlineData("\\text{area} = 21", "12", Verdict.Incorrect)]
    [InlineData("\\text{Area} = 12\\text{ cm}^2", "12", Verdict.Correct)]
    [InlineData("\\text{Area} = 13\\text{ cm}^2", "12", Verdict.Incorrect)]
    [InlineData("x + y = 9", "9", Verdict.Incorrect)]      // an equation in the unknowns, not a label
    [InlineData("2a + b = 9", "9", Verdict.Incorrect)]     // a coefficient: not a name
    [InlineData("m^2 + n = 9", "9", Verdict.Incorrect)]
    [InlineData("m\\angle ABC = 40^\\circ", "40", Verdict.Correct)]
    [InlineData("m\\angle ABC = 40^\\circ", "140", Verdict.Incorrect)]
    [InlineData("\\sin\\theta = \\frac{3}{5}", "\\frac{3}{5}", Verdict.Correct)]
    [InlineData("\\sin\\theta = \\frac{3}{5}", "\\frac{4}{5}", Verdict.Incorrect)]
    [InlineData("\\sin x + x = 1", "1", Verdict.Incorrect)]     // an equation, not a function of a name
    public void LabelledAnswerAgainstItsBareValue(string pred, string gold, Verdict expected) => Assert.Equal(expected, V(pred, gold));

    // Issue 18, kind 3: sets of reals by normal form (ℝ, ∅, merged unions, differences, inequalities
    // joined by "or"); every equal set has a twin that differs in one end, one bracket or one point.
    [Theory]
    [InlineData("\\mathbb{R}", "(-\\infty, \\infty)", Verdict.Correct)]
    [InlineData("\\mathbb{R}", "(0, \\infty)", Verdict.Incorrect)]
    [InlineData("\\mathbb{R}", "\\mathbb{Z}", Verdict.Incorrect)]
    [InlineData("\\mathbb{R}\\setminus\\{2\\}", "(-\\infty,2)\\cup(2,\\infty)", Verdict.Correct)]
    [InlineData("\\mathbb{R}\\setminus\\{3\\}", "(-\\infty,2)\\cup(2,\\infty)", Verdict.Incorrect)]
    [InlineData("\\mathbb{R}\\setminus\\{2\\}", "(-\\infty,2]\\cup(2,\\infty)", Verdict.Incorrect)]
    [InlineData("(-\\infty,-1)\\cup(-1,1)\\cup(1,\\infty)", "\\mathbb{R} \\setminus \\{-1, 1\\}", Verdict.Correct)]
    [InlineData("(-\\infty,-1)\\cup(1,\\infty)", "\\mathbb{R} \\setminus \\{-1, 1\\}", Verdict.Incorrect)]
    [InlineData("[0,5] \\setminus (1,2)", "[0,1]\\cup[2,5]", Verdict.Correct)]
    [InlineData("[0,5] \\setminus [1,2]", "[0,1]\\cup[2,5]", Verdict.Incorrect)]
    [InlineData("\\emptyset", "\\varnothing", Verdict.Correct)]
    [InlineData("\\emptyset", "\\{\\}", Verdict.Correct)]
    [InlineData("\\emptyset", "\\{0\\}", Verdict.Incorrect)]
    [InlineData("\\varnothing", "0", Verdict.Incorrect)]
    [InlineData("[0,2]\\cup[1,4]", "[0,4]", Verdict.Correct)]
    [InlineData("[0,2]\\cup[3,4]", "[0,4]", Verdict.Incorrect)]
    [InlineData("[0,2)\\cup[2,4]", "[0,4]", Verdict.Correct)]
    [InlineData("[0,2)\\cup(2,4]", "[0,4]", Verdict.Incorrect)]
    [InlineData("\\{1,5\\}\\cup\\{3\\}", "\\{1,3,5\\}", Verdict.Correct)]
    [InlineData("\\{1,5\\}\\cup\\{3\\}", "\\{1,3\\}", Verdict.Incorrect)]
    [InlineData("(1,3]\\cup\\{1\\}", "[1,3]", Verdict.Correct)]
    [InlineData("(1,3]\\cup\\{0\\}", "[1,3]", Verdict.Incorrect)]
    [InlineData("x \\le -2 \\text{ or } x > 3", "(-\\infty,-2]\\cup(3,\\infty)", Verdict.Correct)]
    [InlineData("x \\le -2 \\text{ or } x \\ge 3", "(-\\infty,-2]\\cup(3,\\infty)", Verdict.Incorrect)]
    [InlineData("(-\\infty,-2]\\cup(3,\\infty)", "x \\le -2 \\text{ or } x > 3", Verdict.Correct)]
    [InlineData("(-\\infty,-2)\\cup(3,\\infty)", "x \\le -2 \\text{ or } x > 3", Verdict.Incorrect)]
    [InlineData("x < 0 \\text{ or } y > 1", "(-\\infty,0)\\cup(1,\\infty)", Verdict.Incorrect)] // two variables
    [InlineData("-1 < x \\le 4", "(-1,4]", Verdict.Correct)]
    [InlineData("-1 \\le x \\le 4", "(-1,4]", Verdict.Incorrect)]
    [InlineData("x \\neq 2", "(-\\infty,2)\\cup(2,\\infty)", Verdict.Correct)]
    [InlineData("x \\neq 2", "(-\\infty,2)\\cup(3,\\infty)", Verdict.Incorrect)]
    [InlineData("x \\ne 2", "\\mathbb{R}\\setminus\\{2\\}", Verdict.Correct)]
    [InlineData("x \\ne -2", "\\mathbb{R}\\setminus\\{2\\}", Verdict.Incorrect)]
    [InlineData("\\text{all real numbers}", "(-\\infty,\\infty)", Verdict.Correct)]
    [InlineData("\\text{all real numbers}", "[0,\\infty)", Verdict.Incorrect)]
    [InlineData("\\text{no solution}", "\\emptyset", Verdict.Correct)]
    [InlineData("\\text{no solution}", "\\{0\\}", Verdict.Incorrect)]
    public void SetAndIntervalNotation(string pred, string gold, Verdict expected) => Assert.Equal(expected, V(pred, gold));

    // Issue 18, kind 6: exact arithmetic beyond doubles (towers and huge powers as r^n), signed
    // infinities, floor, ceiling, binomials and factorials evaluated exactly.
    [Theory]
    [InlineData("2^{2^{10}}", "4^{512}", Verdict.Correct)]
    [InlineData("2^{2^{10}}", "4^{511}", Verdict.Incorrect)]
    [InlineData("3^{3^{3}}", "3^{27}", Verdict.Correct)]
    [InlineData("3^{3^{3}}", "27^{3}", Verdict.Incorrect)]
    [InlineData("5^{10^{6}}", "25^{5 \\cdot 10^{5}}", Verdict.Correct)]
    [InlineData("5^{10^{6}}", "5^{10^{6}+1}", Verdict.Incorrect)]
    [InlineData("2^{2^{20}}", "4^{2^{19}}", Verdict.Correct)]
    [InlineData("2^{2^{20}}", "8^{2^{19}}", Verdict.Incorrect)]
    [InlineData("-7^{10^{5}}", "-49^{5 \\cdot 10^{4}}", Verdict.Correct)]
    [InlineData("-7^{10^{5}}", "49^{5 \\cdot 10^{4}}", Verdict.Incorrect)]
    [InlineData("-\\infty", "-\\infty", Verdict.Correct)]
    [InlineData("-\\infty", "\\infty", Verdict.Incorrect)]
    [InlineData("\\lfloor 7.5 \\rfloor", "7", Verdict.Correct)]
    [InlineData("\\lfloor 7.5 \\rfloor", "8", Verdict.Incorrect)]
    [InlineData("\\lfloor -\\frac{7}{2} \\rfloor", "-4", Verdict.Correct)]
    [InlineData("\\lfloor -\\frac{7}{2} \\rfloor", "-3", Verdict.Incorrect)]
    [InlineData("\\lceil 7.2 \\rceil", "8", Verdict.Correct)]
    [InlineData("\\lceil 7.2 \\rceil", "7", Verdict.Incorrect)]
    [InlineData("\\lfloor \\sqrt{50} \\rfloor", "7", Verdict.Correct)]
    [InlineData("\\lfloor \\sqrt{50} \\rfloor", "\\sqrt{50}", Verdict.Incorrect)]
    [InlineData("\\lceil \\log_2 1000 \\rceil", "10", Verdict.Correct)]
    [InlineData("\\lceil \\log_2 1000 \\rceil", "9", Verdict.Incorrect)]
    [InlineData("\\binom{10}{3}", "120", Verdict.Correct)]
    [InlineData("\\binom{10}{3}", "\\binom{10}{4}", Verdict.Incorrect)]
    [InlineData("\\binom{100}{50}", "100891344545564193334812497256", Verdict.Correct)]
    [InlineData("\\binom{100}{50}", "100891344545564193334812497257", Verdict.Incorrect)]
    [InlineData("25!", "15511210043330985984000000", Verdict.Correct)]
    [InlineData("25!", "15511210043330985984000001", Verdict.Incorrect)]
    [InlineData("\\frac{30!}{28!}", "870", Verdict.Correct)]
    [InlineData("\\frac{30!}{28!}", "871", Verdict.Incorrect)]
    [InlineData("\\binom{n}{2}", "\\frac{n(n-1)}{2}", Verdict.Correct)]
    [InlineData("\\binom{n}{2}", "\\frac{n(n+1)}{2}", Verdict.Incorrect)]
    public void ExactArithmeticBeyondDoubles(string pred, string gold, Verdict expected) => Assert.Equal(expected, V(pred, gold));

    // Issue 18, kind 4: systems and multiple answers. Assignments written in the unknowns' order are the
    // tuple; a missing or extra root, or swapped values, stays Incorrect.
    [Theory]
    [InlineData("a=2, b=-5", "(2,-5)", Verdict.Correct)]
    [InlineData("a=-5, b=2", "(2,-5)", Verdict.Incorrect)]
    [InlineData("(2,-5)", "a=2, b=-5", Verdict.Correct)]
    [InlineData("(-5,2)", "a=2, b=-5", Verdict.Incorrect)]
    [InlineData("x=1, y=\\frac{1}{2}, z=0", "(1, 0.5, 0)", Verdict.Correct)]
    [InlineData("x=1, y=\\frac{1}{2}, z=0", "(1, 0.5, 1)", Verdict.Incorrect)]
    [InlineData("b=-5, a=2", "(2,-5)", Verdict.Incorrect)]   // names out of order: no order to trust
    [InlineData("a=2, b=-5", "(2,-5,1)", Verdict.Incorrect)]
    [InlineData("x = -3 \\text{ or } x = 1", "1,-3", Verdict.Correct)]
    [InlineData("x=1", "1, -3", Verdict.Incorrect)]          // a missing root
    [InlineData("x = -3, x = 1", "1, -3", Verdict.Correct)]
    [InlineData("x = -3, x = 1, x = 2", "1, -3", Verdict.Incorrect)]
    [InlineData("\\begin{cases} x = 2 \\\\ y = 3 \\end{cases}", "(2,3)", Verdict.Correct)]
    [InlineData("\\begin{cases} x = 3 \\\\ y = 2 \\end{cases}", "(2,3)", Verdict.Incorrect)]
    public void SystemsAndMultipleAnswers(string pred, string gold, Verdict expected) => Assert.Equal(expected, V(pred, gold));

    // Issue 18, kind 5: number words (VerifyOptions.NumberWords) and multiple-choice letters
    // (VerifyOptions.MultipleChoice).
    [Theory]
    [InlineData("seven", "7", Verdict.Correct)]
    [InlineData("seven", "8", Verdict.Incorrect)]
    [InlineData("Twenty-one", "21", Verdict.Correct)]
    [InlineData("twenty-one", "22", Verdict.Incorrect)]
    [InlineData("one hundred and five", "105", Verdict.Correct)]
    [InlineData("one hundred and five", "150", Verdict.Incorrect)]
    [InlineData("\\text{two thousand twenty-four}", "2024", Verdict.Correct)]
    [InlineData("\\text{two thousand twenty-four}", "2042", Verdict.Incorrect)]
    [InlineData("one half", "\\frac{1}{2}", Verdict.Correct)]
    [InlineData("one half", "\\frac{1}{3}", Verdict.Incorrect)]
    [InlineData("two thirds", "\\frac{2}{3}", Verdict.Correct)]
    [InlineData("two thirds", "\\frac{3}{2}", Verdict.Incorrect)]
    [InlineData("three and a half", "3.5", Verdict.Correct)]
    [InlineData("three and a half", "3", Verdict.Incorrect)]
    [InlineData("negative four", "-4", Verdict.Correct)]
    [InlineData("negative four", "4", Verdict.Incorrect)]
    [InlineData("ten one", "11", Verdict.Incorrect)]          // not a number in words
    [InlineData("third", "\\frac{1}{3}", Verdict.Incorrect)]  // an ordinal alone is not a fraction
    [InlineData("\\textbf{(C) }15", "\\textbf{(C)}", Verdict.Correct)]
    [InlineData("\\textbf{(C) }15", "\\textbf{(D)}", Verdict.Incorrect)]
    [InlineData("\\textbf{(C) }15", "(C)", Verdict.Correct)]
    [InlineData("\\textbf{(C) }15", "(B)", Verdict.Incorrect)]
    [InlineData("\\textbf{(C) }15", "C", Verdict.Correct)]
    [InlineData("\\textbf{(C) }15", "E", Verdict.Incorrect)]
    [InlineData("(C)", "\\textbf{(C) }15", Verdict.Correct)]
    [InlineData("(A)", "\\textbf{(C) }15", Verdict.Incorrect)]
    [InlineData("15", "\\textbf{(C) }15", Verdict.Correct)]
    [InlineData("16", "\\textbf{(C) }15", Verdict.Incorrect)]
    [InlineData("\\text{(B) } \\frac{1}{2}", "0.5", Verdict.Correct)]
    [InlineData("\\text{(B) } \\frac{1}{2}", "0.25", Verdict.Incorrect)]
    [InlineData("\\textbf{(D) 7}", "(D)~7", Verdict.Correct)]
    [InlineData("\\textbf{(D) 7}", "(D)~8", Verdict.Incorrect)]  // same letter, contradicting values
    [InlineData("(C)", "15", Verdict.Incorrect)]                 // a letter alone is not a value
    [InlineData("(\\text{C})", "\\textbf{(C) }15", Verdict.Correct)]
    [InlineData("(\\text{A})", "\\textbf{(C) }15", Verdict.Incorrect)]
    public void NumberWordsAndMultipleChoice(string pred, string gold, Verdict expected) => Assert.Equal(expected, V(pred, gold));
}

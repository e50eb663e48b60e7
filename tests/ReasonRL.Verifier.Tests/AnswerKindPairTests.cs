// Issue 18 reviewed again with new pairs: for each kind of answer the verifier used to miss, invented
// positives (Correct) and, for every one, a twin that must stay Incorrect, so that no new equivalence can
// become a false positive. Kinds 1–6 and the glued letters are bare answers (AnswerSource.Answer); kind 7
// is whole solutions through extraction. The pairs before this review are in EquivalenceTests and
// ExtractionTests; this file only adds. Not the grading conventions' specification (MathVerifier's header).
using ReasonRL.Verifier;

namespace ReasonRL.Verifier.Tests;

public class AnswerKindPairTests
{
    private static Verdict Answer(string pred, string gold) => MathVerifier.Verify(pred, gold,
        FuzzTests.WorkOnly with { Prediction = AnswerSource.Answer, Gold = AnswerSource.Answer }).Verdict;

    private static Verdict Solution(string solution, string gold) => MathVerifier.Verify(solution, gold, FuzzTests.WorkOnly).Verdict;

    // Kind 1: repeating decimals (\overline, \dot, a repeat after a non-repeating part, negative values) and
    // mixed-number percents; a percent sign written on both sides is read the same way on both (50% ≠ 0.5%).
    [Theory]
    [InlineData("0.\\overline{3}", "\\frac{1}{3}", Verdict.Correct)]
    [InlineData("0.\\overline{3}", "\\frac{3}{10}", Verdict.Incorrect)]
    [InlineData("2.\\overline{7}", "\\frac{25}{9}", Verdict.Correct)]
    [InlineData("2.\\overline{7}", "\\frac{27}{10}", Verdict.Incorrect)]
    [InlineData("0.1\\overline{6}", "\\frac{1}{6}", Verdict.Correct)]
    [InlineData("0.\\overline{16}", "\\frac{1}{6}", Verdict.Incorrect)]
    [InlineData("0.\\overline{142857}", "\\frac{1}{7}", Verdict.Correct)]
    [InlineData("0.142857", "\\frac{1}{7}", Verdict.Incorrect)]
    [InlineData("0.\\overline{9}", "1", Verdict.Correct)]
    [InlineData("0.\\overline{9}", "0.9", Verdict.Incorrect)]
    [InlineData("3.0\\overline{45}", "\\frac{67}{22}", Verdict.Correct)]
    [InlineData("3.\\overline{045}", "\\frac{67}{22}", Verdict.Incorrect)]
    [InlineData("33\\frac{1}{3}\\%", "\\frac{1}{3}", Verdict.Correct)]
    [InlineData("33\\frac{1}{3}\\%", "\\frac{1}{4}", Verdict.Incorrect)]
    [InlineData("12\\frac{1}{2}\\%", "\\frac{1}{8}", Verdict.Correct)]
    [InlineData("12\\frac{1}{2}\\%", "\\frac{1}{2}", Verdict.Incorrect)]
    [InlineData("0.\\dot{3}", "\\frac{1}{3}", Verdict.Correct)]
    [InlineData("0.\\dot{3}", "0.3", Verdict.Incorrect)]
    [InlineData("0.1\\dot{2}\\dot{3}", "\\frac{61}{495}", Verdict.Correct)]
    [InlineData("0.1\\dot{2}\\dot{3}", "\\frac{123}{1000}", Verdict.Incorrect)]
    [InlineData("-0.\\overline{3}", "-\\frac{1}{3}", Verdict.Correct)]
    [InlineData("-0.\\overline{3}", "\\frac{1}{3}", Verdict.Incorrect)]
    [InlineData("33\\frac{1}{3}\\%", "\\frac{1}{3}\\%", Verdict.Incorrect)]
    [InlineData("1.\\overline{3}", "\\frac{4}{3}", Verdict.Correct)]
    [InlineData("1.\\overline{3}", "1.3", Verdict.Incorrect)]
    [InlineData("50\\%", "0.5\\%", Verdict.Incorrect)]
    [InlineData("50\\%", "\\frac{1}{2}", Verdict.Correct)]
    [InlineData("\\frac{1}{3}\\%", "33\\frac{1}{3}\\%", Verdict.Incorrect)]
    public void RepeatingDecimalsAndPercents(string pred, string gold, Verdict expected) => Assert.Equal(expected, Answer(pred, gold));

    // Kind 2: a labelled answer against its bare value; a product or sum of the unknowns x, y, z, a
    // coefficient or an equation to solve stays Incorrect.
    [Theory]
    [InlineData("\\text{Area} = 24", "24", Verdict.Correct)]
    [InlineData("\\text{Area} = 24", "42", Verdict.Incorrect)]
    [InlineData("a+b+c = 15", "15", Verdict.Correct)]
    [InlineData("a+2b = 15", "15", Verdict.Incorrect)]
    [InlineData("f^{-1}(x) = \\frac{x-1}{2}", "\\frac{x-1}{2}", Verdict.Correct)]
    [InlineData("f^{-1}(x) = \\frac{x-1}{2}", "\\frac{x+1}{2}", Verdict.Incorrect)]
    [InlineData("\\angle ABC = 35^\\circ", "35", Verdict.Correct)]
    [InlineData("\\angle ABC = 35^\\circ", "145", Verdict.Incorrect)]
    [InlineData("AB = 5", "5", Verdict.Correct)]
    [InlineData("AB = 5", "25", Verdict.Incorrect)]
    [InlineData("P(A) = \\frac{1}{4}", "\\frac{1}{4}", Verdict.Correct)]
    [InlineData("P(A) = \\frac{1}{4}", "\\frac{1}{2}", Verdict.Incorrect)]
    [InlineData("x - y = 3", "3", Verdict.Incorrect)]
    [InlineData("xy = 12", "12", Verdict.Incorrect)]
    [InlineData("2x = 8", "8", Verdict.Incorrect)]
    [InlineData("2x = 8", "4", Verdict.Incorrect)]
    [InlineData("p + q = 11", "11", Verdict.Correct)]
    [InlineData("p + q = 11", "12", Verdict.Incorrect)]
    [InlineData("S_{10} = 55", "55", Verdict.Correct)]
    [InlineData("S_{10} = 55", "45", Verdict.Incorrect)]
    [InlineData("m\\angle A = 60^\\circ", "60", Verdict.Correct)]
    [InlineData("m\\angle A = 60^\\circ", "30", Verdict.Incorrect)]
    [InlineData("k = -3", "-3", Verdict.Correct)]
    [InlineData("k = -3", "3", Verdict.Incorrect)]
    [InlineData("x + z = 4", "4", Verdict.Incorrect)]
    [InlineData("\\text{perimeter} = 30\\text{ cm}", "30", Verdict.Correct)]
    [InlineData("\\text{perimeter} = 30\\text{ cm}", "3", Verdict.Incorrect)]
    [InlineData("h(2) = 7", "7", Verdict.Correct)]
    [InlineData("h(2) = 7", "2", Verdict.Incorrect)]
    [InlineData("AB \\cdot CD = 12", "12", Verdict.Correct)]
    public void LabelledAnswers(string pred, string gold, Verdict expected) => Assert.Equal(expected, Answer(pred, gold));

    // Kind 3: sets of reals by normal form (words, differences, merged unions, chains, ∅); a lone pair
    // against set notation is the open interval. Each twin differs in one end, bracket or point.
    [Theory]
    [InlineData("(-\\infty, \\infty)", "\\text{all real numbers}", Verdict.Correct)]
    [InlineData("(0, \\infty)", "\\text{all real numbers}", Verdict.Incorrect)]
    [InlineData("\\mathbb{R} \\setminus \\{0\\}", "(-\\infty,0)\\cup(0,\\infty)", Verdict.Correct)]
    [InlineData("\\mathbb{R} \\setminus \\{0\\}", "(-\\infty,0]\\cup(0,\\infty)", Verdict.Incorrect)]
    [InlineData("\\mathbb{R} \\setminus \\{0\\}", "(-\\infty,0)\\cup(1,\\infty)", Verdict.Incorrect)]
    [InlineData("[1,3]\\cup[2,5]", "[1,5]", Verdict.Correct)]
    [InlineData("[1,3]\\cup[4,5]", "[1,5]", Verdict.Incorrect)]
    [InlineData("(0,2)\\cup[2,4)", "(0,4)", Verdict.Correct)]
    [InlineData("(0,2)\\cup(2,4)", "(0,4)", Verdict.Incorrect)]
    [InlineData("\\{2,4\\}\\cup\\{4,6\\}", "\\{2,4,6\\}", Verdict.Correct)]
    [InlineData("\\{2,4\\}\\cup\\{4,6\\}", "\\{2,6\\}", Verdict.Incorrect)]
    [InlineData("x < -1 \\text{ or } x \\ge 2", "(-\\infty,-1)\\cup[2,\\infty)", Verdict.Correct)]
    [InlineData("x < -1 \\text{ or } x \\ge 2", "(-\\infty,-1]\\cup[2,\\infty)", Verdict.Incorrect)]
    [InlineData("0 \\le x < 5", "[0,5)", Verdict.Correct)]
    [InlineData("0 \\le x < 5", "[0,5]", Verdict.Incorrect)]
    [InlineData("\\varnothing", "\\{\\}", Verdict.Correct)]
    [InlineData("\\varnothing", "\\{0\\}", Verdict.Incorrect)]
    [InlineData("x \\in (-2, 3]", "-2 < x \\le 3", Verdict.Correct)]
    [InlineData("x \\in (-2, 3]", "-2 \\le x \\le 3", Verdict.Incorrect)]
    [InlineData("[-1,\\infty)", "x \\geq -1", Verdict.Correct)]
    [InlineData("(-1,\\infty)", "x \\ge -1", Verdict.Incorrect)]
    [InlineData("\\mathbb{R}\\setminus\\{-1, 1\\}", "(-\\infty,-1)\\cup(-1,1)\\cup(1,\\infty)", Verdict.Correct)]
    [InlineData("\\mathbb{R}\\setminus\\{-1, 1\\}", "(-\\infty,-1)\\cup(1,\\infty)", Verdict.Incorrect)]
    [InlineData("x \\neq 3", "(-\\infty,3)\\cup(3,\\infty)", Verdict.Correct)]
    [InlineData("x \\neq 3", "(-\\infty,3)\\cup(3,\\infty)\\cup\\{3\\}", Verdict.Incorrect)]
    [InlineData("(1,3)", "(1,2)\\cup[2,3)", Verdict.Correct)]
    [InlineData("(1,3)", "(1,2)\\cup(2,3)", Verdict.Incorrect)]
    public void SetsOfReals(string pred, string gold, Verdict expected) => Assert.Equal(expected, Answer(pred, gold));

    // Kind 4: systems and lists of roots; swapped values, a missing or an extra root stays Incorrect.
    [Theory]
    [InlineData("x=3, y=-1", "(3,-1)", Verdict.Correct)]
    [InlineData("x=-1, y=3", "(3,-1)", Verdict.Incorrect)]
    [InlineData("x = 2 \\text{ or } x = -5", "2, -5", Verdict.Correct)]
    [InlineData("x = 2", "2, -5", Verdict.Incorrect)]
    [InlineData("x=\\pm 3", "3, -3", Verdict.Correct)]
    [InlineData("x = 3", "\\pm 3", Verdict.Incorrect)]
    [InlineData("(x, y) = (1, 2)", "(1,2)", Verdict.Correct)]
    [InlineData("(x, y) = (1, 2)", "(2,1)", Verdict.Incorrect)]
    [InlineData("a=1, b=2, c=3", "(1,2,3)", Verdict.Correct)]
    [InlineData("a=1, b=3, c=2", "(1,2,3)", Verdict.Incorrect)]
    [InlineData("\\begin{cases} x = 1 \\\\ y = 2 \\end{cases}", "(1,2)", Verdict.Correct)]
    [InlineData("\\begin{cases} x = 1 \\\\ y = 3 \\end{cases}", "(1,2)", Verdict.Incorrect)]
    [InlineData("x_1 = 2, x_2 = -3", "2, -3", Verdict.Correct)]
    [InlineData("x_1 = 2, x_2 = 3", "2, -3", Verdict.Incorrect)]
    [InlineData("x = -3, 1", "1, -3", Verdict.Correct)]
    [InlineData("x = -3, 1, 2", "1, -3", Verdict.Incorrect)]
    public void SystemsAndRootLists(string pred, string gold, Verdict expected) => Assert.Equal(expected, Answer(pred, gold));

    // Kind 5: number words and multiple-choice letters; a different number or letter, a letter against a
    // bare value, stays Incorrect.
    [Theory]
    [InlineData("eleven", "11", Verdict.Correct)]
    [InlineData("eleven", "12", Verdict.Incorrect)]
    [InlineData("forty-two", "42", Verdict.Correct)]
    [InlineData("forty two", "24", Verdict.Incorrect)]
    [InlineData("three hundred", "300", Verdict.Correct)]
    [InlineData("three hundred", "103", Verdict.Incorrect)]
    [InlineData("three quarters", "\\frac{3}{4}", Verdict.Correct)]
    [InlineData("three quarters", "\\frac{1}{4}", Verdict.Incorrect)]
    [InlineData("minus five", "-5", Verdict.Correct)]
    [InlineData("five", "-5", Verdict.Incorrect)]
    [InlineData("zero", "0", Verdict.Correct)]
    [InlineData("zero", "1", Verdict.Incorrect)]
    [InlineData("one thousand two hundred", "1200", Verdict.Correct)]
    [InlineData("one thousand two hundred", "1002", Verdict.Incorrect)]
    [InlineData("\\text{seven}", "7", Verdict.Correct)]
    [InlineData("\\text{seven}", "17", Verdict.Incorrect)]
    [InlineData("\\textbf{(B) } 12", "B", Verdict.Correct)]
    [InlineData("\\textbf{(B) } 12", "C", Verdict.Incorrect)]
    [InlineData("(E)", "\\text{(E)}", Verdict.Correct)]
    [InlineData("(E)", "(D)", Verdict.Incorrect)]
    [InlineData("\\mathrm{(A)}\\ 3", "3", Verdict.Correct)]
    [InlineData("\\mathrm{(A)}\\ 3", "4", Verdict.Incorrect)]
    [InlineData("B", "\\textbf{(B)}\\ 12", Verdict.Correct)]
    [InlineData("B", "12", Verdict.Incorrect)]
    [InlineData("\\text{(D)}", "D", Verdict.Correct)]
    [InlineData("\\text{(D)}", "(B)", Verdict.Incorrect)]
    [InlineData("two and a half", "2.5", Verdict.Correct)]
    [InlineData("two and a half", "3.5", Verdict.Incorrect)]
    [InlineData("sixty", "60", Verdict.Correct)]
    [InlineData("sixteen", "60", Verdict.Incorrect)]
    [InlineData("two thousand and five", "2005", Verdict.Correct)]
    [InlineData("two thousand and five", "2500", Verdict.Incorrect)]
    public void NumberWordsAndChoices(string pred, string gold, Verdict expected) => Assert.Equal(expected, Answer(pred, gold));

    // Kind 6: exact integers and powers beyond doubles, signed infinities, floor, ceiling, binomials and
    // factorials; an off-by-one twin for each.
    [Theory]
    [InlineData("2^{100}", "1267650600228229401496703205376", Verdict.Correct)]
    [InlineData("2^{100}", "1267650600228229401496703205377", Verdict.Incorrect)]
    [InlineData("4^{3^{4}}", "2^{162}", Verdict.Correct)]
    [InlineData("4^{3^{4}}", "2^{161}", Verdict.Incorrect)]
    [InlineData("10^{10^{5}}", "100^{5 \\cdot 10^{4}}", Verdict.Correct)]
    [InlineData("10^{10^{5}}", "10^{10^{5}+1}", Verdict.Incorrect)]
    [InlineData("+\\infty", "\\infty", Verdict.Correct)]
    [InlineData("-\\infty", "\\infty", Verdict.Incorrect)]
    [InlineData("\\lfloor 7.9 \\rfloor", "7", Verdict.Correct)]
    [InlineData("\\lfloor 7.9 \\rfloor", "8", Verdict.Incorrect)]
    [InlineData("\\lceil \\frac{7}{2} \\rceil", "4", Verdict.Correct)]
    [InlineData("\\lceil \\frac{7}{2} \\rceil", "3", Verdict.Incorrect)]
    [InlineData("\\lfloor -2.5 \\rfloor", "-3", Verdict.Correct)]
    [InlineData("\\lfloor -2.5 \\rfloor", "-2", Verdict.Incorrect)]
    [InlineData("\\binom{52}{5}", "2598960", Verdict.Correct)]
    [InlineData("\\binom{52}{5}", "2598961", Verdict.Incorrect)]
    [InlineData("25!", "15511210043330985984000000", Verdict.Correct)]
    [InlineData("25!", "24!", Verdict.Incorrect)]
    [InlineData("\\frac{30!}{28!}", "870", Verdict.Correct)]
    [InlineData("\\frac{30!}{28!}", "812", Verdict.Incorrect)]
    [InlineData("2^{2^{5}}", "4294967296", Verdict.Correct)]
    [InlineData("2^{2^{5}}", "4294967295", Verdict.Incorrect)]
    [InlineData("3^{3^{3}}", "27^{9}", Verdict.Correct)]
    [InlineData("3^{3^{3}}", "9^{13}", Verdict.Incorrect)]
    [InlineData("7^{7^{7}}", "7^{823543}", Verdict.Correct)]
    [InlineData("7^{7^{7}}", "7^{823542}", Verdict.Incorrect)]
    public void ExactArithmeticBeyondDoubles(string pred, string gold, Verdict expected) => Assert.Equal(expected, Answer(pred, gold));

    // Kind 7: extraction from whole solutions (a correction after the value, scientific notation, the
    // concluding sentence, number words and "x 10^" after an anchor); the discarded number is the twin.
    [Theory]
    [InlineData("So the answer is 12, not 21.", "12", Verdict.Correct)]
    [InlineData("So the answer is 12, not 21.", "21", Verdict.Incorrect)]
    [InlineData("Avogadro's number is about $6.022 \\times 10^{23}$.", "6.022\\times10^{23}", Verdict.Correct)]
    [InlineData("Avogadro's number is about $6.022 \\times 10^{23}$.", "23", Verdict.Incorrect)]
    [InlineData("The result is $1.5 \\cdot 10^{-3}$", "0.0015", Verdict.Correct)]
    [InlineData("The result is $1.5 \\cdot 10^{-3}$", "-3", Verdict.Incorrect)]
    [InlineData("First we get 12 apples in the basket. Then she gives 3 away. Therefore, she has 15 apples left.", "15", Verdict.Correct)]
    [InlineData("First we get 12 apples in the basket. Then she gives 3 away. Therefore, she has 15 apples left.", "12", Verdict.Incorrect)]
    [InlineData("The answer is 7 rather than 5.", "7", Verdict.Correct)]
    [InlineData("The answer is 7 rather than 5.", "5", Verdict.Incorrect)]
    [InlineData("The final answer is 2.5 x 10^3 meters.", "2500", Verdict.Correct)]
    [InlineData("The final answer is 2.5 x 10^3 meters.", "3", Verdict.Incorrect)]
    [InlineData("We get 9 and 4, so the answer is 9, not 4.", "9", Verdict.Correct)]
    [InlineData("We get 9 and 4, so the answer is 9, not 4.", "4", Verdict.Incorrect)]
    [InlineData("The answer is one thousand two hundred.", "1200", Verdict.Correct)]
    [InlineData("The answer is one thousand two hundred.", "1002", Verdict.Incorrect)]
    [InlineData("The final answer is 2.5 x 10^3.", "2500", Verdict.Correct)]
    [InlineData("The final answer is 2.5 x 10^3.", "2.5", Verdict.Incorrect)]
    [InlineData("The answer is \\boxed{2x^3}.", "2x^3", Verdict.Correct)]
    [InlineData("The answer is \\boxed{2 x 10}.", "20", Verdict.Incorrect)]
    public void ExtractionFromProse(string pred, string gold, Verdict expected) => Assert.Equal(expected, Solution(pred, gold));

    // Three glued letters beside math are a product of variables, not a unit word dropped beside its
    // number (2xyz ≠ 2; the public case mv-0191, TAB + "ext{13}", against 13); three-letter units stay units.
    [Theory]
    [InlineData("\\boxed{2xyz}", "2", Verdict.Incorrect)]
    [InlineData("\\boxed{4xyz}", "4abc", Verdict.Incorrect)]
    [InlineData("\\boxed{3xyz}", "3xyz", Verdict.Correct)]
    [InlineData("\\boxed{5min}", "5", Verdict.Correct)]
    [InlineData("\\boxed{abc^2}", "a b c^2", Verdict.Correct)]
    public void GluedLettersAreAProduct(string pred, string gold, Verdict expected) => Assert.Equal(expected, Answer(pred, gold));
}

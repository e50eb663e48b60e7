// Grader options: the VerifyOptions members that reproduce other graders' recorded settings
// (Strict, OrderedLists, AllowSetRelationComparison, DecimalRounding) and the conventions a user may want
// the other way (LabelledAnswers, NumberWords, MultipleChoice, Percent). Each table checks the
// default (the project's conventions) and the option's effect, and the mapping of a public case
// row's "options" onto these members (CaseModes.OptionsFor).
using ReasonRL.Verifier.Evaluation;

namespace ReasonRL.Verifier.Tests;

public class GraderOptionTests
{
    private static readonly VerifyOptions Answers = VerifyOptions.Default with { Prediction = AnswerSource.Answer, Gold = AnswerSource.Answer };

    /// <summary>The verdict with the default options, then with one option changed.</summary>
    private static void Check(string pred, string gold, Verdict byDefault, VerifyOptions changed, Verdict withOption)
    {
        Assert.Equal(byDefault, MathVerifier.Verify(pred, gold, Answers).Verdict);
        Assert.Equal(withOption, MathVerifier.Verify(pred, gold, changed).Verdict);
    }

    [Theory]
    // pred, gold, verdict with defaults (DecimalRounding null), places, verdict with rounding
    [InlineData("0.3333", "\\frac{1}{3}", Verdict.Incorrect, 4, Verdict.Correct)]
    [InlineData("0.3333", "\\frac{1}{3}", Verdict.Incorrect, 6, Verdict.Incorrect)]
    [InlineData("0.0833333333333333", "\\frac{1}{12}", Verdict.Incorrect, 6, Verdict.Correct)]
    [InlineData("2.6667", "\\frac{8}{3}", Verdict.Incorrect, 2, Verdict.Correct)]
    [InlineData("1.414", "\\sqrt{2}", Verdict.Incorrect, 6, Verdict.Incorrect)]
    [InlineData("1.414214", "\\sqrt{2}", Verdict.Incorrect, 6, Verdict.Correct)]
    [InlineData("\\begin{pmatrix}0.33\\\\0.2\\end{pmatrix}", "\\begin{pmatrix}\\frac{1}{3}\\\\\\frac{1}{5}\\end{pmatrix}", Verdict.Incorrect, 2, Verdict.Correct)]
    [InlineData("(0.6,2.6667]", "(\\frac{3}{5},\\frac{8}{3}]", Verdict.Incorrect, 2, Verdict.Correct)]
    [InlineData("\\frac{1}{3}", "\\frac{33}{100}", Verdict.Incorrect, 2, Verdict.Incorrect)] // no decimal written: exact
    public void DecimalRounding(string pred, string gold, Verdict byDefault, int places, Verdict rounded)
    {
        Assert.Null(VerifyOptions.Default.DecimalRounding);
        Check(pred, gold, byDefault, Answers with { DecimalRounding = places }, rounded);
    }

    [Theory]
    [InlineData("f(y)", "f(x)", Verdict.Incorrect, Verdict.Correct)]
    [InlineData("a^2+2b", "x^2+2y", Verdict.Incorrect, Verdict.Correct)]
    [InlineData("y+1", "x+2", Verdict.Incorrect, Verdict.Incorrect)]
    [InlineData("x+y", "x+1", Verdict.Incorrect, Verdict.Incorrect)] // different number of variables
    public void Strict(string pred, string gold, Verdict strict, Verdict notStrict)
    {
        Assert.True(VerifyOptions.Default.Strict);
        Check(pred, gold, strict, Answers with { Strict = false }, notStrict);
    }

    [Theory]
    [InlineData("4, 10, -2", "10, 4, -2", Verdict.Correct, Verdict.Incorrect)]
    [InlineData("4, .1, 2", "0.1, 4, 2", Verdict.Correct, Verdict.Incorrect)]
    [InlineData("4, .1, 2", "4, 0.1, 2", Verdict.Correct, Verdict.Correct)]
    [InlineData("\\{1, 2\\}", "\\{2, 1\\}", Verdict.Correct, Verdict.Correct)] // sets stay unordered
    public void OrderedLists(string pred, string gold, Verdict unordered, Verdict ordered)
    {
        Assert.False(VerifyOptions.Default.OrderedLists);
        Check(pred, gold, unordered, Answers with { OrderedLists = true }, ordered);
    }

    [Theory]
    [InlineData("-2 \\le x \\le 7", "x \\in [-2,7]", Verdict.Correct, Verdict.Incorrect)]
    [InlineData("x \\in [-2,7]", "-2 \\le x \\le 7", Verdict.Correct, Verdict.Correct)] // set answer, gold relation
    [InlineData("(0,1)", "0<f(x)<1", Verdict.Correct, Verdict.Correct)]
    [InlineData("x \\ge 5", "[5, \\infty)", Verdict.Correct, Verdict.Incorrect)]
    public void AllowSetRelationComparison(string pred, string gold, Verdict allowed, Verdict off)
    {
        Assert.True(VerifyOptions.Default.AllowSetRelationComparison);
        Check(pred, gold, allowed, Answers with { AllowSetRelationComparison = false }, off);
    }

    [Fact]
    public void RowOptionsMapOntoVerifyOptions()
    {
        var row = new LabelledCase(1, "t", "p", "g", true, "math_verify.compare_strings", false,
            Strict: false, Precision: 4, AllowSetRelationComparison: false);
        var o = CaseModes.OptionsFor(row, VerifyOptions.Default);
        Assert.Equal((false, 4, false, false), (o.Strict, o.DecimalRounding, o.AllowSetRelationComparison, o.OrderedLists));
        var math = CaseModes.OptionsFor(new LabelledCase(1, "t", "p", "g", true, "hendrycks.is_equiv", false), VerifyOptions.Default);
        Assert.Equal((true, (int?)null, true, true, AnswerSource.Answer), (math.Strict, math.DecimalRounding, math.AllowSetRelationComparison, math.OrderedLists, math.Prediction));
        Assert.Equal(VerifyOptions.Default, CaseModes.OptionsFor(new LabelledCase(1, "t", "p", "g", true, null, false), VerifyOptions.Default));
    }

    // Issue 18: the conventions a user may want the other way, each with its default and its switch.
    [Theory]
    [InlineData("\\angle PQR = 40^\\circ", "40", Verdict.Correct, Verdict.Incorrect)]
    [InlineData("m+n = 9", "9", Verdict.Correct, Verdict.Incorrect)]
    [InlineData("x = 9", "9", Verdict.Correct, Verdict.Correct)]        // a plain name is always a label
    [InlineData("x+y = 9", "9", Verdict.Incorrect, Verdict.Incorrect)]
    public void LabelledAnswers(string pred, string gold, Verdict byDefault, Verdict withoutLabels)
    {
        Assert.True(VerifyOptions.Default.LabelledAnswers);
        Check(pred, gold, byDefault, Answers with { LabelledAnswers = false }, withoutLabels);
    }

    [Theory]
    [InlineData("seven", "7", Verdict.Correct, Verdict.Incorrect)]
    [InlineData("one half", "\\frac{1}{2}", Verdict.Correct, Verdict.Incorrect)]
    [InlineData("seven", "\\text{Seven}", Verdict.Correct, Verdict.Correct)]  // as text, still the same word
    [InlineData("seven", "8", Verdict.Incorrect, Verdict.Incorrect)]
    public void NumberWords(string pred, string gold, Verdict byDefault, Verdict withoutWords)
    {
        Assert.True(VerifyOptions.Default.NumberWords);
        Check(pred, gold, byDefault, Answers with { NumberWords = false }, withoutWords);
    }

    [Theory]
    [InlineData("\\textbf{(C) }15", "C", Verdict.Correct, Verdict.Incorrect)]
    [InlineData("15", "\\textbf{(C) }15", Verdict.Correct, Verdict.Incorrect)]
    [InlineData("(C)", "C", Verdict.Correct, Verdict.Correct)]  // a bracketed letter is still the letter
    [InlineData("(B)", "\\textbf{(C) }15", Verdict.Incorrect, Verdict.Incorrect)]
    public void MultipleChoice(string pred, string gold, Verdict byDefault, Verdict withoutChoices)
    {
        Assert.True(VerifyOptions.Default.MultipleChoice);
        Check(pred, gold, byDefault, Answers with { MultipleChoice = false }, withoutChoices);
    }

    [Theory]
    // pred, gold, verdict by default (Either), with Fraction, with Number
    [InlineData("50\\%", "0.5", Verdict.Correct, Verdict.Correct, Verdict.Incorrect)]
    [InlineData("50\\%", "50", Verdict.Correct, Verdict.Incorrect, Verdict.Correct)]
    [InlineData("66\\frac{2}{3}\\%", "\\frac{2}{3}", Verdict.Correct, Verdict.Correct, Verdict.Incorrect)]
    [InlineData("50\\%", "0.5\\%", Verdict.Incorrect, Verdict.Incorrect, Verdict.Incorrect)] // a sign on both sides: read alike
    [InlineData("50\\%", "50\\%", Verdict.Correct, Verdict.Correct, Verdict.Correct)]
    [InlineData("90^\\circ", "90", Verdict.Correct, Verdict.Correct, Verdict.Correct)]        // degrees are not percents
    public void Percent(string pred, string gold, Verdict byDefault, Verdict asFraction, Verdict asNumber)
    {
        Assert.Equal(PercentReading.Either, VerifyOptions.Default.Percent);
        Check(pred, gold, byDefault, Answers with { Percent = PercentReading.Fraction }, asFraction);
        Check(pred, gold, byDefault, Answers with { Percent = PercentReading.Number }, asNumber);
    }
}

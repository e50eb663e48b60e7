// Table-driven tests of AnswerExtractor: each extraction rule, its priority, and the fallback switch.
using ReasonRL.Verifier;

namespace ReasonRL.Verifier.Tests;

public class ExtractionTests
{
    [Theory]
    [InlineData("So the result is \\boxed{\\frac{1}{2}}.", "\\frac{1}{2}")]
    [InlineData("nested \\boxed{\\frac{\\sqrt{2}}{2}} done", "\\frac{\\sqrt{2}}{2}")]
    [InlineData("first \\boxed{1} then \\boxed{7}", "7")]
    [InlineData("\\fbox{42}", "42")]
    [InlineData("thus \\boxed 5 and done", "5")]
    [InlineData("roots: $\\boxed{2}$ and $\\boxed{3}$", "2, 3")]
    [InlineData("\\boxed{1},\\boxed{2},\\boxed{3}", "1, 2, 3")]
    [InlineData("\\boxed{1} no no no \\boxed{2}", "2")]
    [InlineData("Step 1: 2+2=4.\nThe answer is 4", "4")]
    [InlineData("Final Answer: The final answer is $14{,}916$. I hope it is correct.", "14{,}916")]
    [InlineData("blah\n#### 2000", "2000")]
    [InlineData("He has 5 apples.\nA: 19", "19")]
    [InlineData("Therefore $x \\geq 5$ is the solution.", "x \\geq 5")]
    [InlineData("28 percent", "28 percent")]
    [InlineData("so the number is 10 which is 1,000.99 dollars in total after all", "1,000.99")]
    [InlineData("... \\boxed{255} later. Final Answer: The final answer is $10,455$. I hope it is correct.", "10,455")]
    [InlineData("Final Answer: The largest $n$ is 34.", "34")]
    // Issue 18, kind 7: a correction after the answer, scientific notation as one number.
    [InlineData("So the answer is 9, not 4.", "9")]
    [InlineData("The answer is not 4, it is $9$.", "9")]
    [InlineData("the answer is 12 rather than 21", "12")]
    [InlineData("So the answer is that it is not possible.", "not possible")]   // words are not a corrected value
    [InlineData("Avogadro gives about 6.02 x 10^23 particles per mole, and we keep that as the count here", "6.02\\times 10^{23}")]
    [InlineData("so the concentration came out as 3.1 \\cdot 10^{-4} moles per litre in the final mixture", "3.1\\times 10^{-4}")]
    [InlineData("we add it all up: so we get 16 at first, then two more arrive, therefore 18 cookies", "18")]
    [InlineData("in the year 210^2 is what we squared and later wrote it all down as the total one more time", "2")]
    public void ExtractsTheFinalAnswer(string solution, string expected)
    {
        var e = AnswerExtractor.Extract(solution, AnswerSource.Solution, VerifyOptions.Default);
        Assert.Equal(expected, e.Answer);
    }

    // Issue 18, kind 7 end to end: each extraction gives the concluding value, and its twin (the
    // corrected or intermediate value, the exponent alone) stays Incorrect.
    [Theory]
    [InlineData("So the answer is 9, not 4.", "9", Verdict.Correct)]
    [InlineData("So the answer is 9, not 4.", "4", Verdict.Incorrect)]
    [InlineData("The answer is not 4, it is $9$.", "9", Verdict.Correct)]
    [InlineData("The answer is not 4, it is $9$.", "4", Verdict.Incorrect)]
    [InlineData("The answer is $9$ (not 4).", "9", Verdict.Correct)]
    [InlineData("The answer is $9$ (not 4).", "4", Verdict.Incorrect)]
    [InlineData("She bakes 12 and buys 6 more. Therefore she has 18 cookies, 2 more than the 16 she had.", "18", Verdict.Correct)]
    [InlineData("She bakes 12 and buys 6 more. Therefore she has 18 cookies, 2 more than the 16 she had.", "16", Verdict.Incorrect)]
    [InlineData("Each box holds 4 pens. Thus the total is 3 * 4 = 12 pens for the 3 boxes.", "12", Verdict.Correct)]
    [InlineData("Each box holds 4 pens. Thus the total is 3 * 4 = 12 pens for the 3 boxes.", "3", Verdict.Incorrect)]
    [InlineData("Avogadro gives about 6.02 x 10^23 particles per mole, and we keep that as the count here", "6.02\\times10^{23}", Verdict.Correct)]
    [InlineData("Avogadro gives about 6.02 x 10^23 particles per mole, and we keep that as the count here", "23", Verdict.Incorrect)]
    [InlineData("so the concentration came out as 3.1 \\cdot 10^{-4} moles per litre in the final mixture", "0.00031", Verdict.Correct)]
    [InlineData("so the concentration came out as 3.1 \\cdot 10^{-4} moles per litre in the final mixture", "-4", Verdict.Incorrect)]
    [InlineData("we add it all up: so we get 16 at first, then two more arrive, therefore 18 cookies", "18", Verdict.Correct)]
    [InlineData("we add it all up: so we get 16 at first, then two more arrive, therefore 18 cookies", "16", Verdict.Incorrect)]
    public void ExtractedAnswerIsGraded(string solution, string gold, Verdict expected) =>
        Assert.Equal(expected, MathVerifier.Verify(solution, gold).Verdict);

    [Fact]
    public void LastNumberFallbackCanBeTurnedOff()
    {
        const string text = "we computed many things and eventually got 17 apples in the end of the long story";
        Assert.Equal("17", AnswerExtractor.Extract(text, AnswerSource.Solution, VerifyOptions.Default).Answer);
        var off = VerifyOptions.Default with { FallbackToLastNumber = false };
        Assert.Null(AnswerExtractor.Extract(text, AnswerSource.Solution, off).Answer);
    }

    [Theory]
    [InlineData("7", "7")]
    [InlineData("$\\frac{1}{2}$", "\\frac{1}{2}")]
    [InlineData("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72", "72")]
    public void GoldIsExtractedOnlyWhenItIsASolution(string gold, string expected) =>
        Assert.Equal(expected, AnswerExtractor.Extract(gold, AnswerSource.Auto, VerifyOptions.Default).Answer);

    [Fact]
    public void AnswerSourceAnswerTakesTheStringAsIs() =>
        Assert.Equal("1, 2", AnswerExtractor.Extract("$1, 2$", AnswerSource.Answer, VerifyOptions.Default).Answer);

    [Fact]
    public void MegabyteSolutionIsScannedQuickly()
    {
        var text = new string('x', 1 << 20) + " answer is \\boxed{12}";
        var e = AnswerExtractor.Extract(text, AnswerSource.Solution, VerifyOptions.Default);
        Assert.Equal("12", e.Answer);
        // Quickly = in work linear in the length, one step per 64 characters scanned (deterministic, unlike a
        // millisecond bound on a loaded machine): ~16,400 steps for the whole call, a twelfth of the budget.
        var r = MathVerifier.Verify(text, "12");
        Assert.Equal(Verdict.Correct, r.Verdict);
        Assert.InRange(r.WorkSpent, text.Length / 64, text.Length / 64 + 1_000);
    }

    // Issue 18, kind 7, third review: whole solutions graded through extraction — "answer should/would/must/will
    // be", a correction after "instead of" / "rather than" / "(not …)", scientific notation (× 10^, e-3) as one number, the
    // concluding "therefore" sentence, inline math blocks joined by "and" / "or" / commas as one list; each twin is
    // the discarded number (or the list's missing or extra item).
    [Theory]
    [InlineData("The answer is $6.02\\times10^{23}$.", "6.02\\times10^{23}", Verdict.Correct)]
    [InlineData("The answer is $6.02\\times10^{23}$.", "23", Verdict.Incorrect)]
    [InlineData("Thus the probability is $3.1 \\cdot 10^{-4}$.", "0.00031", Verdict.Correct)]
    [InlineData("Thus the probability is $3.1 \\cdot 10^{-4}$.", "-4", Verdict.Incorrect)]
    [InlineData("So we get 16 cookies for Anna. She bakes 2 more, therefore 18 cookies.", "18", Verdict.Correct)]
    [InlineData("So we get 16 cookies for Anna. She bakes 2 more, therefore 18 cookies.", "16", Verdict.Incorrect)]
    [InlineData("The speed is 3 \\times 10^8 m/s.", "300000000", Verdict.Correct)]
    [InlineData("The speed is 3 \\times 10^8 m/s.", "8", Verdict.Incorrect)]
    [InlineData("The answer should be 9, not 4 as I first thought.", "9", Verdict.Correct)]
    [InlineData("The answer should be 9, not 4 as I first thought.", "4", Verdict.Incorrect)]
    [InlineData("The answer would be $\\frac{3}{4}$.", "\\frac{3}{4}", Verdict.Correct)]
    [InlineData("The answer would be $\\frac{3}{4}$.", "4", Verdict.Incorrect)]
    [InlineData("The answer is 9 instead of 4.", "9", Verdict.Correct)]
    [InlineData("The answer is 9 instead of 4.", "4", Verdict.Incorrect)]
    [InlineData("The answer must be 12, rather than 21.", "12", Verdict.Correct)]
    [InlineData("The answer must be 12, rather than 21.", "21", Verdict.Incorrect)]
    [InlineData("The answer is not 4 but 9.", "9", Verdict.Correct)]
    [InlineData("The answer is not 4 but 9.", "4", Verdict.Incorrect)]
    [InlineData("The answer is 9 (not 4).", "9", Verdict.Correct)]
    [InlineData("The answer is 9 (not 4).", "4", Verdict.Incorrect)]
    [InlineData("We compute 6 + 10 = 16. Adding two more, therefore 18 cookies.", "18", Verdict.Correct)]
    [InlineData("We compute 6 + 10 = 16. Adding two more, therefore 18 cookies.", "16", Verdict.Incorrect)]
    [InlineData("So the area is 1.2 \\times 10^{5} square meters.", "120000", Verdict.Correct)]
    [InlineData("So the area is 1.2 \\times 10^{5} square meters.", "5", Verdict.Incorrect)]
    [InlineData("The answer is (C).", "C", Verdict.Correct)]
    [InlineData("The answer is (C).", "B", Verdict.Incorrect)]
    [InlineData("The answer will be 5 meters.", "5", Verdict.Correct)]
    [InlineData("The answer will be 5 meters.", "6", Verdict.Incorrect)]
    [InlineData("The answer is 9 instead of 4.", "9, 4", Verdict.Incorrect)]
    [InlineData("The solutions are $x = -3$ and $x = 1$.", "1, -3", Verdict.Correct)]
    [InlineData("The solutions are $x = -3$ and $x = 1$.", "1", Verdict.Incorrect)]
    [InlineData("We have $x = 2$ and $y = 3$.", "(2, 3)", Verdict.Correct)]
    [InlineData("We have $x = 2$ and $y = 3$.", "(3, 2)", Verdict.Incorrect)]
    [InlineData("The roots are $2$, $5$, and $7$.", "2, 5, 7", Verdict.Correct)]
    [InlineData("The roots are $2$, $5$, and $7$.", "2, 5", Verdict.Incorrect)]
    [InlineData("Since $a = 3$ and $b = 4$, the hypotenuse is $5$.", "5", Verdict.Correct)]
    [InlineData("Since $a = 3$ and $b = 4$, the hypotenuse is $5$.", "3, 4, 5", Verdict.Incorrect)]
    [InlineData("Thus, the mass is 2.5e-3 kg.", "0.0025", Verdict.Correct)]
    [InlineData("Thus, the mass is 2.5e-3 kg.", "3", Verdict.Incorrect)]
    [InlineData("Thus, the mass is 2.5e-3 kg.", "2.5", Verdict.Incorrect)]
    [InlineData("The rate is about 1.2E+5 per second", "120000", Verdict.Correct)]
    [InlineData("The rate is about 1.2E+5 per second", "5", Verdict.Incorrect)]
    [InlineData("We got 3e8 overall", "300000000", Verdict.Correct)]
    [InlineData("We got 3e8 overall", "8", Verdict.Incorrect)]
    public void ProseAnchorsAndCorrections(string solution, string gold, Verdict expected) =>
        Assert.Equal(expected, MathVerifier.Verify(solution, gold, FuzzTests.WorkOnly).Verdict);
}

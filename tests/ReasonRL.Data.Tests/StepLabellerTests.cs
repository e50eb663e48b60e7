// Tests of the lab's step labeller: a table of single-line cases for every label and reason, whole
// responses (garbage, unicode, empty, CRLF, no trailing newline, truncation), gold and SFT solutions
// of generated problems, and a fuzz test that it never throws.
using ReasonRL.Data.Lab;
using ReasonRL.Verifier;

namespace ReasonRL.Data.Tests;

public sealed class StepLabellerTests
{
    // Given numbers: 12, 7, 5, 3.
    private const string Question = "Tom has 12 apples. He buys 7 more, then gives away 5, then ends up with 3 times as many. How many apples does he have?";
    private const int Gold = 42;
    private const string Answer = "The answer is \\boxed{42}";

    public static TheoryData<string, StepLabel, StepReason> SecondLineCases() => new()
    {
        // After the first line `12 + 7 = 19`, the second line is labelled as follows.
        { "19 - 5 = 14", StepLabel.Correct, StepReason.Progress },
        { "  19-5=14  ", StepLabel.Correct, StepReason.Progress },
        { "19 - 5 = 15", StepLabel.Incorrect, StepReason.WrongArithmetic },
        { "19 / 5 = 3", StepLabel.Incorrect, StepReason.WrongArithmetic },
        { "19 / 0 = 0", StepLabel.Incorrect, StepReason.WrongArithmetic },
        { "19 = 20", StepLabel.Incorrect, StepReason.WrongArithmetic },
        { "20 - 6 = 14", StepLabel.Incorrect, StepReason.UnknownOperand },
        { "99 = 99", StepLabel.Incorrect, StepReason.UnknownOperand },
        { "19 = 19", StepLabel.Unnecessary, StepReason.Restatement },
        { "12 = 12", StepLabel.Unnecessary, StepReason.Restatement },
        { "12 + 7 = 19", StepLabel.Unnecessary, StepReason.Repeat },
        { "7 + 12 = 19", StepLabel.Unnecessary, StepReason.Repeat },
        { "19 - 7 = 12", StepLabel.Unnecessary, StepReason.KnownResult },
        { "12 - 5 = 7", StepLabel.Unnecessary, StepReason.KnownResult },
        { "19 - 12 = 7", StepLabel.Unnecessary, StepReason.KnownResult },
        { "So he has 14.", StepLabel.Incorrect, StepReason.Unparsable },
        { "19 - 5 = 14 apples", StepLabel.Incorrect, StepReason.Unparsable },
        { "19 - 5 - 0 = 14", StepLabel.Incorrect, StepReason.Unparsable },
        { "-3 + 5 = 2", StepLabel.Incorrect, StepReason.Unparsable },
        { "١٩ - 5 = 14", StepLabel.Incorrect, StepReason.Unparsable },
        { "19 − 5 = 14", StepLabel.Incorrect, StepReason.Unparsable }, // U+2212 minus sign
        { "1234567890123456789 + 1 = 1234567890123456790", StepLabel.Incorrect, StepReason.Unparsable },
        { "999999999999999999 * 999999999999999999 = 1", StepLabel.Incorrect, StepReason.WrongArithmetic },
        { "🙂🙂🙂", StepLabel.Incorrect, StepReason.Unparsable },
    };

    [Theory]
    [MemberData(nameof(SecondLineCases))]
    public void SecondLineIsLabelled(string line, StepLabel label, StepReason reason)
    {
        var result = StepLabeller.Label(Question, Gold, "12 + 7 = 19\n" + line + "\n" + Answer);
        var second = result.Lines[1];
        Assert.Equal((label, reason), (second.Label, second.Reason));
        Assert.Equal(line, second.Text);
        Assert.False(second.IsFinalAnswer);
    }

    [Fact]
    public void GoldChainIsAllCorrectAndFinalVerifies()
    {
        var r = StepLabeller.Label(Question, Gold, "12 + 7 = 19\n19 - 5 = 14\n14 * 3 = 42\n" + Answer);
        Assert.Equal([StepReason.Progress, StepReason.Progress, StepReason.Progress, StepReason.FinalCorrect], r.Lines.Select(l => l.Reason));
        Assert.Equal((3, 3, 0, 0, 0), (r.StepCount, r.CorrectCount, r.UnnecessaryCount, r.IncorrectCount, r.RepeatedStepCount));
        Assert.Equal(Verdict.Correct, r.FinalVerdict);
        Assert.True(r.IsCorrect);
        Assert.False(r.IsTruncated);
        Assert.True(r.Lines[^1].IsFinalAnswer);
    }

    [Fact]
    public void AnotherValidRouteIsAlsoCorrect()
    {
        // Not the gold chain: combine the two given changes first, then apply them; both lines use only
        // given numbers or earlier results and both are needed for the answer.
        var r = StepLabeller.Label(Question, Gold, "7 - 5 = 2\n12 + 2 = 14\n3 * 14 = 42\n" + Answer);
        Assert.Equal([StepLabel.Correct, StepLabel.Correct, StepLabel.Correct, StepLabel.Correct], r.Lines.Select(l => l.Label));
    }

    [Fact]
    public void ChecksAndRepeatsBetweenGoldLinesAreUnnecessaryAndCounted()
    {
        var r = StepLabeller.Label(Question, Gold,
            "12 + 7 = 19\n19 - 7 = 12\n19 - 5 = 14\n14 = 14\n12 + 7 = 19\n14 * 3 = 42\n42 / 3 = 14\n" + Answer);
        Assert.Equal(
            [StepLabel.Correct, StepLabel.Unnecessary, StepLabel.Correct, StepLabel.Unnecessary, StepLabel.Unnecessary, StepLabel.Correct, StepLabel.Unnecessary, StepLabel.Correct],
            r.Lines.Select(l => l.Label));
        Assert.Equal((7, 3, 4, 0, 1), (r.StepCount, r.CorrectCount, r.UnnecessaryCount, r.IncorrectCount, r.RepeatedStepCount));
        Assert.Equal(4.0 / 7, r.UnnecessaryRate, 12);
        Assert.Equal(1.0 / 7, r.RepeatedStepRate, 12);
    }

    [Fact]
    public void NewQuantityNothingUsesIsADeadEnd()
    {
        var r = StepLabeller.Label(Question, Gold, "12 + 7 = 19\n12 * 3 = 36\n19 - 5 = 14\n14 * 3 = 42\n" + Answer);
        Assert.Equal(StepReason.DeadEnd, r.Lines[1].Reason);
        Assert.Equal(StepLabel.Unnecessary, r.Lines[1].Label);
        Assert.Equal(3, r.CorrectCount);
    }

    [Fact]
    public void ErrorsPropagateToLinesThatUseAWrongResult()
    {
        var r = StepLabeller.Label(Question, Gold, "12 + 7 = 20\n20 - 5 = 15\n15 * 3 = 45\nThe answer is \\boxed{45}");
        Assert.Equal(
            [StepReason.WrongArithmetic, StepReason.UnknownOperand, StepReason.UnknownOperand, StepReason.FinalIncorrect],
            r.Lines.Select(l => l.Reason));
        Assert.Equal(Verdict.Incorrect, r.FinalVerdict);
        Assert.Equal(3, r.IncorrectCount);
    }

    [Fact]
    public void WrongBoxedNumberDoesNotTurnTheComputationIntoDeadEnds()
    {
        var r = StepLabeller.Label(Question, Gold, "12 + 7 = 19\n19 - 5 = 14\nThe answer is \\boxed{14}");
        Assert.Equal([StepLabel.Correct, StepLabel.Correct, StepLabel.Incorrect], r.Lines.Select(l => l.Label));
        var r2 = StepLabeller.Label(Question, Gold, "12 + 7 = 19\n19 - 5 = 14\nThe answer is \\boxed{77}");
        Assert.Equal([StepLabel.Correct, StepLabel.Correct, StepLabel.Incorrect], r2.Lines.Select(l => l.Label));
        var r3 = StepLabeller.Label(Question, Gold, "12 + 7 = 19\n19 - 5 = 14\nThe answer is \\boxed{12}"); // a given number
        Assert.Equal([StepLabel.Correct, StepLabel.Correct, StepLabel.Incorrect], r3.Lines.Select(l => l.Label));
    }

    [Fact]
    public void BoxedEarlierResultMakesLaterQuantitiesDeadEnds()
    {
        var r = StepLabeller.Label(Question, 19, "12 + 7 = 19\n19 - 5 = 14\nThe answer is \\boxed{19}");
        Assert.Equal([StepReason.Progress, StepReason.DeadEnd, StepReason.FinalCorrect], r.Lines.Select(l => l.Reason));
    }

    [Fact]
    public void TruncatedResponseHasNoVerdictAndItsLastQuantityCounts()
    {
        var r = StepLabeller.Label(Question, Gold, "12 + 7 = 19\n19 - 5 = 14\n14 * 3 = 4");
        Assert.True(r.IsTruncated);
        Assert.Null(r.FinalVerdict);
        Assert.False(r.IsCorrect);
        Assert.Equal([StepReason.Progress, StepReason.Progress, StepReason.WrongArithmetic], r.Lines.Select(l => l.Reason));
    }

    [Fact]
    public void EmptyAndBlankResponsesAreTruncatedWithNoSteps()
    {
        foreach (var text in new[] { "", "\n", "   \n\t\n\r\n" })
        {
            var r = StepLabeller.Label(Question, Gold, text);
            Assert.Empty(r.Lines);
            Assert.Equal(0, r.StepCount);
            Assert.True(r.IsTruncated);
            Assert.Equal(0, r.UnnecessaryRate);
        }
    }

    [Fact]
    public void SpansPointIntoTheResponseWithCrLfAndBlankLines()
    {
        const string text = "12 + 7 = 19\r\n\r\n19 - 5 = 14\r\n14 * 3 = 42\n" + Answer + "\r\n";
        var r = StepLabeller.Label(Question, Gold, text);
        Assert.Equal(4, r.Lines.Count);
        Assert.Equal([0, 2, 3, 4], r.Lines.Select(l => l.LineIndex));
        foreach (var line in r.Lines)
        {
            Assert.Equal(line.Text, text.Substring(line.Start, line.Length));
            Assert.DoesNotContain('\r', line.Text);
        }
        Assert.True(r.IsCorrect);
        Assert.Equal(3, r.CorrectCount);
    }

    [Fact]
    public void LastLineWithoutNewlineAndLinesAfterTheAnswer()
    {
        var r = StepLabeller.Label(Question, Gold, "12 + 7 = 19\n19 - 5 = 14\n14 * 3 = 42\n" + Answer + "\n42 = 42\n" + Answer);
        Assert.Equal(1, r.Lines.Count(l => l.IsFinalAnswer)); // only the first \boxed line is the final answer
        Assert.Equal(StepReason.Restatement, r.Lines[4].Reason);
        Assert.Equal(StepReason.Unparsable, r.Lines[5].Reason);
        Assert.Equal(5, r.StepCount);
    }

    [Fact]
    public void UnparsableRepeatsCountAsRepeated()
    {
        var r = StepLabeller.Label(Question, Gold, "blah\n blah \nblah");
        Assert.Equal(2, r.RepeatedStepCount);
        Assert.Equal(3, r.IncorrectCount);
    }

    [Fact]
    public void GoldSolutionsLabelAllCorrectAndSftExtrasLabelUnnecessary()
    {
        var options = LabTaskOptions.Default with { Seed = 3, UnnecessaryLineShare = 0.5 };
        var problems = new LabTaskGenerator(options).Generate(LabSplit.Train, 400)
            .Concat(new LabTaskGenerator(options).Generate(LabSplit.Test, 100));
        foreach (var p in problems)
        {
            var gold = StepLabeller.Label(p, p.GoldSolution);
            Assert.True(gold.Lines.All(l => l.Label == StepLabel.Correct), p.Question + "\n" + p.GoldSolution + "\n" + string.Join(",", gold.Lines.Select(l => l.Reason)));
            Assert.Equal(p.OperationCount, gold.CorrectCount);
            Assert.Equal(Verdict.Correct, gold.FinalVerdict);

            var sft = StepLabeller.Label(p, p.SftSolution);
            Assert.Equal(p.OperationCount, sft.CorrectCount);
            Assert.Equal(p.UnnecessaryLineCount, sft.UnnecessaryCount);
            Assert.Equal(0, sft.IncorrectCount);
            Assert.True(sft.IsCorrect);
        }
    }

    /// <summary>A problem with the given question and operations; its gold solution is one line per operation.</summary>
    private static ArithmeticProblem Problem(string question, params ArithmeticStep[] operations)
    {
        var gold = (int)operations[^1].Result;
        var solution = string.Join("\n", operations.Select(o => o.ToString()).Append(LabTask.AnswerLine(gold)));
        return new ArithmeticProblem
        {
            Id = "t-0", Question = question, Gold = gold, Start = operations[0].Left, Operations = operations, GoldSolution = solution,
            SftSolution = solution, UnnecessaryLineCount = 0, CanonicalForm = "t", Split = LabSplit.Train,
        };
    }

    // 6 * 2 = 12, 12 * 2 = 24
    private static ArithmeticProblem TwoDoublings() => Problem(
        "Ann has 6 books. She ends up with 2 times as many, then ends up with 2 times as many. How many books does she have?",
        ArithmeticStep.Exact(6, ArithmeticOperator.Multiply, 2), ArithmeticStep.Exact(12, ArithmeticOperator.Multiply, 2));

    // 7 - 1 = 6, 6 * 2 = 12
    private static ArithmeticProblem SellThenDouble() => Problem(
        "Mia has 7 apples. She sells 1, then ends up with 2 times as many. How many apples does she have?",
        ArithmeticStep.Exact(7, ArithmeticOperator.Subtract, 1), ArithmeticStep.Exact(6, ArithmeticOperator.Multiply, 2));

    [Fact]
    public void AnExtraOperationTheQuestionDoesNotState_IsIncorrect_WhenTheAnswerIsWrong()
    {
        // seen from raw-PRM policies: one more operation on a number of the question after the last stated one
        var r = StepLabeller.Label(TwoDoublings(), "6 * 2 = 12\n12 * 2 = 24\n24 - 2 = 22\nThe answer is \\boxed{22}");
        Assert.Equal([StepReason.Progress, StepReason.Progress, StepReason.UnstatedOperation, StepReason.FinalIncorrect], r.Lines.Select(l => l.Reason));
        Assert.Equal(StepLabel.Incorrect, r.Lines[2].Label);
        Assert.Equal((2, 0, 1), (r.CorrectCount, r.UnnecessaryCount, r.IncorrectCount)); // the answer line is not counted
        // without the problem's operations (question and gold only) the line is progress, as before
        var plain = StepLabeller.Label(TwoDoublings().Question, 24, "6 * 2 = 12\n12 * 2 = 24\n24 - 2 = 22\nThe answer is \\boxed{22}");
        Assert.Equal(StepReason.Progress, plain.Lines[2].Reason);
    }

    [Fact]
    public void AStatedOperationAppliedTwice_IsIncorrect_AndSoIsTheLineBuiltOnIt()
    {
        var r = StepLabeller.Label(SellThenDouble(), "7 - 1 = 6\n6 - 1 = 5\n5 * 2 = 10\nThe answer is \\boxed{10}");
        Assert.Equal([StepReason.Progress, StepReason.UnstatedOperation, StepReason.UnstatedOperation, StepReason.FinalIncorrect], r.Lines.Select(l => l.Reason));
        // a run-on past the answer (truncated: no final line) is checked too
        var runOn = StepLabeller.Label(TwoDoublings(), "6 * 2 = 12\n12 * 2 = 24\n24 * 2 = 48\n48 * 2 = 96");
        Assert.True(runOn.IsTruncated);
        Assert.Equal([StepReason.Progress, StepReason.Progress, StepReason.UnstatedOperation, StepReason.UnstatedOperation], runOn.Lines.Select(l => l.Reason));
    }

    [Fact]
    public void ARightAnswer_KeepsEveryLineAsTheOtherRulesSay_AndStatedOperationsInAnyOrderPass()
    {
        var right = StepLabeller.Label(TwoDoublings(), "2 * 6 = 12\n12 * 2 = 24\n24 = 24\nThe answer is \\boxed{24}");
        Assert.Equal([StepReason.Progress, StepReason.Progress, StepReason.Restatement, StepReason.FinalCorrect], right.Lines.Select(l => l.Reason));
        // wrong answer, but every Progress line applies a stated operation (the error is the skipped one): no line flagged
        var skipped = StepLabeller.Label(SellThenDouble(), "7 * 2 = 14\nThe answer is \\boxed{14}");
        Assert.Equal([StepReason.Progress, StepReason.FinalIncorrect], skipped.Lines.Select(l => l.Reason));
    }

    [Fact]
    public void FuzzNeverThrowsAndCountsAddUp()
    {
        var rng = new Random(12345);
        const string pieces = "0123456789 +-*/=\n\r\\boxed{}The answer is é🙂\t\0١";
        for (int i = 0; i < 2000; i++)
        {
            int length = rng.Next(0, 200);
            var chars = new char[length];
            for (int j = 0; j < length; j++) chars[j] = rng.Next(10) == 0 ? (char)rng.Next(0, 0xFFFF) : pieces[rng.Next(pieces.Length)];
            var text = new string(chars);
            var r = StepLabeller.Label(Question, Gold, text);
            Assert.Equal(r.StepCount, r.CorrectCount + r.UnnecessaryCount + r.IncorrectCount);
            Assert.Equal(r.IsTruncated, r.FinalVerdict is null);
            Assert.All(r.Lines, l => Assert.Equal(l.Text, text.Substring(l.Start, l.Length)));
        }
        // One long line of digits and operators stays linear and labels Unparsable.
        var huge = StepLabeller.Label(Question, Gold, new string('1', 100_000) + " + 1 = 2");
        Assert.Equal(StepReason.Unparsable, huge.Lines.Single().Reason);
    }
}

public sealed class LabelSummaryTests
{
    [Fact]
    public void PoolsStepRatesAndCountsAnswers()
    {
        const string q = "Tom has 12 apples. He buys 7 more, then gives away 5. How many apples does he have?";
        var samples = new[]
        {
            StepLabeller.Label(q, 14, "12 + 7 = 19\n19 - 5 = 14\nThe answer is \\boxed{14}"),         // 2 correct
            StepLabeller.Label(q, 14, "12 + 7 = 19\n19 = 19\n12 + 7 = 19\n19 - 5 = 14\nThe answer is \\boxed{14}"), // 2 correct, 2 unnecessary (1 repeated)
            StepLabeller.Label(q, 14, "12 + 7 = 20\nblah"),                                        // truncated, 2 incorrect
        };
        var s = LabelSummary.Of(samples);
        Assert.Equal(3, s.SampleCount);
        Assert.Equal(2.0 / 3, s.Accuracy, 12);
        Assert.Equal(8.0 / 3, s.MeanSteps, 12);
        Assert.Equal(4.0 / 8, s.CorrectStepRate, 12);
        Assert.Equal(2.0 / 8, s.UnnecessaryStepRate, 12);
        Assert.Equal(2.0 / 8, s.IncorrectStepRate, 12);
        Assert.Equal(1.0 / 8, s.RepeatedStepRate, 12);
        Assert.Equal(1.0 / 3, s.TruncationRate, 12);
        Assert.Equal(0, LabelSummary.Of([]).Accuracy);
    }
}

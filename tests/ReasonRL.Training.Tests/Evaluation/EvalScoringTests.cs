// Pure parts of `reasonrl eval`: the unbiased pass@k estimator, the majority vote (verifier
// equivalence, tie-breaks), best-of-N aggregation on a hand-made PRM case where min, last and product
// each choose a different response, and the per-mode decisions built on them.
using ReasonRL.Training.Evaluation;

namespace ReasonRL.Training.Tests.Evaluation;

public sealed class EvalScoringTests
{
    private static EvalResponse R(string? answer, bool correct, double? rm = null, IReadOnlyList<double>? steps = null) =>
        new("text", 5, "stop", answer, correct ? EvalResponse.VerdictCorrect : EvalResponse.VerdictIncorrect, "r", rm, steps);

    [Theory]
    [InlineData(5, 2, 2, 0.7)]          // 1 − C(3,2)/C(5,2) = 1 − 3/10
    [InlineData(10, 3, 1, 0.3)]         // k = 1: c / n
    [InlineData(4, 0, 2, 0.0)]
    [InlineData(4, 3, 2, 1.0)]          // n − c = 1 < k: every 2-subset holds a correct one
    [InlineData(4, 1, 4, 1.0)]          // n = k: any correct
    [InlineData(4, 0, 4, 0.0)]
    [InlineData(20, 5, 4, 0.7182662538699690)]   // 1 − C(15,4)/C(20,4) = 1 − 1365/4845
    public void PassAtKIsTheUnbiasedEstimator(int n, int c, int k, double expected) =>
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 12);

    [Fact]
    public void PassAtKRejectsImpossibleCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(4, 5, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(4, 1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(0, 0, 1));
    }

    [Fact]
    public void MajorityVoteGroupsEquivalentAnswersWithTheVerifier()
    {
        // "0.5", "\frac{1}{2}" and "1/2" are one answer (3 votes) and beat "7" (2 votes); null does not vote
        var vote = MajorityVote.Vote(["7", "0.5", null, "\\frac{1}{2}", "7", "1/2"]);
        Assert.Equal(1, vote.Winner);
        Assert.Equal(3, vote.Votes);
        Assert.Equal([0, 1, -1, 1, 0, 1], vote.ClusterOf);
    }

    [Fact]
    public void MajorityVoteTieGoesToTheEarlierAnswerAndNoAnswerMeansNoWinner()
    {
        Assert.Equal(1, MajorityVote.Vote([null, "4", "5", "5", "4"]).Winner);
        var none = MajorityVote.Vote([null, " ", null]);
        Assert.Equal(-1, none.Winner);
        Assert.Equal(0, none.Votes);
    }

    // Hand-made PRM case: three responses' step scores.
    //   A [0.9, 0.2, 0.95]: min 0.2,  last 0.95, product 0.171
    //   B [0.6, 0.7, 0.65]: min 0.6,  last 0.65, product 0.273
    //   C [0.8, 0.85, 0.5]: min 0.5,  last 0.5,  product 0.34
    private static readonly double[][] HandMade = [[0.9, 0.2, 0.95], [0.6, 0.7, 0.65], [0.8, 0.85, 0.5]];

    [Theory]
    [InlineData(StepScoreAggregation.Min, 1, 0.6)]
    [InlineData(StepScoreAggregation.Last, 0, 0.95)]
    [InlineData(StepScoreAggregation.Product, 2, 0.34)]
    public void BestOfNOnTheHandMadeCase(StepScoreAggregation aggregation, int expectedChoice, double expectedScore)
    {
        var scores = HandMade.Select(s => BestOfN.Aggregate(s, aggregation)).ToArray();
        Assert.Equal(expectedChoice, BestOfN.Select(scores));
        Assert.Equal(expectedScore, scores[expectedChoice]!.Value, 12);
    }

    [Fact]
    public void BestOfNSkipsUnscoredResponsesAndBreaksTiesByOrder()
    {
        Assert.Null(BestOfN.Aggregate([], StepScoreAggregation.Min));
        Assert.Null(BestOfN.Aggregate([0.5, double.NaN], StepScoreAggregation.Product));
        Assert.Equal(2, BestOfN.Select([null, double.NaN, 0.3, 0.1]));
        Assert.Equal(1, BestOfN.Select([0.2, 0.7, 0.7]));
        Assert.Equal(-1, BestOfN.Select([null, null]));
    }

    [Fact]
    public void DecisionsPerMode()
    {
        // greedy: the one response's verdict
        Assert.Equal(1.0, EvalScoring.Decide(EvalMode.Greedy, [R("3", true)]).Score);
        Assert.Equal(0.0, EvalScoring.Decide(EvalMode.Greedy, [R("4", false)]).Score);

        // maj@5: "12" (incorrect) wins 3–2 over "10" (correct), so the question scores 0 though 2 responses are right
        var maj = EvalScoring.Decide(EvalMode.Parse("maj@5"), [R("10", true), R("12", false), R("12", false), R("10", true), R("12.0", false)]);
        Assert.Equal((1, "12", 3, 2, 0.0), (maj.Chosen, maj.ChosenAnswer, maj.Votes!.Value, maj.CorrectCount, maj.Score));

        // pass@2 over n = 4 with one correct: 1 − C(3,2)/C(4,2) = 0.5
        var pass = EvalScoring.Decide(EvalMode.Parse("pass@2"), [R("1", false), R("2", true), R("3", false), R("4", false)]);
        Assert.Equal((-1, 1, 0.5), (pass.Chosen, pass.CorrectCount, pass.Score));

        // bon@3 on the hand-made case with min: B is chosen; only B is correct → 1; with product C (incorrect) → 0
        EvalResponse[] Scored(StepScoreAggregation a) =>
            [.. HandMade.Select((s, i) => R($"{i}", i == 1, BestOfN.Aggregate(s, a), s))];
        var bonMin = EvalScoring.Decide(EvalMode.Parse("bon@3"), Scored(StepScoreAggregation.Min));
        Assert.Equal((1, "1", 1.0), (bonMin.Chosen, bonMin.ChosenAnswer, bonMin.Score));
        var bonProduct = EvalScoring.Decide(EvalMode.Parse("bon@3"), Scored(StepScoreAggregation.Product));
        Assert.Equal((2, 0.0), (bonProduct.Chosen, bonProduct.Score));
    }

    [Theory]
    [InlineData("greedy", EvalModeKind.Greedy, 1)]
    [InlineData("maj@8", EvalModeKind.MajorityAtK, 8)]
    [InlineData("PASS@1", EvalModeKind.PassAtK, 1)]
    [InlineData(" bon@16 ", EvalModeKind.BestOfK, 16)]
    public void ModesParseAndPrint(string text, EvalModeKind kind, int k)
    {
        var mode = EvalMode.Parse(text);
        Assert.Equal((kind, k), (mode.Kind, mode.K));
        Assert.Equal(mode, EvalMode.Parse(mode.ToString()));
    }

    [Theory]
    [InlineData("maj@0")]
    [InlineData("maj@")]
    [InlineData("best@4")]
    [InlineData("pass@-1")]
    public void BadModesAreRejectedWithTheAcceptedForms(string text) =>
        Assert.Contains("expected greedy, maj@k, pass@k or bon@k", Assert.Throws<ArgumentException>(() => EvalMode.Parse(text)).Message);

    [Fact]
    public void OptionsValidateTheirRanges()
    {
        Assert.Equal(8, new EvalOptions { Mode = EvalMode.Parse("pass@2"), PassSamples = 8 }.Validate().SamplesPerQuestion);
        Assert.Equal(4, new EvalOptions { Mode = EvalMode.Parse("maj@4") }.SamplesPerQuestion);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvalOptions { Mode = EvalMode.Parse("pass@4"), PassSamples = 2 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvalOptions { Mode = EvalMode.Parse("maj@4"), PassSamples = 8 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvalOptions { Mode = EvalMode.Parse("maj@4"), Temperature = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvalOptions { BatchSize = 0 }.Validate());
        new EvalOptions { Temperature = 0 }.Validate();   // greedy ignores the temperature
    }
}

// RewardModelExamples builds training examples with the exact tokens and positions the scoring sources
// use (RewardModelInputs), from the lab's PRM / ORM records.
using ReasonRL.Data.Lab;
using ReasonRL.Data.Records;
using ReasonRL.Rewards.Sources;
using ReasonRL.Text;
using ReasonRL.Training.RewardModels;
using Xunit;

namespace ReasonRL.Training.Tests.RewardModels;

public sealed class RewardModelExamplesTests
{
    private static readonly CharTokenizer Tok = new(LabTask.Alphabet);

    [Fact]
    public void PrmExampleReadsEachStepEndWithItsLabel()
    {
        var record = new PrmRecord("Tom has 3 apples.", ["3 + 4 = 7", "7 * 2 = 15", "The answer is \\boxed{15}"], [true, false, false]);
        var example = RewardModelExamples.FromRecord(Tok, record, groupId: "p1", responseCorrect: false);
        string response = "3 + 4 = 7\n7 * 2 = 15\nThe answer is \\boxed{15}";
        var (tokens, positions) = RewardModelInputs.ForSteps(Tok, LabTask.Prompt(record.Question), response,
            RewardModelInputs.JoinSteps(record.Steps).Steps);
        Assert.Equal(tokens, example.Tokens);
        Assert.Equal(positions, example.Positions);
        Assert.Equal([1f, 0f, 0f], example.Labels);
        Assert.Equal(["7", "5", "}"], example.Positions.Select(p => Tok.Decode([example.Tokens[p]])));
        Assert.Equal(("p1", false), (example.GroupId, example.ResponseCorrect));
        Assert.Throws<ArgumentException>(() => RewardModelExamples.FromSteps(Tok, "q\n", ["a"], [true, false]));
    }

    [Fact]
    public void OrmExampleReadsTheLastTokenAndGroupsByQuestion()
    {
        var example = RewardModelExamples.FromRecord(Tok, new OrmRecord("How many?", "1 + 1 = 2\nThe answer is \\boxed{2}", true));
        Assert.Equal([example.Tokens.Length - 1], example.Positions);
        Assert.Equal([1f], example.Labels);
        Assert.Equal(("How many?", (bool?)true), (example.GroupId, example.ResponseCorrect));
    }
}

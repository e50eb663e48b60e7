// Tests of the SFT/PRM/ORM builders, JSONL round trips through the source-generated context, and the
// prompt templates.
using ReasonRL.Data.Datasets;
using ReasonRL.Data.Lab;
using ReasonRL.Data.Records;

namespace ReasonRL.Data.Tests;

public sealed class RecordAndPromptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasonrl-records-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Question = "Tom has 12 apples. He buys 7 more, then gives away 5. How many apples does he have?";

    [Fact]
    public void PrmLabelsFollowTheUnnecessaryOption()
    {
        var labelled = StepLabeller.Label(Question, 14, "12 + 7 = 19\n19 - 7 = 12\n19 - 5 = 15\nThe answer is \\boxed{15}");
        var prm = RewardRecordBuilder.Prm(Question, labelled);
        Assert.Equal(["12 + 7 = 19", "19 - 7 = 12", "19 - 5 = 15", "The answer is \\boxed{15}"], prm.Steps);
        Assert.Equal([true, true, false, false], prm.Labels);

        var strict = RewardRecordBuilder.Prm(Question, labelled, new PrmLabelOptions { UnnecessaryIsPositive = false, IncludeFinalAnswerLine = false });
        Assert.Equal(["12 + 7 = 19", "19 - 7 = 12", "19 - 5 = 15"], strict.Steps);
        Assert.Equal([true, false, false], strict.Labels);

        Assert.False(RewardRecordBuilder.Orm(Question, labelled).Correct);
        var right = StepLabeller.Label(Question, 14, "12 + 7 = 19\n19 - 5 = 14\nThe answer is \\boxed{14}");
        var orm = RewardRecordBuilder.Orm(Question, right);
        Assert.True(orm.Correct);
        Assert.Equal(right.Response, orm.Response);
    }

    [Fact]
    public void SftPairsUseThePromptAndTheSftSolution()
    {
        var problems = new LabTaskGenerator(LabTaskOptions.Default with { UnnecessaryLineShare = 0.5 }).Generate(LabSplit.Train, 20);
        var sft = RewardRecordBuilder.Sft(problems).ToList();
        Assert.Equal(problems.Select(p => p.Question + "\n"), sft.Select(s => s.Prompt));
        Assert.Equal(problems.Select(p => p.SftSolution), sft.Select(s => s.Response));
        Assert.Contains(problems, p => p.UnnecessaryLineCount > 0);
    }

    [Theory]
    [InlineData("rows.jsonl")]
    [InlineData("rows.jsonl.gz")]
    public void JsonlRoundTripsAllRecordTypes(string name)
    {
        string path = Path.Combine(_dir, name);
        var prm = new[]
        {
            new PrmRecord("q1 é \"quoted\"", ["a", "b\nc"], [true, false]),
            new PrmRecord("q2", [], []),
        };
        JsonlFile.Write(path, prm, DataJsonContext.Default.PrmRecord);
        var back = JsonlFile.Read(path, DataJsonContext.Default.PrmRecord).ToList();
        Assert.Equal(2, back.Count);
        Assert.Equal(prm[0].Question, back[0].Question);
        Assert.Equal(prm[0].Steps, back[0].Steps);
        Assert.Equal(prm[0].Labels, back[0].Labels);
        Assert.Empty(back[1].Steps);
        Assert.False(File.Exists(path + ".tmp"));

        string orm = Path.Combine(_dir, "orm-" + name);
        JsonlFile.Write(orm, [new OrmRecord("q", "r", true)], DataJsonContext.Default.OrmRecord);
        Assert.Equal(new OrmRecord("q", "r", true), Assert.Single(JsonlFile.Read(orm, DataJsonContext.Default.OrmRecord)));

        string sft = Path.Combine(_dir, "sft-" + name);
        JsonlFile.Write(sft, [new SftExample("p\n", "r")], DataJsonContext.Default.SftExample);
        Assert.Equal(new SftExample("p\n", "r"), Assert.Single(JsonlFile.Read(sft, DataJsonContext.Default.SftExample)));
    }

    [Fact]
    public void PrmJsonUsesSnakeCaseFieldNames()
    {
        string path = Path.Combine(_dir, "prm.jsonl");
        JsonlFile.Write(path, [new PrmRecord("q", ["s"], [true])], DataJsonContext.Default.PrmRecord);
        Assert.Equal("{\"question\":\"q\",\"steps\":[\"s\"],\"labels\":[true]}\n", File.ReadAllText(path));
    }

    [Fact]
    public void ReadingAWrongRowNamesTheLineAndField()
    {
        string path = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllText(path, "{\"question\":\"q\",\"response\":\"r\",\"correct\":true}\n{\"question\":\"q\",\"response\":\"r\",\"correct\":\"yes\"}\n");
        var e = Assert.Throws<DatasetFormatException>(() => JsonlFile.Read(path, DataJsonContext.Default.OrmRecord).ToList());
        Assert.Equal((2L, "correct"), (e.Line, e.Field));

        File.WriteAllText(path, "{\"question\":\"q\",\"response\":\"r\"}\n");
        var missing = Assert.Throws<DatasetFormatException>(() => JsonlFile.Read(path, DataJsonContext.Default.OrmRecord).ToList());
        Assert.Equal(1L, missing.Line);
        Assert.Contains("correct", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FewShotPromptHasTheShotsThenTheQuestion()
    {
        var shots = new[] { new FewShotExample("1+1?", "2"), new FewShotExample(" 2+2? ", "4\n"), new FewShotExample("x", "y") };
        Assert.Equal("Question: 1+1?\nAnswer: 2\n\nQuestion: 2+2?\nAnswer: 4\n\nQuestion: 3+3?\nAnswer:", PromptTemplates.FewShot(shots, 2, "3+3?"));
        Assert.Equal("Question: 3+3?\nAnswer:", PromptTemplates.FewShot(shots, 0, "3+3?"));
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptTemplates.FewShot(shots, 4, "q"));
        Assert.Contains("\\boxed{}", PromptTemplates.QwenMathCotInstruction, StringComparison.Ordinal);
    }
}

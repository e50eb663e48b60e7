// `reasonrl eval` end to end on ../shared/data with the committed tiny fixture model
// (tests/Fixtures/tiny-qwen2-bpe: random weights, so accuracy is ~0 — these tests check the pipeline,
// not the model): output schema, every verdict reproducible from the stored response, and the summary
// (table and JSON) equal to what the per-question records imply. Plus `reasonrl generate` on the same
// fixture and argument errors.
using ReasonRL.Cli.Commands;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Tests;
using ReasonRL.Training.Evaluation;
using ReasonRL.Verifier;
using System.CommandLine;
using System.Text.Json;

namespace ReasonRL.Cli.Tests;

public sealed class EvalCommandTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(SharedData.RepoRoot, "tests", "Fixtures", "tiny-qwen2-bpe");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"reasonrl-evalcmd-{Guid.NewGuid():N}");

    public EvalCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [SharedDataTheory]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    [InlineData("gsm8k/test.jsonl", "gsm8k", "greedy")]
    [InlineData("math/test.jsonl", "math", "greedy")]
    [InlineData("math/test.jsonl", "math", "maj@3")]
    public void TwentyQuestionsEndToEndWithAConsistentSummary(string data, string format, string mode)
    {
        string outPath = Path.Combine(_dir, "results.jsonl");
        var (code, output, error) = Run("eval", "--model", Fixture, "--data", SharedData.PathOf("data/" + data), "--format", format,
            "--mode", mode, "--limit", "20", "--max-new-tokens", "24", "--batch", "16", "--out", outPath);
        Assert.True(code == 0, error + output);
        var records = EvalResultsFile.Read(outPath);
        Assert.Equal(Enumerable.Range(0, 20), records.Select(r => r.Index));
        int k = mode == "greedy" ? 1 : 3;
        foreach (var r in records)
        {
            Assert.Equal(mode, r.Mode);
            Assert.False(string.IsNullOrEmpty(r.Prompt));
            Assert.Contains(r.Question, r.Prompt, StringComparison.Ordinal);
            Assert.Equal(k, r.Responses.Count);
            Assert.Equal(format == "math", r.Subject is not null);
            foreach (var x in r.Responses)
            {
                Assert.InRange(x.Tokens, 1, 24);
                Assert.True(x.Finish == "length" || x.Finish == "stop");
                // the stored verdict and answer are what the verifier says about the stored text
                var again = MathVerifier.Verify(x.Text, r.Gold);
                Assert.Equal(again.Verdict.ToString().ToLowerInvariant(), x.Verdict);
                Assert.Equal(string.IsNullOrEmpty(again.ExtractedAnswer) ? null : again.ExtractedAnswer, x.Answer);
            }
            Assert.Equal(r.Responses.Count(x => x.IsCorrect), r.CorrectCount);
            Assert.Equal(r.Chosen >= 0 && r.Responses[r.Chosen].IsCorrect ? 1.0 : 0.0, r.Score);
        }
        var summary = JsonSerializer.Deserialize(File.ReadAllText(EvalResultsFile.SummaryPathFor(outPath)), EvalJsonContext.Default.EvalSummary)!;
        Assert.Equal(EvalSummary.From(records, mode) with { Subjects = summary.Subjects, Levels = summary.Levels }, summary);
        Assert.Equal(20, summary.Overall.Questions);
        Assert.Equal(records.Sum(r => r.Score), summary.Overall.ScoreSum);
        Assert.Equal(20 * k, summary.Responses);
        if (format == "math")
        {
            Assert.Equal(records.GroupBy(r => r.Subject).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count())),
                summary.Subjects.Select(g => ((string?)g.Name, g.Questions)));
            Assert.Equal(20, summary.Levels.Sum(g => g.Questions));
            Assert.Contains(summary.Subjects[0].Name, output, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(summary.Subjects);
            Assert.Empty(summary.Levels);
        }
        Assert.Contains("overall", output, StringComparison.Ordinal);
        Assert.Contains("20 question(s) in", output, StringComparison.Ordinal);
        Assert.False(File.Exists(outPath + ".partial"));
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void FewShotPromptsUseTheShotsFile()
    {
        string outPath = Path.Combine(_dir, "fs.jsonl");
        string data = SharedData.PathOf("data/gsm8k/test.jsonl");
        var (code, output, error) = Run("eval", "--model", Fixture, "--data", data, "--format", "gsm8k", "--limit", "2",
            "--template", "few-shot", "--shots", SharedData.PathOf("data/gsm8k/train.jsonl"), "--shot-count", "2", "--max-new-tokens", "4", "--out", outPath);
        Assert.True(code == 0, error + output);
        var prompt = EvalResultsFile.Read(outPath)[0].Prompt;
        Assert.StartsWith("Question: ", prompt, StringComparison.Ordinal);
        Assert.Equal(3, prompt.Split("Question: ").Length - 1);
        Assert.EndsWith("Answer:", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateRunsOnTheFixture()
    {
        var (code, output, error) = Run("generate", "--model", Fixture, "--prompt", "Natalia sold clips", "--temperature", "0", "--max-new-tokens", "5");
        Assert.True(code == 0, error);
        Assert.Contains("--- continuation 0:", output, StringComparison.Ordinal);
        Assert.Contains("tokens/s", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--mode", "best@3", "unknown eval mode")]
    [InlineData("--mode", "bon@3", "bon@3 needs a reward model: --rm DIR")]
    [InlineData("--format", "csv", "unknown data format \"csv\"")]
    [InlineData("--template", "nope", "unknown prompt template \"nope\"")]
    [InlineData("--agg", "mean", "unknown step-score aggregation")]
    [InlineData("--batch", "0", "batch size must be >= 1")]
    public void BadArgumentsExitWith2AndSayWhy(string option, string value, string message)
    {
        string data = Path.Combine(_dir, "one.jsonl");
        File.WriteAllText(data, "{\"question\": \"1+1?\", \"answer\": \"#### 2\"}\n");
        var args = new List<string> { "eval", "--model", Fixture, "--data", data, "--format", "gsm8k", "--out", Path.Combine(_dir, "o.jsonl") };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);
        var (code, _, error) = Run([.. args]);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ASchemaErrorNamesTheFileLineAndField()
    {
        string data = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllText(data, "{\"question\": \"1+1?\", \"answer\": \"#### 2\"}\n{\"question\": \"2+2?\"}\n");
        var (code, _, error) = Run("eval", "--model", Fixture, "--data", data, "--format", "gsm8k", "--out", Path.Combine(_dir, "o.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("bad.jsonl", error, StringComparison.Ordinal);
        Assert.Contains("line 2", error, StringComparison.Ordinal);
        Assert.Contains("answer", error, StringComparison.Ordinal);
    }

    // A reward-model directory made from the fixture backbone with a fresh head (random scores, but real
    // batched model scoring through the rm branch's sources).
    private string MakeRewardModel(RewardModelKind kind, bool withTokenizer)
    {
        string dir = Path.Combine(_dir, kind.ToString().ToLowerInvariant());
        var checkpoint = HfCheckpoint.Load(Fixture);
        var backbone = new Transformer(checkpoint.Config, GemmFactory.Create(GemmKind.Managed));
        backbone.LoadParameters(checkpoint.Floats);
        using (var model = RewardModel.Create(kind, backbone, headSeed: 5)) model.Save(dir);
        if (withTokenizer) File.Copy(Path.Combine(Fixture, "tokenizer.json"), Path.Combine(dir, "tokenizer.json"));
        return dir;
    }

    [Theory]
    [InlineData(RewardModelKind.Prm, "product", false)]
    [InlineData(RewardModelKind.Orm, "min", true)]
    public void BestOfNWithAModelBackedRewardModel(RewardModelKind kind, string aggregation, bool withTokenizer)
    {
        string rm = MakeRewardModel(kind, withTokenizer);
        string data = Path.Combine(_dir, "q.jsonl");
        File.WriteAllText(data, "{\"question\": \"Tom has 3 apples and buys 4 more. How many?\", \"answer\": \"3+4=7\\n#### 7\"}\n"
            + "{\"question\": \"What is 10 minus 4?\", \"answer\": \"#### 6\"}\n");
        string outPath = Path.Combine(_dir, "bon.jsonl");
        var (code, output, error) = Run("eval", "--model", Fixture, "--data", data, "--format", "gsm8k", "--mode", "bon@4", "--rm", rm,
            "--agg", aggregation, "--template", "plain-qa", "--temperature", "1.5", "--max-new-tokens", "20", "--out", outPath);
        Assert.True(code == 0, error + output);
        Assert.Contains($"reward model: {kind.ToString().ToUpperInvariant()}", output, StringComparison.Ordinal);
        foreach (var r in EvalResultsFile.Read(outPath))
        {
            Assert.Equal(4, r.Responses.Count);
            foreach (var x in r.Responses)
            {
                if (x.RmScore is double score) Assert.InRange(score, 0, 1);
                else Assert.NotNull(x.RmError);
                if (kind == RewardModelKind.Prm && x.StepScores is { } steps)
                    Assert.Equal(BestOfN.Aggregate(steps, BestOfN.ParseAggregation(aggregation)), x.RmScore);
            }
            Assert.Equal(BestOfN.Select([.. r.Responses.Select(x => x.RmScore)]), r.Chosen);
        }
    }

    [Fact]
    public void AnOrmDirectoryIsRefusedForAPrmOnlyConventionAndBadConventionsAreNamed()
    {
        string data = Path.Combine(_dir, "one.jsonl");
        File.WriteAllText(data, "{\"question\": \"1+1?\", \"answer\": \"#### 2\"}\n");
        var (code, _, error) = Run("eval", "--model", Fixture, "--data", data, "--format", "gsm8k", "--mode", "bon@2", "--rm", Path.Combine(_dir, "missing"),
            "--out", Path.Combine(_dir, "o.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
        (code, _, error) = Run("eval", "--model", Fixture, "--data", data, "--format", "gsm8k", "--mode", "bon@2", "--rm", Fixture,
            "--rm-convention", "last_token", "--out", Path.Combine(_dir, "o.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("unknown PRM convention \"last_token\"", error, StringComparison.Ordinal);
        (code, _, error) = Run("eval", "--model", Fixture, "--data", data, "--format", "gsm8k", "--mode", "bon@2", "--rm", Fixture,
            "--out", Path.Combine(_dir, "o.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("no reward head found", error, StringComparison.Ordinal);
    }
}

// EvalRunner on the tiny fixture model: the committed fixture loads (real BPE merges, ChatML specials),
// sampled results do not depend on the batch size, bon@k ranks responses by a reward source's scores
// (a scripted source here; the model-backed ORM/PRM sources plug in the same way), and an interrupted
// run resumes from its partial file to the same final output as an uninterrupted one.
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Text.Chat;
using ReasonRL.Training.Evaluation;

namespace ReasonRL.Training.Tests.Evaluation;

public sealed class EvalRunnerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"reasonrl-eval-{Guid.NewGuid():N}");

    public EvalRunnerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly EvalProblem[] Problems =
    [
        .. Enumerable.Range(0, 6).Select(i => new EvalProblem(i, $"p{i}", $"What is {i} plus {i}?", $"{2 * i}", i % 2 == 0 ? "Algebra" : "Geometry", 1 + i % 3, $"{i}+{i}={2 * i} #### {2 * i}")),
    ];

    [Fact]
    public void TheFixtureIsARealBpeWithChatMlSpecials()
    {
        var tokenizer = TinyFixture.Tokenizer();
        Assert.Equal(659, tokenizer.VocabSize);
        Assert.Equal(2, tokenizer.EosIds.Count);
        const string text = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.";
        var ids = tokenizer.Encode(text).Ids;
        Assert.Equal(text, tokenizer.Decode(ids));
        Assert.True(ids.Length < text.Length / 2, $"{ids.Length} tokens for {text.Length} chars: the merges should compress GSM8K text");
        var prompt = new EvalPromptBuilder(tokenizer, "qwen-math-cot").Build("1+1?");
        Assert.Equal(tokenizer.TokenToId(ChatMl.ImStart), prompt.Ids[0]);
        Assert.EndsWith("<|im_start|>assistant\n", prompt.Text, StringComparison.Ordinal);
        long bytes = Directory.EnumerateFiles(TinyFixture.Directory).Sum(f => new FileInfo(f).Length);
        Assert.InRange(bytes, 1, 1_000_000);   // the fixture stays small
    }

    private static IReadOnlyList<EvalRecord> Run(EvalOptions options, IRewardSource? source = null, IReadOnlyList<EvalProblem>? problems = null)
    {
        using var model = TinyFixture.Model();
        var tokenizer = TinyFixture.Tokenizer();
        var runner = new EvalRunner(model, tokenizer, new EvalPromptBuilder(tokenizer, "plain-qa"), options, source);
        return runner.Run(problems ?? Problems);
    }

    [Fact]
    public void SampledResultsDoNotDependOnTheBatchSize()
    {
        var options = new EvalOptions { Mode = EvalMode.Parse("maj@3"), MaxNewTokens = 12, Temperature = 1.5f, Seed = 7 };
        var one = Run(options with { BatchSize = 1 });
        var many = Run(options with { BatchSize = 8 });
        Assert.Equal(Problems.Length, one.Count);
        for (int i = 0; i < one.Count; i++)
        {
            Assert.Equal(3, one[i].Responses.Count);
            Assert.Equal(one[i].Responses.Select(r => r.Text), many[i].Responses.Select(r => r.Text));
            Assert.Equal((one[i].Chosen, one[i].Score), (many[i].Chosen, many[i].Score));
        }
        // the samples really differ from each other (temperature 1.5 on a random model)
        Assert.Contains(one, r => r.Responses.Select(x => x.Text).Distinct().Count() > 1);
    }

    /// <summary>Scores each response by a fixed function of its text, as a PRM (per line) or an ORM.</summary>
    private sealed class ScriptedSource(bool prm) : IRewardSource
    {
        public string Name => prm ? "scripted-prm" : "scripted-orm";
        public List<RewardSample> Seen { get; } = [];

        public static double ScoreOf(string text) => (text.Length * 37 % 101) / 101.0;

        public Task<IReadOnlyList<SampleScore>> ScoreAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken = default)
        {
            Seen.AddRange(batch);
            IReadOnlyList<SampleScore> scores = [.. batch.Select(s => prm
                ? new SampleScore { StepScores = [.. s.Steps.Select(step => ScoreOf(step.TextOf(s.Response)))] }
                : new SampleScore { Outcome = ScoreOf(s.Response) })];
            return Task.FromResult(scores);
        }
    }

    private static readonly StepSplitter Lines = new(StepSplitOptions.Lines);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BestOfNChoosesTheResponseTheRewardModelScoresHighest(bool prm)
    {
        var source = new ScriptedSource(prm);
        var options = new EvalOptions { Mode = EvalMode.Parse("bon@4"), MaxNewTokens = 10, Temperature = 2f, BatchSize = 8, Aggregation = StepScoreAggregation.Min };
        var records = Run(options, source);
        Assert.Equal(Problems.Length * 4, source.Seen.Count);
        Assert.All(source.Seen, s => Assert.Null(s.Gold));   // the reward model never sees the gold answer
        foreach (var record in records)
        {
            var expected = record.Responses.Select(r => prm
                ? BestOfN.Aggregate([.. Lines.SplitText(r.Text).Select(ScriptedSource.ScoreOf)], StepScoreAggregation.Min)
                : ScriptedSource.ScoreOf(r.Text)).ToArray();
            Assert.Equal(expected, record.Responses.Select(r => r.RmScore));
            Assert.Equal(BestOfN.Select(expected), record.Chosen);
            if (record.Chosen >= 0) Assert.Equal(record.Responses[record.Chosen].IsCorrect ? 1.0 : 0.0, record.Score);
            if (prm) Assert.All(record.Responses, r => Assert.True(r.StepScores is not null || r.RmError is not null));
        }
    }

    [Fact]
    public void BestOfNWithoutARewardModelIsRefused() =>
        Assert.Contains("--rm", Assert.Throws<ArgumentException>(() => Run(new EvalOptions { Mode = EvalMode.Parse("bon@2") })).Message);

    [Fact]
    public void AnInterruptedRunResumesToTheSameOutput()
    {
        var options = new EvalOptions { Mode = EvalMode.Parse("pass@2"), PassSamples = 3, MaxNewTokens = 8, BatchSize = 6, Seed = 3 };
        string whole = Path.Combine(_dir, "whole.jsonl"), resumed = Path.Combine(_dir, "resumed.jsonl");
        using (var file = EvalResultsFile.Open(whole, Problems, options))
        {
            file.Complete(Run(options), options.Mode.ToString());
        }

        using var model = TinyFixture.Model();
        var tokenizer = TinyFixture.Tokenizer();
        var runner = new EvalRunner(model, tokenizer, new EvalPromptBuilder(tokenizer, "plain-qa"), options);
        using (var file = EvalResultsFile.Open(resumed, Problems, options))
        {
            int written = 0;
            // a "crash" after 3 questions: each chunk has 2 questions, so the crash is mid-chunk
            Assert.Throws<IOException>(() => runner.Run(Problems, r =>
            {
                if (written == 3) throw new IOException("simulated crash");
                file.Append(r);
                written++;
            }));
        }
        Assert.False(File.Exists(resumed));
        using (var file = EvalResultsFile.Open(resumed, Problems, options))
        {
            Assert.Equal([0, 1, 2], file.Resumed.Select(r => r.Index));
            var done = file.Resumed.Select(r => r.Index).ToHashSet();
            var rest = runner.Run([.. Problems.Where(p => !done.Contains(p.Index))], file.Append);
            file.Complete(file.Resumed.Concat(rest), options.Mode.ToString());
        }
        Assert.False(File.Exists(resumed + ".partial"));
        Assert.Equal(File.ReadAllText(whole), File.ReadAllText(resumed));
        Assert.Equal(File.ReadAllText(EvalResultsFile.SummaryPathFor(whole)), File.ReadAllText(EvalResultsFile.SummaryPathFor(resumed)));
    }

    [Fact]
    public void APartialFileFromAnotherRunIsRefusedNamingItsLine()
    {
        var greedy = new EvalOptions { MaxNewTokens = 4 };
        string outPath = Path.Combine(_dir, "r.jsonl");
        using (var file = EvalResultsFile.Open(outPath, Problems, greedy))
        {
            foreach (var r in Run(greedy).Take(2)) file.Append(r);
        }
        var e = Assert.Throws<InvalidDataException>(() => EvalResultsFile.Open(outPath, Problems, greedy with { Mode = EvalMode.Parse("maj@2") }));
        Assert.Contains("r.jsonl.partial: line 1: mode is greedy there but maj@2 now", e.Message, StringComparison.Ordinal);
        var other = Problems.Select(p => p with { Question = p.Question + "!" }).ToArray();
        Assert.Contains("delete it", Assert.Throws<InvalidDataException>(() => EvalResultsFile.Open(outPath, other, greedy)).Message, StringComparison.Ordinal);
    }
}

// EvalRunner: the evaluation loop of `reasonrl eval`. Questions are taken in chunks so that one batched
// generation (Generator.GenerateBatch, KV cache) decodes at most BatchSize sequences — a chunk holds
// max(1, BatchSize / n) questions with their n samples each. Each response is decoded to text, graded
// by MathVerifier against the gold answer, and (bon@k) scored by a reward model through IRewardSource
// (an ORM's Outcome, or a PRM's StepScores aggregated by BestOfN) in one ScoreAsync call per chunk;
// EvalScoring then decides the question. Records are handed to a callback as each chunk finishes
// (EvalResultsFile appends them to a partial file, so a killed run resumes). Sample j of question i
// draws from its own stream Rng.ForStream(seed, (i, j)) (SampleStream): output does not depend on the
// batch size or on resuming. Not a CLI and not a results writer.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Text;
using ReasonRL.Verifier;

namespace ReasonRL.Training.Evaluation;

/// <summary>Where an eval run is.</summary>
/// <param name="QuestionsDone">Questions finished (this run).</param>
/// <param name="QuestionsTotal">Questions to do (this run).</param>
/// <param name="DecodeStep">Decode steps done in the current batch (0 between batches).</param>
/// <param name="Running">Sequences still decoding in the current batch.</param>
public sealed record EvalProgress(int QuestionsDone, int QuestionsTotal, int DecodeStep, int Running);

/// <summary>Generates, grades and scores responses for evaluation questions.</summary>
public sealed class EvalRunner
{
    private readonly Transformer _model;
    private readonly ITokenizer _tokenizer;
    private readonly EvalPromptBuilder _prompts;
    private readonly IRewardSource? _rewardModel;
    private readonly StepSplitter _splitter;

    /// <summary>The run's options.</summary>
    public EvalOptions Options { get; }

    /// <param name="model">The policy (not owned).</param>
    /// <param name="tokenizer">Its tokenizer (EOS ids stop generation).</param>
    /// <param name="prompts">The prompt template.</param>
    /// <param name="options">Mode, sampling, batch size.</param>
    /// <param name="rewardModel">The ORM/PRM source; required for bon@k, unused otherwise.</param>
    public EvalRunner(Transformer model, ITokenizer tokenizer, EvalPromptBuilder prompts, EvalOptions options, IRewardSource? rewardModel = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Mode.Kind == EvalModeKind.BestOfK && rewardModel is null)
            throw new ArgumentException($"eval: {options.Mode} ranks responses with a reward model; give one (--rm DIR)", nameof(rewardModel));
        if (tokenizer.VocabSize > model.Config.VocabSize)
            throw new ArgumentException($"eval: the tokenizer has {tokenizer.VocabSize} ids but the model's vocab_size is {model.Config.VocabSize}", nameof(tokenizer));
        _model = model;
        _tokenizer = tokenizer;
        _prompts = prompts;
        Options = options;
        _rewardModel = options.Mode.Kind == EvalModeKind.BestOfK ? rewardModel : null;
        _splitter = new StepSplitter(options.Steps);
    }

    /// <summary>Evaluates <paramref name="problems"/> in order; <paramref name="onRecord"/> receives each
    /// record as its chunk completes. Returns the records in the order given.</summary>
    public IReadOnlyList<EvalRecord> Run(IReadOnlyList<EvalProblem> problems, Action<EvalRecord>? onRecord = null,
        Action<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        int n = Options.SamplesPerQuestion;
        int perChunk = Math.Max(1, Options.BatchSize / n);
        var records = new List<EvalRecord>(problems.Count);
        progress?.Invoke(new EvalProgress(0, problems.Count, 0, 0));
        for (int start = 0; start < problems.Count; start += perChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = problems.Skip(start).Take(perChunk).ToList();
            int done = start;
            foreach (var record in RunChunk(chunk, n, (step, running) => progress?.Invoke(new EvalProgress(done, problems.Count, step, running)), cancellationToken))
            {
                records.Add(record);
                onRecord?.Invoke(record);
            }
            progress?.Invoke(new EvalProgress(records.Count, problems.Count, 0, 0));
        }
        return records;
    }

    private List<EvalRecord> RunChunk(List<EvalProblem> chunk, int n, Action<int, int> decodeProgress, CancellationToken cancellationToken)
    {
        var prompts = chunk.Select(p => _prompts.Build(p.Question)).ToList();
        var inputs = new List<int[]>(chunk.Count * n);
        var rngs = new List<Rng>(chunk.Count * n);
        for (int q = 0; q < chunk.Count; q++)
        {
            for (int j = 0; j < n; j++)
            {
                inputs.Add(prompts[q].Ids);
                rngs.Add(SampleStream(Options.Seed, chunk[q].Index, j));
            }
        }
        var generation = new GenerationOptions
        {
            Temperature = Options.Mode.Samples ? Options.Temperature : 0f,
            TopP = Options.Mode.Samples ? Options.TopP : 1f,
            TopK = Options.Mode.Samples ? Options.TopK : 0,
            MaxNewTokens = Options.MaxNewTokens,
            EosIds = _tokenizer.EosIds,
            StopStrings = Options.StopStrings,
            Decode = ids => _tokenizer.Decode(ids, skipSpecialTokens: true),
            Progress = decodeProgress,
        };
        var results = Generator.GenerateBatch(_model, inputs, generation, rngs);
        var texts = results.Select(r => _tokenizer.Decode(r.Tokens, skipSpecialTokens: true)).ToArray();
        var scores = ScoreWithRewardModel(chunk, prompts, texts, n, cancellationToken);

        var records = new List<EvalRecord>(chunk.Count);
        for (int q = 0; q < chunk.Count; q++)
        {
            var problem = chunk[q];
            var responses = new EvalResponse[n];
            for (int j = 0; j < n; j++)
            {
                int s = q * n + j;
                var verdict = MathVerifier.Verify(texts[s], problem.Gold, Options.Verify);
                var (rmScore, stepScores, rmError) = scores is null ? (null, null, null) : Interpret(scores[s]);
                responses[j] = new EvalResponse(texts[s], results[s].Tokens.Length,
                    results[s].FinishReason == FinishReason.Length ? "length" : "stop",
                    string.IsNullOrEmpty(verdict.ExtractedAnswer) ? null : verdict.ExtractedAnswer,
                    VerdictText(verdict.Verdict), verdict.Reason, rmScore, stepScores, rmError);
            }
            var decision = EvalScoring.Decide(Options.Mode, responses);
            records.Add(new EvalRecord(problem.Index, problem.Id, problem.Question, problem.Gold, problem.Subject, problem.Level,
                Options.Mode.ToString(), prompts[q].Text, responses, decision.Chosen, decision.ChosenAnswer, decision.Votes,
                decision.CorrectCount, decision.Score));
        }
        return records;
    }

    // bon@k: one ScoreAsync call for the whole chunk (a model-backed source batches its forward passes).
    // The reward model sees the prompt and the response, never the gold answer.
    private IReadOnlyList<SampleScore>? ScoreWithRewardModel(List<EvalProblem> chunk, List<EvalPrompt> prompts, string[] texts, int n,
        CancellationToken cancellationToken)
    {
        if (_rewardModel is null) return null;
        var batch = new List<RewardSample>(texts.Length);
        for (int s = 0; s < texts.Length; s++) batch.Add(new RewardSample(prompts[s / n].Text, texts[s], null, _splitter.Split(texts[s])));
        IReadOnlyList<SampleScore> scores;
        try
        {
            scores = _rewardModel.ScoreAsync(batch, cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException($"eval: reward model \"{_rewardModel.Name}\" failed on questions {chunk[0].Id}..{chunk[^1].Id}: {e.Message}", e);
        }
        if (scores.Count != batch.Count)
            throw new InvalidOperationException($"eval: reward model \"{_rewardModel.Name}\" returned {scores.Count} scores for {batch.Count} responses");
        return scores;
    }

    // A PRM's step scores are aggregated; otherwise the ORM outcome is the score.
    private (double?, IReadOnlyList<double>?, string?) Interpret(SampleScore score)
    {
        if (score.Status == ScoreStatus.Failed) return (null, null, score.Error ?? "reward model failed");
        if (score.StepScores is { } steps)
        {
            double? aggregate = BestOfN.Aggregate(steps, Options.Aggregation);
            return (aggregate, steps, aggregate is null ? (steps.Count == 0 ? "no steps to score" : "a step score is not finite") : null);
        }
        if (score.Outcome is double outcome)
            return double.IsFinite(outcome) ? (outcome, null, null) : (null, null, "outcome score is not finite");
        return (null, null, "the reward model returned neither step scores nor an outcome");
    }

    private static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Correct => EvalResponse.VerdictCorrect,
        Verdict.Incorrect => EvalResponse.VerdictIncorrect,
        _ => EvalResponse.VerdictUnverifiable,
    };

    /// <summary>The coin stream of sample <paramref name="sample"/> of question <paramref name="question"/>:
    /// Rng.ForStream(seed, question &lt;&lt; 32 | sample).</summary>
    public static Rng SampleStream(int seed, int question, int sample) =>
        Rng.ForStream(unchecked((uint)seed), ((ulong)(uint)question << 32) | (uint)sample);
}

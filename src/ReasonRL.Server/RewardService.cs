// RewardService: scores one request's samples under a RewardConfig — make each sample (decode it, locate its
// prompt), split steps, run the verifier and, when no model score is needed, shape and compose, all in one
// partitioned loop over the samples on the shared VerifierPool (CPU-bound: one request spreads across every
// verifier thread, and a cancelled request's unstarted samples are dropped); take learned step/ORM
// scores replayed from the request or from pluggable batched scorers (a PRM for steps, an ORM for the
// outcome; each sample's replayed score wins over the model), then RewardComposer.Diagnose (on the pool too).
// Every sample gets either its native result or an explicit error with a kind (counted in /metrics); a
// failure is never a reward of 0, and nothing a sample does (a step-regex timeout, a model error, a
// non-finite reward) fails the other samples. With response token ids and a tokenizer, a sample also gets
// token_rewards (TokenRewards.cs).
// Not HTTP (RewardServer) and not shaping arithmetic (ReasonRL.Rewards).
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Sources.Remote;
using ReasonRL.Rewards.Steps;
using System.Text.RegularExpressions;

namespace ReasonRL.Server;

/// <summary>One sample to score; StepScores / OrmScore replay a model's raw scores when given. ResponseIds: the
/// response as the policy's token ids (the text is then decoded from them and token_rewards are returned).</summary>
public sealed record ServiceSample(string Prompt, string Response, string? Gold, IReadOnlyList<double>? StepScores = null, double? OrmScore = null,
    IReadOnlyList<int>? ResponseIds = null);

/// <summary>A sample's native result and, when it succeeded, its diagnostics (and token rewards when ids were
/// given); when it failed, ErrorKind names the failure for /metrics.</summary>
public sealed record ServiceResult(NativeResult Result, RewardDiagnostics? Diagnostics, string? ErrorKind = null, double[]? TokenRewards = null)
{
    public static ServiceResult Failed(string kind, string message) => new(NativeResults.Failure(message), null, kind);
}

/// <summary>A sample failure with its metrics kind (prompt_not_found, step_split, scoring, model, non_finite, tokens).</summary>
public sealed class SampleException(string kind, string message) : Exception(message)
{
    public string Kind { get; } = kind;
}

public sealed class RewardService
{
    private readonly StepSplitter splitter;
    private readonly SuccessSource success;
    private readonly IRewardSource? stepScorer;
    private readonly IRewardSource? outcomeScorer;
    private readonly VerifierPool pool;
    private readonly TokenRewards? tokens;

    /// <param name="config">Steps and reward design (reward.yaml).</param>
    /// <param name="judge">The verifier seam (MathVerifierJudge.Create() in production).</param>
    /// <param name="stepScorer">Batched PRM used for samples without replayed step_scores; null = none loaded.</param>
    /// <param name="pool">The verifier threads (shared by all requests; owned by the caller).</param>
    /// <param name="outcomeScorer">Batched ORM used for samples without a replayed orm_score; null = none loaded.</param>
    /// <param name="tokens">The policy tokenizer's token_rewards builder; null = none configured.</param>
    public RewardService(RewardConfig config, SuccessJudge judge, IRewardSource? stepScorer, VerifierPool pool, IRewardSource? outcomeScorer = null,
        TokenRewards? tokens = null)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        ArgumentNullException.ThrowIfNull(judge);
        this.pool = pool ?? throw new ArgumentNullException(nameof(pool));
        splitter = new StepSplitter(config.Steps);
        success = new SuccessSource(judge, config.Design.Success);
        this.stepScorer = stepScorer;
        this.outcomeScorer = outcomeScorer;
        this.tokens = tokens;
    }

    /// <summary>The default service: success reward alone ("\n" steps, 1/0/0), no learned reward.</summary>
    public static RewardConfig DefaultConfig { get; } = new(StepSplitOptions.Lines, new RewardDesign(SuccessValues.ZeroOne, null));

    public RewardConfig Config { get; }

    /// <summary>Scores <paramref name="batch"/>; results in its order.</summary>
    public Task<ServiceResult[]> ScoreAsync(IReadOnlyList<ServiceSample> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return ScoreAsync(batch.Count, i => batch[i], cancellationToken);
    }

    /// <summary>Scores samples 0 … <paramref name="count"/> − 1; results in that order. <paramref name="sampleAt"/>(i) makes
    /// sample i on a verifier thread, as the first step of its work (decoding it from the request, locating its prompt),
    /// so that work is spread over the threads too; a SampleException from it fails that sample with its kind.</summary>
    public async Task<ServiceResult[]> ScoreAsync(int count, Func<int, ServiceSample> sampleAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sampleAt);
        var design = Config.Design;
        var given = new ServiceSample?[count];
        var samples = new RewardSample?[count];
        var offsets = new TokenOffset[count][];
        var successScores = new SampleScore?[count];
        var results = new ServiceResult?[count];
        var stepModel = design.UsesStepScores ? stepScorer : null;
        var ormModel = design.UsesOrm ? outcomeScorer : null;
        // one partitioned loop over the samples: make, split, verify and, when no model score is needed, shape and compose
        await pool.ForAsync(count, i =>
        {
            try
            {
                var s = given[i] = sampleAt(i);
                var response = s.Response;
                if (s.ResponseIds is { } ids)
                {
                    if (tokens is null) throw new SampleException("tokens", "response_ids given but the server has no tokenizer; start it with --tokenizer PATH");
                    (response, offsets[i]) = tokens.Decode(ids);
                }
                StepSpan[] steps;
                try
                {
                    steps = splitter.Split(response);
                }
                catch (RegexMatchTimeoutException)
                {
                    throw new SampleException("step_split", $"step split timed out after {StepSplitOptions.RegexTimeout.TotalSeconds:0.###} s on {Config.Steps}");
                }
                var sample = new RewardSample(s.Prompt, response, s.Gold, steps);
                successScores[i] = success.Score(sample);
                samples[i] = sample;
                if (!NeedsModel(s, stepModel, ormModel)) results[i] = Compose(s, sample, successScores[i]!, null, null, offsets[i]);
            }
            catch (SampleException e)
            {
                results[i] = ServiceResult.Failed(e.Kind, e.Message);
            }
        }, cancellationToken).ConfigureAwait(false);

        var waiting = Enumerable.Range(0, count).Where(i => results[i] is null).ToArray();
        if (waiting.Length > 0)
        {
            var modelScores = await ModelScoresAsync(stepModel, i => given[i]!.StepScores is null, waiting, samples, cancellationToken).ConfigureAwait(false);
            var ormScores = await ModelScoresAsync(ormModel, i => given[i]!.OrmScore is null, waiting, samples, cancellationToken).ConfigureAwait(false);
            await pool.ForAsync(waiting.Length, j =>
            {
                var i = waiting[j];
                results[i] = Compose(given[i]!, samples[i]!, successScores[i]!, modelScores?[i], ormScores?[i], offsets[i]);
            }, cancellationToken).ConfigureAwait(false);
        }
        return results!;
    }

    private static bool NeedsModel(ServiceSample s, IRewardSource? stepModel, IRewardSource? ormModel) =>
        (stepModel is not null && s.StepScores is null) || (ormModel is not null && s.OrmScore is null);

    // Shaping and composition of one verified sample: replayed scores win over the model's.
    private ServiceResult Compose(ServiceSample s, RewardSample sample, SampleScore successScore, SampleScore? modelScore, SampleScore? ormScore, TokenOffset[]? offsets)
    {
        var design = Config.Design;
        try
        {
            IReadOnlyList<double>? stepScores = null;
            if (design.Shaping is { } shaping)
            {
                stepScores = s.StepScores ?? StepScoresFrom(modelScore, shaping);
            }
            double? orm = null;
            if (design.UsesOrm)
            {
                orm = s.OrmScore ?? OutcomeFrom(ormScore);
            }
            var d = RewardComposer.Diagnose(design, sample.Response, sample.Steps, successScore, stepScores, orm);
            if (!double.IsFinite(d.TotalReturn) || d.StepRewards.Any(r => !double.IsFinite(r)))
            {
                throw new SampleException("non_finite", "the reward is not finite (replayed or model scores too large); expected finite step scores in a sane range");
            }
            var tokenRewards = s.ResponseIds is null ? null : TokenRewards.Place(d, offsets!);
            return new ServiceResult(NativeResults.From(d), d, null, tokenRewards);
        }
        catch (SampleException e)
        {
            return ServiceResult.Failed(e.Kind, e.Message);
        }
        catch (ArgumentException e)
        {
            return ServiceResult.Failed("scoring", e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private IReadOnlyList<double> StepScoresFrom(SampleScore? model, ShapingOptions shaping)
    {
        if (model is null)
        {
            throw new ArgumentException($"shaping '{ShapingOptions.NameOf(shaping.Kind)}' needs raw step scores: give the sample 'step_scores' (one per step, steps split by {Config.Steps}); no PRM model is loaded");
        }
        if (model.Status != ScoreStatus.Ok) throw new SampleException("model", $"{stepScorer!.Name} failed: {model.Error}");
        return model.StepScores ?? throw new SampleException("model", $"{stepScorer!.Name} returned no step scores");
    }

    private double OutcomeFrom(SampleScore? model)
    {
        if (model is null) throw new ArgumentException("the config uses an ORM (orm.alpha ≠ 0) but the sample has no 'orm_score' and no ORM model is loaded");
        if (model.Status != ScoreStatus.Ok) throw new SampleException("model", $"{outcomeScorer!.Name} failed: {model.Error}");
        return model.Outcome ?? throw new SampleException("model", $"{outcomeScorer!.Name} returned no outcome score");
    }

    // One batched call to a model for the waiting samples that need it (null when none did). A model that throws
    // fails those samples (each gets the error), not the request.
    private static async Task<IReadOnlyList<SampleScore>?> ModelScoresAsync(IRewardSource? scorer, Func<int, bool> needsModel, int[] waiting,
        RewardSample?[] samples, CancellationToken ct)
    {
        if (scorer is null) return null;
        var need = waiting.Where(needsModel).ToArray();
        if (need.Length == 0) return null;
        IReadOnlyList<SampleScore> scored;
        try
        {
            scored = await scorer.ScoreAsync(need.Select(i => samples[i]!).ToArray(), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = SampleScore.Fail($"{e.GetType().Name}: {e.Message}");
            scored = need.Select(_ => failure).ToArray();
        }
        var all = new SampleScore?[samples.Length];
        for (var j = 0; j < need.Length; j++) all[need[j]] = scored[j];
        return all!;
    }
}

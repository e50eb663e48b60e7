// RewardService: scores one request's samples under a RewardConfig — split steps, run the verifier
// (CPU-bound, on the thread pool under a bounded number of concurrent calls), take learned step/ORM
// scores replayed from the request or from pluggable batched scorers (a PRM for steps, an ORM for the
// outcome; each sample's replayed score wins over the model), then RewardComposer.Diagnose.
// Every sample gets either its native result or an explicit error; a failure is never a reward of 0.
// Not HTTP (RewardServer) and not shaping arithmetic (ReasonRL.Rewards).
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Sources.Remote;
using ReasonRL.Rewards.Steps;

namespace ReasonRL.Server;

/// <summary>One sample to score; StepScores / OrmScore replay a model's raw scores when given.</summary>
public sealed record ServiceSample(string Prompt, string Response, string? Gold, IReadOnlyList<double>? StepScores = null, double? OrmScore = null);

/// <summary>A sample's native result and, when it succeeded, its diagnostics.</summary>
public sealed record ServiceResult(NativeResult Result, RewardDiagnostics? Diagnostics);

public sealed class RewardService
{
    private readonly StepSplitter splitter;
    private readonly SuccessSource success;
    private readonly IRewardSource? stepScorer;
    private readonly IRewardSource? outcomeScorer;
    private readonly SemaphoreSlim verifierSlots;

    /// <param name="config">Steps and reward design (reward.yaml).</param>
    /// <param name="judge">The verifier seam (MathVerifierJudge.Create() in production).</param>
    /// <param name="stepScorer">Batched PRM used for samples without replayed step_scores; null = none loaded.</param>
    /// <param name="verifierThreads">Verifier calls running at once.</param>
    /// <param name="outcomeScorer">Batched ORM used for samples without a replayed orm_score; null = none loaded.</param>
    public RewardService(RewardConfig config, SuccessJudge judge, IRewardSource? stepScorer, int verifierThreads, IRewardSource? outcomeScorer = null)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        ArgumentNullException.ThrowIfNull(judge);
        if (verifierThreads < 1) throw new ArgumentOutOfRangeException(nameof(verifierThreads), verifierThreads, "expected ≥ 1");
        splitter = new StepSplitter(config.Steps);
        success = new SuccessSource(judge, config.Design.Success);
        this.stepScorer = stepScorer;
        this.outcomeScorer = outcomeScorer;
        verifierSlots = new SemaphoreSlim(verifierThreads, verifierThreads);
    }

    /// <summary>The default service: success reward alone ("\n" steps, 1/0/0), no learned reward.</summary>
    public static RewardConfig DefaultConfig { get; } = new(StepSplitOptions.Lines, new RewardDesign(SuccessValues.ZeroOne, null));

    public RewardConfig Config { get; }

    public async Task<ServiceResult[]> ScoreAsync(IReadOnlyList<ServiceSample> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var design = Config.Design;
        var samples = batch.Select(s => new RewardSample(s.Prompt, s.Response, s.Gold, splitter.Split(s.Response))).ToArray();

        var successScores = await VerifyAsync(samples, cancellationToken).ConfigureAwait(false);
        var modelScores = await ModelScoresAsync(stepScorer, Config.Design.UsesStepScores, batch, i => batch[i].StepScores is null, samples, cancellationToken).ConfigureAwait(false);
        var ormScores = await ModelScoresAsync(outcomeScorer, design.UsesOrm, batch, i => batch[i].OrmScore is null, samples, cancellationToken).ConfigureAwait(false);

        var results = new ServiceResult[batch.Count];
        for (var i = 0; i < results.Length; i++)
        {
            try
            {
                IReadOnlyList<double>? stepScores = null;
                if (design.Shaping is { } shaping)
                {
                    stepScores = batch[i].StepScores ?? StepScoresFrom(modelScores?[i], shaping);
                }
                double? orm = null;
                if (design.UsesOrm)
                {
                    orm = batch[i].OrmScore ?? OutcomeFrom(ormScores?[i]);
                }
                var d = RewardComposer.Diagnose(design, batch[i].Response, samples[i].Steps, successScores[i], stepScores, orm);
                results[i] = new ServiceResult(NativeResults.From(d), d);
            }
            catch (ArgumentException e)
            {
                results[i] = new ServiceResult(NativeResults.Failure(e.Message.Split(" (Parameter", 2)[0]), null);
            }
        }
        return results;
    }

    private IReadOnlyList<double> StepScoresFrom(SampleScore? model, ShapingOptions shaping)
    {
        if (model is null)
        {
            throw new ArgumentException($"shaping '{ShapingOptions.NameOf(shaping.Kind)}' needs raw step scores: give the sample 'step_scores' (one per step, steps split by {Config.Steps}); no PRM model is loaded");
        }
        if (model.Status != ScoreStatus.Ok) throw new ArgumentException($"{stepScorer!.Name} failed: {model.Error}");
        return model.StepScores ?? throw new ArgumentException($"{stepScorer!.Name} returned no step scores");
    }

    private double OutcomeFrom(SampleScore? model)
    {
        if (model is null) throw new ArgumentException("the config uses an ORM (orm.alpha ≠ 0) but the sample has no 'orm_score' and no ORM model is loaded");
        if (model.Status != ScoreStatus.Ok) throw new ArgumentException($"{outcomeScorer!.Name} failed: {model.Error}");
        return model.Outcome ?? throw new ArgumentException($"{outcomeScorer!.Name} returned no outcome score");
    }

    // One batched call to a model for the samples that did not replay its score (null when none needed it).
    private static async Task<IReadOnlyList<SampleScore>?> ModelScoresAsync(IRewardSource? scorer, bool used, IReadOnlyList<ServiceSample> batch,
        Func<int, bool> needsModel, RewardSample[] samples, CancellationToken ct)
    {
        if (!used || scorer is null) return null;
        var need = Enumerable.Range(0, batch.Count).Where(needsModel).ToArray();
        if (need.Length == 0) return null;
        var scored = await scorer.ScoreAsync(need.Select(i => samples[i]).ToArray(), ct).ConfigureAwait(false);
        var all = new SampleScore?[batch.Count];
        for (var j = 0; j < need.Length; j++) all[need[j]] = scored[j];
        return all!;
    }

    private async Task<SampleScore[]> VerifyAsync(RewardSample[] samples, CancellationToken ct)
    {
        await verifierSlots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await Task.Run(() =>
            {
                var scores = new SampleScore[samples.Length];
                for (var i = 0; i < samples.Length; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    scores[i] = success.Score(samples[i]);
                }
                return scores;
            }, ct).ConfigureAwait(false);
        }
        finally
        {
            verifierSlots.Release();
        }
    }
}

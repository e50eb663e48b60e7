// RewardPipeline: the trainer's one call per rollout batch — split steps (one ResponseSteps per
// response), ask the sources (success; a step scorer when the design shapes steps; an ORM when it
// uses one), then compose per-token rewards and diagnostics. A sample whose source failed gets an
// explicit error naming the source, never a reward of 0.
// Not a source and not shaping: it only orchestrates them. Model-backed PRM/ORM sources (engine,
// later) and RemoteRewardSource plug in as IRewardSource without change here.
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;

namespace ReasonRL.Rewards.Composition;

/// <summary>One policy response with its tokens' character ranges.</summary>
/// <param name="Offsets">[T] response token ranges (from the policy tokenizer).</param>
public sealed record PolicySample(string Prompt, string Response, string? Gold, TokenOffset[] Offsets);

/// <summary>Either a composed reward or the reason there is none.</summary>
public sealed record PipelineResult(ComposedReward? Reward, string? Error)
{
    public bool Ok => Reward is not null;
}

public sealed class RewardPipeline
{
    private readonly RewardDesign design;
    private readonly StepSplitter splitter;
    private readonly IRewardSource success;
    private readonly IRewardSource? stepScorer;
    private readonly IRewardSource? outcomeScorer;

    /// <param name="stepScorer">Source of raw step scores (PRM); required when the design shapes steps.</param>
    /// <param name="outcomeScorer">Source of the ORM score (its Outcome); required when the design uses an ORM.</param>
    public RewardPipeline(RewardDesign design, StepSplitter splitter, IRewardSource success,
        IRewardSource? stepScorer = null, IRewardSource? outcomeScorer = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (design.UsesStepScores && stepScorer is null) throw new ArgumentException("the design shapes step scores but no step scorer (PRM source) was given", nameof(stepScorer));
        if (design.UsesOrm && outcomeScorer is null) throw new ArgumentException("the design uses an ORM (orm alpha ≠ 0) but no ORM source was given", nameof(outcomeScorer));
        this.design = design;
        this.splitter = splitter ?? throw new ArgumentNullException(nameof(splitter));
        this.success = success ?? throw new ArgumentNullException(nameof(success));
        this.stepScorer = stepScorer;
        this.outcomeScorer = outcomeScorer;
    }

    /// <summary>Scores a batch; one result per sample, in order.</summary>
    public async Task<IReadOnlyList<PipelineResult>> ScoreAsync(IReadOnlyList<PolicySample> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var steps = batch.Select(s => ResponseSteps.Of(splitter, s.Response)).ToArray();
        var samples = batch.Select((s, i) => new RewardSample(s.Prompt, s.Response, s.Gold, steps[i].Spans)).ToArray();

        var successScores = await ScoreChecked(success, samples, cancellationToken).ConfigureAwait(false);
        var stepScores = stepScorer is null ? null : await ScoreChecked(stepScorer, samples, cancellationToken).ConfigureAwait(false);
        var ormScores = outcomeScorer is null ? null : await ScoreChecked(outcomeScorer, samples, cancellationToken).ConfigureAwait(false);

        var results = new PipelineResult[batch.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var failure = FirstFailure(i, (success, successScores), (stepScorer, stepScores), (outcomeScorer, ormScores));
            if (failure is not null)
            {
                results[i] = new PipelineResult(null, failure);
                continue;
            }
            try
            {
                var reward = RewardComposer.Compose(design, batch[i].Response, steps[i].Spans, batch[i].Offsets,
                    successScores[i], stepScores?[i].StepScores, ormScores?[i].Outcome);
                results[i] = new PipelineResult(reward, null);
            }
            catch (ArgumentException e)
            {
                results[i] = new PipelineResult(null, $"sample {i}: {e.Message}");
            }
        }
        return results;
    }

    private static async Task<IReadOnlyList<SampleScore>> ScoreChecked(IRewardSource source, RewardSample[] samples, CancellationToken ct)
    {
        var scores = await source.ScoreAsync(samples, ct).ConfigureAwait(false);
        if (scores.Count != samples.Length)
        {
            throw new InvalidOperationException($"reward source '{source.Name}' returned {scores.Count} score(s) for {samples.Length} sample(s)");
        }
        return scores;
    }

    private static string? FirstFailure(int i, params (IRewardSource? Source, IReadOnlyList<SampleScore>? Scores)[] sources)
    {
        foreach (var (source, scores) in sources)
        {
            if (source is not null && scores is not null && scores[i].Status == ScoreStatus.Failed)
            {
                return $"sample {i}: {source.Name} failed: {scores[i].Error}";
            }
        }
        return null;
    }
}

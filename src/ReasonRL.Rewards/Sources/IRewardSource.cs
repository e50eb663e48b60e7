// IRewardSource: one interface for every reward signal — success (verifier), remote HTTP service,
// and the model-backed ORM / PRM that come with the engine. Batched: a PRM scores every prefix of
// many responses in one forward pass (docs/reward-methods.md §8), so the unit of work is a batch.
// Not shaping or composition: a source returns raw signals (SampleScore) and failures explicitly.
namespace ReasonRL.Rewards.Sources;

public interface IRewardSource
{
    /// <summary>Short name for logs and tables, e.g. "success", "remote:openrlhf".</summary>
    string Name { get; }

    /// <summary>Scores a batch; the result has exactly one entry per sample, in order. A failure for one
    /// sample is a <see cref="ScoreStatus.Failed"/> entry, never a silent 0.</summary>
    Task<IReadOnlyList<SampleScore>> ScoreAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken = default);
}

// SuccessSource: the verifiable success reward r_succ — the verifier's verdict mapped to a value
// (SuccessValues), to be placed on the last response token. Not the verifier (SuccessJudge seam).
// Reference: docs/reward-methods.md §2.2, §3.4 (R_T += r_succ).
namespace ReasonRL.Rewards.Sources;

public sealed class SuccessSource(SuccessJudge judge, SuccessValues values) : IRewardSource
{
    public string Name => "success";

    public SuccessValues Values { get; } = values;

    /// <summary>Verdict and value for one sample; a null gold is Unverifiable ("no reference answer").
    /// A judge that throws yields a Failed score carrying the exception message.</summary>
    public SampleScore Score(RewardSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        SuccessJudgement judgement;
        if (sample.Gold is null)
        {
            judgement = new SuccessJudgement(SuccessVerdict.Unverifiable, null, "no reference answer");
        }
        else
        {
            try
            {
                judgement = judge(sample.Response, sample.Gold);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return SampleScore.Fail($"verifier threw {e.GetType().Name}: {e.Message}");
            }
        }
        return new SampleScore { Verdict = judgement, Outcome = Values.ValueOf(judgement.Verdict) };
    }

    public Task<IReadOnlyList<SampleScore>> ScoreAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var scores = new SampleScore[batch.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scores[i] = Score(batch[i]);
        }
        return Task.FromResult<IReadOnlyList<SampleScore>>(scores);
    }
}

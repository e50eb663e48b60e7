// RewardPipeline: sources → composition for a batch, with per-sample failures named, never zeroed.
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;

namespace ReasonRL.Rewards.Tests;

public sealed class RewardPipelineTests
{
    /// <summary>A stand-in PRM: replays fixed step scores per response (the model-backed PRM comes with the engine).</summary>
    private sealed class TablePrm(Dictionary<string, double[]> table) : IRewardSource
    {
        public string Name => "prm:table";

        public Task<IReadOnlyList<SampleScore>> ScoreAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<SampleScore>>(batch.Select(s =>
                table.TryGetValue(s.Response, out var scores)
                    ? new SampleScore { StepScores = scores }
                    : SampleScore.Fail($"no scores for a {s.Steps.Count}-step response")).ToArray());
    }

    [Fact]
    public async Task Batch_is_composed_and_failures_are_named()
    {
        const string good = "s1\ns2\ns3\ns4";
        const string unknown = "x\ny";
        var prm = new TablePrm(new() { [good] = [0.7, 0.2, 0.4, 0.8] });
        var judge = new SuccessSource((r, g) => new SuccessJudgement(SuccessVerdict.Correct), SuccessValues.ZeroOne);
        var pipeline = new RewardPipeline(RewardDesign.ClipDeltaExample, new StepSplitter(StepSplitOptions.Lines), judge, prm);

        var results = await pipeline.ScoreAsync(
        [
            new PolicySample("q", good, "1", StepTokenMapTests.CharTokens(good)),
            new PolicySample("q", unknown, "1", StepTokenMapTests.CharTokens(unknown)),
        ]);

        Assert.True(results[0].Ok);
        WorkedExampleTests.AssertClose([0, 0.3, 0, 0, -0.2, 0, 0, -0.1, 0, 0, 1.0], results[0].Reward!.TokenRewards, 1e-12, "R_t");
        Assert.False(results[1].Ok);
        Assert.Equal("sample 1: prm:table failed: no scores for a 2-step response", results[1].Error);
    }

    [Fact]
    public void A_design_needing_a_prm_refuses_to_run_without_one()
    {
        var judge = new SuccessSource((r, g) => new SuccessJudgement(SuccessVerdict.Correct), SuccessValues.ZeroOne);
        var e = Assert.Throws<ArgumentException>(() => new RewardPipeline(RewardDesign.ClipDeltaExample, new StepSplitter(StepSplitOptions.Lines), judge));
        Assert.Contains("no step scorer", e.Message, StringComparison.Ordinal);
    }
}

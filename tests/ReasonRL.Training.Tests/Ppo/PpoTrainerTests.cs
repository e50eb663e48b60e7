// PpoTrainer behaviour: both KL placements run and report a KL, GRPO runs without a critic, GAE
// refuses to run without one, failed reward samples are excluded from the update and counted (and a
// step where every sample failed changes nothing), the NaN/Inf guard skips a bad update without
// touching the weights and throws after MaxConsecutiveNonFinite in a row, options are validated.
using ReasonRL.Rewards.Sources;
using ReasonRL.Training.Ppo;
using Xunit;

namespace ReasonRL.Training.Tests.Ppo;

public sealed class PpoTrainerTests
{
    /// <summary>Success source that fails for chosen responses, or returns a fixed (possibly NaN) outcome.</summary>
    private sealed class ScriptedSource(Func<string, bool> fails, double outcome = double.NaN) : IRewardSource
    {
        public string Name => "scripted";

        public int Calls { get; private set; }

        public Task<IReadOnlyList<SampleScore>> ScoreAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken = default)
        {
            Calls++;
            var scores = batch.Select(s => fails(s.Response)
                ? SampleScore.Fail("scripted failure")
                : new SampleScore { Outcome = double.IsNaN(outcome) ? (s.Response.StartsWith('a') ? 1.0 : 0.0) : outcome }).ToList();
            return Task.FromResult<IReadOnlyList<SampleScore>>(scores);
        }
    }

    private static (PpoStepMetrics First, PpoStepMetrics Second) TwoSteps(PpoOptions options, bool critic)
    {
        using var policy = PpoTestKit.NewPolicy(21);
        using var reference = PpoTestKit.Copy(policy);
        using var c = critic ? Critic.FromPolicy(policy, 2) : null;
        using var trainer = new PpoTrainer(options, policy, reference, c, PpoTestKit.Tokenizer, PpoTestKit.Pipeline());
        var first = trainer.TrainStep(PpoTestKit.Prompts).Metrics;
        var second = trainer.TrainStep(PpoTestKit.Prompts).Metrics;
        return (first, second);
    }

    [Theory]
    [InlineData(KlPlacement.InReward, KlEstimator.K1, AdvantageEstimator.Gae)]
    [InlineData(KlPlacement.InLoss, KlEstimator.K3, AdvantageEstimator.Gae)]
    [InlineData(KlPlacement.InReward, KlEstimator.K2, AdvantageEstimator.ReinforcePlusPlus)]
    [InlineData(KlPlacement.InLoss, KlEstimator.K3, AdvantageEstimator.Grpo)]
    [InlineData(KlPlacement.None, KlEstimator.K1, AdvantageEstimator.Rloo)]
    [InlineData(KlPlacement.InLoss, KlEstimator.K2, AdvantageEstimator.DrGrpo)]
    public void EveryKlPlacementAndEstimatorTrains(KlPlacement placement, KlEstimator estimator, AdvantageEstimator advantages)
    {
        var options = PpoTestKit.FastOptions with { KlPlacement = placement, KlEstimator = estimator, Estimator = advantages, KlCoef = 0.1 };
        var (first, second) = TwoSteps(options, critic: advantages == AdvantageEstimator.Gae);
        // step 1 samples from π = π_ref, so its KL is 0; after one update the policy has moved
        Assert.Equal(0.0, first.Kl, 6);
        if (placement == KlPlacement.None) Assert.Equal(0.0, second.Kl);
        else Assert.True(Math.Abs(second.Kl) > 1e-6, $"KL after an update should be non-zero, got {second.Kl}");
        foreach (var m in new[] { first, second })
        {
            Assert.False(m.Skipped);
            Assert.Equal(32, m.Responses);
            Assert.True(double.IsFinite(m.PolicyLoss) && double.IsFinite(m.Entropy) && m.Entropy > 0, $"policy loss {m.PolicyLoss}, entropy {m.Entropy}");
            Assert.True(m.PolicyGradNorm > 0);
            Assert.Equal(advantages == AdvantageEstimator.Gae, m.ValueLoss > 0);
            Assert.Equal(advantages == AdvantageEstimator.Gae, m.CriticGradNorm > 0);
        }
    }

    [Fact]
    public void TheFirstUpdateSeesRatioOneBecauseOldLogProbsComeFromTheSameForward()
    {
        // one update per step over differently padded micro-batches than the experience forward:
        // log π_θ must equal log π_old (up to float round-off), so nothing is clipped and approx KL ≈ 0
        var options = PpoTestKit.FastOptions with { PpoEpochs = 1, MiniBatchSize = 32, GradientAccumulation = 3, ForwardBatchSize = 5 };
        var (first, _) = TwoSteps(options, critic: true);
        Assert.Equal(0.0, first.ClipFraction);
        Assert.True(first.ApproxKl < 1e-10, $"approx KL {first.ApproxKl}");
    }

    [Fact]
    public void ProgressWalksThroughThePhasesInOrder()
    {
        using var policy = PpoTestKit.NewPolicy(4);
        using var reference = PpoTestKit.Copy(policy);
        using var critic = Critic.FromPolicy(policy, 3);
        var options = PpoTestKit.FastOptions with { GenerationBatchSize = 10, ForwardBatchSize = 7 };
        using var trainer = new PpoTrainer(options, policy, reference, critic, PpoTestKit.Tokenizer, PpoTestKit.Pipeline());
        var reports = new List<PpoProgress>();
        trainer.Progress = reports.Add;
        trainer.TrainStep(PpoTestKit.Prompts);
        Assert.All(reports, r => Assert.Equal(1, r.Step));
        var phases = reports.Select(r => r.Phase).Distinct().ToList();
        Assert.Equal([PpoPhase.Generate, PpoPhase.Score, PpoPhase.Experience, PpoPhase.Update], phases);
        for (int i = 1; i < reports.Count; i++)
            if (reports[i].Phase == reports[i - 1].Phase) Assert.True(reports[i].Done >= reports[i - 1].Done, $"progress went back at report {i}");
            else Assert.True(reports[i].Phase > reports[i - 1].Phase);
        Assert.Equal(new PpoProgress(1, PpoPhase.Generate, 32, 32), reports.Last(r => r.Phase == PpoPhase.Generate));
        Assert.Equal(new PpoProgress(1, PpoPhase.Experience, 32, 32), reports.Last(r => r.Phase == PpoPhase.Experience));
        Assert.Equal(new PpoProgress(1, PpoPhase.Update, 4, 4), reports[^1]);   // 2 epochs × 32/16 minibatches
    }

    [Fact]
    public void SamplingIsSeededPerResponseSoTheGenerationBatchSizeDoesNotMatter()
    {
        PpoStepResult Run(int generationBatch, out float[] weights)
        {
            using var policy = PpoTestKit.NewPolicy(13);
            using var reference = PpoTestKit.Copy(policy);
            using var critic = Critic.FromPolicy(policy, 3);
            using var trainer = new PpoTrainer(PpoTestKit.FastOptions with { GenerationBatchSize = generationBatch }, policy, reference, critic,
                PpoTestKit.Tokenizer, PpoTestKit.Pipeline());
            var result = trainer.TrainStep(PpoTestKit.Prompts);
            weights = PpoTestKit.Weights(policy.Parameters);
            return result;
        }
        var all = Run(64, out var w1);
        var chunked = Run(5, out var w2);
        Assert.Equal(all.Rollouts.Select(r => r.Response), chunked.Rollouts.Select(r => r.Response));
        Assert.True(all.Rollouts.Select(r => r.Response).Distinct().Count() > 4, "responses should vary across samples");
        Assert.Equal(w1, w2);
        Assert.Equal(["p0", "p0", "p0", "p0", "p0", "p0", "p0", "p0", "p1"], all.Rollouts.Take(9).Select(r => r.PromptId));
    }

    [Fact]
    public void ReusedSamplingLogProbsAgreeWithTheTrainingForward()
    {
        var options = PpoTestKit.FastOptions with { PpoEpochs = 1, MiniBatchSize = 32, ReuseSamplingLogProbs = true };
        var (first, second) = TwoSteps(options, critic: true);
        Assert.Equal(0.0, first.ClipFraction);
        Assert.True(first.ApproxKl < 1e-9, $"approx KL {first.ApproxKl}: decode and training forward disagree");
        Assert.False(second.Skipped);
        var e = Assert.Throws<ArgumentException>(() => (options with { Temperature = 0.7f }).Validate());
        Assert.Contains("ReuseSamplingLogProbs", e.Message);
    }

    [Fact]
    public void LengthGroupedBatchesGiveTheSameStepWhenOneMinibatchHoldsEveryResponse()
    {
        // one minibatch of all 32 responses: grouping changes only which forward batch computes a response's old/ref
        // log-probs and values (4 length-ordered batches of 8, scattered back to the response's row) and the order of
        // the update's sums, so both steps agree with the ungrouped ones to float round-off
        var plain = PpoTestKit.FastOptions with { PpoEpochs = 1, MiniBatchSize = 32 };
        var (a1, a2) = TwoSteps(plain, critic: true);
        var (b1, b2) = TwoSteps(plain with { LengthGroupedBatches = true, ForwardBatchSize = 8 }, critic: true);
        foreach (var (a, b) in new[] { (a1, b1), (a2, b2) })
        {
            Assert.Equal(a.Responses, b.Responses);
            Close(a.PolicyLoss, b.PolicyLoss, 1e-4, "policy loss");
            Close(a.ValueLoss, b.ValueLoss, 1e-4, "value loss");
            Close(a.PolicyGradNorm, b.PolicyGradNorm, 1e-4, "policy grad norm");
            Close(a.CriticGradNorm, b.CriticGradNorm, 1e-4, "critic grad norm");
            Assert.Equal(a.Kl, b.Kl, 6);
        }
        Assert.True(Math.Abs(a2.Kl) > 1e-6, "the second step's KL is non-zero, so it compares the moved policies");
    }

    /// <summary>|expected − actual| ≤ relative·max(|expected|, 1e-3): relative for sizeable values, 1e-3·relative
    /// absolute near 0 (the first step's whitened policy loss is 0 up to round-off).</summary>
    private static void Close(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), 1e-3), $"{what}: {expected:R} vs {actual:R}");

    [Fact]
    public void LengthGroupedMinibatchesAreDeterministicAndTrain()
    {
        var options = PpoTestKit.FastOptions with { MiniBatchSize = 8, LengthGroupedBatches = true };
        var (a1, a2) = TwoSteps(options, critic: true);
        var (b1, b2) = TwoSteps(options, critic: true);
        Assert.Equal((a1.PolicyLoss, a1.ValueLoss, a2.PolicyLoss, a2.ValueLoss, a2.Kl), (b1.PolicyLoss, b1.ValueLoss, b2.PolicyLoss, b2.ValueLoss, b2.Kl));
        foreach (var m in new[] { a1, a2 })
        {
            Assert.False(m.Skipped);
            Assert.True(double.IsFinite(m.PolicyLoss) && m.PolicyGradNorm > 0 && m.CriticGradNorm > 0);
        }
    }

    [Fact]
    public void GaeWithoutACriticIsRejectedWithAnActionableMessage()
    {
        using var policy = PpoTestKit.NewPolicy(1);
        var e = Assert.Throws<ArgumentException>(() => new PpoTrainer(PpoTestKit.FastOptions, policy, policy, null, PpoTestKit.Tokenizer, PpoTestKit.Pipeline()));
        Assert.Contains("needs a critic", e.Message);
    }

    [Fact]
    public void FailedRewardSamplesAreExcludedAndCounted()
    {
        using var policy = PpoTestKit.NewPolicy(4);
        using var reference = PpoTestKit.Copy(policy);
        using var critic = Critic.FromPolicy(policy, 3);
        var source = new ScriptedSource(r => r.StartsWith('b'));
        using var trainer = new PpoTrainer(PpoTestKit.FastOptions, policy, reference, critic, PpoTestKit.Tokenizer, PpoTestKit.Pipeline(source));
        var result = trainer.TrainStep(PpoTestKit.Prompts);
        int failing = result.Rollouts.Count(r => r.Response.StartsWith('b'));
        Assert.InRange(failing, 1, result.Rollouts.Count - 1);   // this seed samples both kinds
        Assert.Equal(failing, result.Metrics.FailedSamples);
        Assert.All(result.Rollouts.Where(r => r.Response.StartsWith('b')), r => { Assert.Null(r.Reward); Assert.Contains("scripted failure", r.Error); });
        Assert.All(result.Rollouts.Where(r => !r.Response.StartsWith('b')), r => { Assert.NotNull(r.Reward); Assert.Null(r.Error); });
        // the success mean is over the scored samples only: every scored response that starts with 'a' is a success
        int scored = result.Rollouts.Count - failing, successes = result.Rollouts.Count(r => r.Response.StartsWith('a'));
        Assert.Equal(successes / (double)scored, result.Metrics.SuccessMean, 12);
        Assert.False(result.Metrics.Skipped);
    }

    [Fact]
    public void AStepWhereEverySampleFailedChangesNoWeight()
    {
        using var policy = PpoTestKit.NewPolicy(4);
        using var reference = PpoTestKit.Copy(policy);
        using var critic = Critic.FromPolicy(policy, 3);
        using var trainer = new PpoTrainer(PpoTestKit.FastOptions, policy, reference, critic, PpoTestKit.Tokenizer, PpoTestKit.Pipeline(new ScriptedSource(_ => true)));
        var before = PpoTestKit.Weights(policy.Parameters);
        var m = trainer.TrainStep(PpoTestKit.Prompts).Metrics;
        Assert.True(m.Skipped);
        Assert.Equal(32, m.FailedSamples);
        Assert.Equal(1, trainer.Step);
        Assert.Equal(before, PpoTestKit.Weights(policy.Parameters));
    }

    [Fact]
    public void NonFiniteRewardsSkipUpdatesThenStopWithTheWeightsIntact()
    {
        using var policy = PpoTestKit.NewPolicy(4);
        using var reference = PpoTestKit.Copy(policy);
        using var critic = Critic.FromPolicy(policy, 3);
        var options = PpoTestKit.FastOptions with { MaxConsecutiveNonFinite = 3, PpoEpochs = 1, MiniBatchSize = 16 };   // 2 updates per step
        using var trainer = new PpoTrainer(options, policy, reference, critic, PpoTestKit.Tokenizer,
            PpoTestKit.Pipeline(new ScriptedSource(_ => false, outcome: double.PositiveInfinity)));
        var before = PpoTestKit.Weights(policy.Parameters);
        var criticBefore = PpoTestKit.Weights(critic.Backbone.Parameters);
        var m = trainer.TrainStep(PpoTestKit.Prompts).Metrics;
        Assert.True(m.Skipped);
        Assert.Equal(2, m.SkippedUpdates);
        Assert.Equal(before, PpoTestKit.Weights(policy.Parameters));
        var e = Assert.Throws<NonFiniteTrainingException>(() => trainer.TrainStep(PpoTestKit.Prompts));
        Assert.Contains("3 non-finite updates in a row", e.Message);
        Assert.Equal(before, PpoTestKit.Weights(policy.Parameters));
        Assert.Equal(criticBefore, PpoTestKit.Weights(critic.Backbone.Parameters));
        Assert.Equal(0, trainer.CaptureState().PolicyOptimizer.Step);
    }

    [Theory]
    [InlineData("RolloutsPerPrompt", "must be >= 1")]
    [InlineData("GradientAccumulation", "in [1, MiniBatchSize")]
    [InlineData("TotalSteps", "for the cosine schedule")]
    [InlineData("Temperature", "> 0")]
    [InlineData("Beta2", "in [0, 1)")]
    public void InvalidOptionsNameTheField(string field, string expected)
    {
        var o = field switch
        {
            "RolloutsPerPrompt" => new PpoOptions { RolloutsPerPrompt = 0 },
            "GradientAccumulation" => new PpoOptions { MiniBatchSize = 4, GradientAccumulation = 8 },
            "TotalSteps" => new PpoOptions { Schedule = LearningRateScheduleKind.Cosine, WarmupSteps = 5, TotalSteps = 5 },
            "Beta2" => new PpoOptions { Beta2 = 1.0 },
            _ => new PpoOptions { Temperature = 0 },
        };
        var e = Assert.Throws<ArgumentException>(() => o.Validate());
        Assert.Contains(field, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void LearningRateScheduleWarmsUpThenFollowsTheCosine()
    {
        Assert.Equal(0.5, LearningRateSchedule.At(0, 1.0, LearningRateScheduleKind.Cosine, 1, 11, 0.1), 12);
        Assert.Equal(1.0, LearningRateSchedule.At(1, 1.0, LearningRateScheduleKind.Cosine, 1, 11, 0.1), 12);
        Assert.Equal(0.1 + 0.9 * 0.5, LearningRateSchedule.At(6, 1.0, LearningRateScheduleKind.Cosine, 1, 11, 0.1), 12);   // halfway
        Assert.Equal(0.1, LearningRateSchedule.At(11, 1.0, LearningRateScheduleKind.Cosine, 1, 11, 0.1), 12);
        Assert.Equal(0.1, LearningRateSchedule.At(50, 1.0, LearningRateScheduleKind.Cosine, 1, 11, 0.1), 12);
        Assert.Equal(2.0, LearningRateSchedule.At(7, 2.0, LearningRateScheduleKind.Constant, 3, 0, 0.1), 12);
    }
}

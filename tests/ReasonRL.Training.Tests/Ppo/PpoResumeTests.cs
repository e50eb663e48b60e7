// Exact resume at library level: k + m uninterrupted steps vs k steps → CaptureState → a new trainer
// over copies of the weights → RestoreState → m steps; the policy and critic weights (and the next
// trainer state) are bitwise identical. Exercises every stateful part: AdamW moments of three slabs,
// the RNG stream (sampling coins and minibatch shuffles), the adaptive KL coefficient, the LR schedule.
using ReasonRL.Models;
using ReasonRL.Training.Ppo;
using Xunit;

namespace ReasonRL.Training.Tests.Ppo;

public sealed class PpoResumeTests
{
    private static readonly PpoOptions Options = PpoTestKit.FastOptions with
    {
        RolloutsPerPrompt = 4,
        MiniBatchSize = 6,
        GradientAccumulation = 2,
        AdaptiveKl = true,
        KlTarget = 0.05,
        KlHorizon = 50,
        Schedule = LearningRateScheduleKind.Cosine,
        WarmupSteps = 1,
        TotalSteps = 6,
        EntropyCoef = 0.01,
    };

    [Fact]
    public void ResumedRunEndsWithBitwiseIdenticalWeightsAndState()
    {
        const int k = 2, m = 2;
        using var policyA = PpoTestKit.NewPolicy(3);
        using var reference = PpoTestKit.Copy(policyA);
        using var criticA = Critic.FromPolicy(policyA, headSeed: 9);
        using var policyB = PpoTestKit.Copy(policyA);
        using var criticB = Critic.FromParts(criticA.Backbone, criticA.Head);

        using (var uninterrupted = new PpoTrainer(Options, policyA, reference, criticA, PpoTestKit.Tokenizer, PpoTestKit.Pipeline()))
        {
            for (int s = 0; s < k + m; s++) uninterrupted.TrainStep(PpoTestKit.Prompts);
            Assert.Equal(k + m, uninterrupted.Step);
        }

        PpoTrainerState saved;
        using (var first = new PpoTrainer(Options, policyB, reference, criticB, PpoTestKit.Tokenizer, PpoTestKit.Pipeline()))
        {
            for (int s = 0; s < k; s++) first.TrainStep(PpoTestKit.Prompts);
            saved = first.CaptureState();
        }
        Assert.Equal(k, saved.Step);
        Assert.NotEqual(Options.KlCoef, saved.KlCoefficient);      // the adaptive β moved, so restoring it matters

        // a fresh process: new model objects holding copies of the saved weights
        using var policyC = PpoTestKit.Copy(policyB);
        using var criticC = Critic.FromParts(criticB.Backbone, criticB.Head);
        using (var resumed = new PpoTrainer(Options, policyC, reference, criticC, PpoTestKit.Tokenizer, PpoTestKit.Pipeline()))
        {
            resumed.RestoreState(saved);
            for (int s = 0; s < m; s++) resumed.TrainStep(PpoTestKit.Prompts);
            Assert.Equal(k + m, resumed.Step);
        }

        AssertBitwise(policyA.Parameters, policyC.Parameters, "policy");
        AssertBitwise(criticA.Backbone.Parameters, criticC.Backbone.Parameters, "critic backbone");
        AssertBitwise(criticA.Head.Parameters, criticC.Head.Parameters, "critic head");
        Assert.False(PpoTestKit.Weights(policyA.Parameters).SequenceEqual(PpoTestKit.Weights(reference.Parameters)), "training changed the policy");
    }

    [Fact]
    public void RestoreRejectsAStateWithoutCriticForAGaeTrainer()
    {
        using var policy = PpoTestKit.NewPolicy(3);
        using var reference = PpoTestKit.Copy(policy);
        using var critic = Critic.FromPolicy(policy, 1);
        using var grpo = new PpoTrainer(Options with { Estimator = AdvantageEstimator.Grpo }, policy, reference, null, PpoTestKit.Tokenizer, PpoTestKit.Pipeline());
        using var gae = new PpoTrainer(Options, policy, reference, critic, PpoTestKit.Tokenizer, PpoTestKit.Pipeline());
        var e = Assert.Throws<ArgumentException>(() => gae.RestoreState(grpo.CaptureState()));
        Assert.Contains("critic", e.Message);
    }

    private static void AssertBitwise(Tensors.NativeSlab expected, Tensors.NativeSlab actual, string what)
    {
        var a = PpoTestKit.Weights(expected);
        var b = PpoTestKit.Weights(actual);
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
                Assert.Fail($"{what}: float {i} differs: {a[i]:R} vs {b[i]:R}");
    }
}

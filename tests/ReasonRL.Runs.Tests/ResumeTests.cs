// Composition tests: (1) an interrupted-and-resumed run of the pure pieces (RNG, adaptive KL, NaN
// guard, metrics cursor, checkpoint) writes byte-identical metrics and ends in the same state as an
// uninterrupted run; (2) KL in reward → GAE → PPO loss on one batch agrees with hand composition.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Training;
using ReasonRL.Training.Tests;
using Xunit;

namespace ReasonRL.Runs.Tests;

public sealed class ResumeTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rrl-resume-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    /// <summary>Runs steps (from, to] of a fake loop; "weights" move by RNG-drawn amounts; checkpoints every 2 steps.</summary>
    private static void RunSteps(string run, long from, long to, Rng rng, AdaptiveKlController kl, NanGuard guard, float[] weights, long cursor, long? crashAfter)
    {
        var store = new CheckpointStore(Path.Combine(run, "ckpt"), 2);
        using var metrics = MetricsWriter.Open(run, cursor, tensorboard: false);
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        for (long step = from + 1; step <= to; step++)
        {
            double observedKl = rng.NextDouble() * 12;
            double loss = step % 5 == 0 ? double.NaN : rng.NextDouble();
            if (guard.Check(step, loss) == NanGuardAction.Apply)
                for (int i = 0; i < weights.Length; i++) weights[i] += (float)(rng.NextDouble() - 0.5);
            kl.Update(observedKl, 64);
            metrics.Write(step, [new(MetricNames.Kl, observedKl), new(MetricNames.KlCoefficient, kl.Beta), new(MetricNames.SkippedUpdates, guard.TotalSkipped)], t0.AddSeconds(step));
            if (step % 2 == 0)
                store.Save(new CheckpointState(step, rng.State, "h", metrics.Cursor, kl.Beta, guard.Consecutive, guard.TotalSkipped),
                    [new CheckpointPart("policy", [SafeTensorsTensor.FromFloats("w", [weights.Length], (float[])weights.Clone())])]);
            if (crashAfter == step) return;   // steps after the last checkpoint are lost, metrics for them stay in the file
        }
    }

    [Fact]
    public void InterruptedRun_ResumesExactly()
    {
        string a = Path.Combine(root, "a"), b = Path.Combine(root, "b");
        var wA = new float[3];
        var klA = new AdaptiveKlController(0.1, 6, 1000);
        var gA = new NanGuard(3);
        var rngA = new Rng(123);
        RunSteps(a, 0, 12, rngA, klA, gA, wA, 0, null);

        // Run b crashes after step 7 (last checkpoint: step 6), then resumes from the checkpoint.
        RunSteps(b, 0, 12, new Rng(123), new AdaptiveKlController(0.1, 6, 1000), new NanGuard(3), new float[3], 0, crashAfter: 7);
        var ck = new CheckpointStore(Path.Combine(b, "ckpt"), 2).LoadLatest()!;
        Assert.Equal(6, ck.State.Step);
        var klB = new AdaptiveKlController(0.1, 6, 1000);
        klB.Restore(ck.State.KlCoefficient);
        var gB = new NanGuard(3);
        gB.Restore(ck.State.NanConsecutive, ck.State.NanTotalSkipped);
        var rngB = new Rng(ck.State.RngState);
        var wB = ck.Parts["policy"]["w"].Floats;
        RunSteps(b, ck.State.Step, 12, rngB, klB, gB, wB, ck.State.MetricsCursor, null);

        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "metrics.jsonl")), File.ReadAllBytes(Path.Combine(b, "metrics.jsonl")));
        Assert.Equal(wA, wB);
        Assert.Equal(rngA.State, rngB.State);
        Assert.Equal(klA.Beta, klB.Beta);
        Assert.Equal(2, gB.TotalSkipped);  // steps 5 and 10
        Assert.Equal(12, File.ReadAllLines(Path.Combine(b, "metrics.jsonl")).Length);
    }

    [Fact]
    public void KlInReward_Gae_PolicyLoss_Compose()
    {
        // One response of 2 tokens: outcome 1 on the last token, k1 KL with β = 0.1.
        double[] lp = [-1.0, -0.5], rf = [-1.2, -0.5], v = [0.5, 0.8];
        bool[] m = [true, true];
        var kl = KlPenalty.PerToken(lp, rf, m, KlEstimator.K1);          // [0.2, 0]
        var r = KlPenalty.ApplyToRewards([0, 1], kl, m, 0.1);             // [−0.02, 1]
        var (adv, ret) = Advantages.Gae(r, v, m, [0.0], 1, 2, 1, 1);      // A1 = 1 − 0.8 = 0.2; A0 = −0.02 + 0.8 − 0.5 + 0.2 = 0.48
        Assert.Equal(0.48, adv[0], 12);
        Assert.Equal(0.2, adv[1], 12);
        Assert.Equal(0.98, ret[0], 12);
        Assert.Equal(1.0, ret[1], 12);
        var p = PolicyLoss.Compute(lp, lp, adv, m, 1, 2, new PolicyLossOptions());  // ratio 1 everywhere
        Assert.Equal(-(0.48 + 0.2) / 2, p.Loss, 12);
        Assert.Equal(0.0, p.ClipFraction);
        Near.Equal([-0.24, -0.1], p.Gradient, 12);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void GroupProperties_OnRandomScores(int seed)
    {
        var rng = new Rng((ulong)seed);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 2 + rng.NextInt(7);
            var s = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
            var g = new int[n];
            var dr = Advantages.DrGrpo(s, g);
            var rloo = Advantages.Rloo(s, g);
            Assert.Equal(0.0, dr.Sum(), 10);
            Assert.Equal(0.0, rloo.Sum(), 10);
            for (int i = 0; i < n; i++) Assert.Equal(n / (n - 1.0) * dr[i], rloo[i], 10);
            var grpo = Advantages.Grpo(s, g, 0);
            double ss = grpo.Sum(x => x * x);
            Assert.Equal(n - 1.0, ss, 8);   // unit unbiased variance
        }
    }
}

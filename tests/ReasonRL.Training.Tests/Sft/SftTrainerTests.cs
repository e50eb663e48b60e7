// SftTrainer tests: a tiny model memorises a few responses; the loss and gradient are those of the
// response tokens only (prompt targets excluded, right padding inert); gradient accumulation over two
// half-batches equals one full batch; same seed → bit-identical run; the NaN guard skips and stops
// with the weights untouched; updates follow the warmup + cosine schedule.
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Training.Sft;
using Xunit;

namespace ReasonRL.Training.Tests.Sft;

public sealed class SftTrainerTests
{
    private static readonly ModelConfig Tiny = new()
    {
        VocabSize = 12, HiddenSize = 16, IntermediateSize = 32, LayerCount = 2, HeadCount = 4, KvHeadCount = 2,
        MaxPositionEmbeddings = 32, TieWordEmbeddings = true, AttentionBias = true,
    };

    private static Transformer NewModel(int seed = 3)
    {
        var m = new Transformer(Tiny, new ManagedGemm());
        m.InitializeRandom(seed, 0.1f);
        return m;
    }

    /// <summary>Prompts of different lengths (so batches are ragged and right-padded); EOS = 11 ends each response.</summary>
    private static readonly SftExample[] Data =
    [
        new([1, 2], [5, 6, 7, 11]),
        new([1, 3, 4], [8, 9, 11]),
        new([1], [10, 5, 5, 6, 11]),
        new([1, 4, 4, 4], [7, 11]),
    ];

    private static float[] ParametersOf(Transformer m) => m.Parameters.Range(0, (int)m.Parameters.Length).ToArray();
    private static float[] GradientsOf(Transformer m) => m.Gradients!.Range(0, (int)m.Gradients!.Length).ToArray();

    /// <summary>−(1/N) Σ log p over response tokens, computed row by row (B = 1, no padding) from full logits.</summary>
    private static double ReferenceLoss(Transformer m, IReadOnlyList<SftExample> batch)
    {
        double sum = 0; int n = 0;
        foreach (var e in batch)
        {
            int[] ids = [.. e.Prompt, .. e.Response];
            int t = ids.Length - 1;
            m.Forward(ids.AsSpan(0, t), 1, t);
            var logits = m.LmHeadForward();
            for (int i = e.Prompt.Length - 1; i < t; i++)
            {
                var row = logits.Slice(i * Tiny.VocabSize, Tiny.VocabSize);
                double max = double.NegativeInfinity;
                foreach (var z in row) max = Math.Max(max, z);
                double lse = 0;
                foreach (var z in row) lse += Math.Exp(z - max);
                sum -= row[ids[i + 1]] - max - Math.Log(lse);
                n++;
            }
        }
        return sum / n;
    }

    [Fact]
    public void LossFallsOnAMemorisationSet()
    {
        using var m = NewModel();
        using var t = new SftTrainer(m, new SftOptions { Epochs = 60, BatchSize = 4, LearningRate = 1e-2, MinLearningRateRatio = 1, MaxGradNorm = 1 });
        double before = t.Evaluate(Data);
        var steps = t.Train(Data);
        double after = t.Evaluate(Data);
        Assert.Equal(60, steps.Count);
        Assert.All(steps, s => Assert.False(s.Skipped));
        Assert.InRange(before, 2.0, 3.0);          // ≈ ln 12 = 2.48 at a small random init
        Assert.True(after < 0.1, $"loss {before:F3} → {after:F3}: expected < 0.1 after 60 updates on 4 examples");
        Assert.Equal(14, steps[0].Tokens);          // 4 + 3 + 5 + 2 response tokens
    }

    [Fact]
    public void BatchTargetsAreResponseTokensOnly()
    {
        var b = SftBatch.From([Data[0], Data[2]], 31);
        // Row 0: ids 1 2 5 6 7 11 → inputs 1 2 5 6 7 [pad…], targets −1 5 6 7 11 −1…; row 1: 1 10 5 5 6 11.
        Assert.Equal(5, b.Tokens);
        Assert.Equal([-1, 5, 6, 7, 11], b.Targets[..5]);
        Assert.Equal([10, 5, 5, 6, 11], b.Targets[5..]);
        Assert.Equal([1, 2, 5, 6, 7], b.Inputs[..5]);
        Assert.Equal(9, b.TargetCount);
        var padded = SftBatch.From([Data[3], Data[2]], 31);
        Assert.Equal([-1, -1, -1, 7, 11], padded.Targets[..5]);   // 3 prompt targets, then response
        Assert.Throws<ArgumentException>(() => SftBatch.From([new SftExample([1], [2, 3, 4])], 2));
    }

    [Fact]
    public void LossAndGradientAreThoseOfResponseTokensOnly()
    {
        const double LossTolerance = 1e-5;   // float32 forward vs float64 log-softmax of the same logits
        using var m = NewModel();
        double reference = ReferenceLoss(m, Data);
        using var t = new SftTrainer(m, new SftOptions { BatchSize = 4, LearningRate = 1e-9, MaxGradNorm = 0 });
        var r = t.Step(Data);   // all four rows in one right-padded batch
        Assert.Equal(reference, r.Loss, LossTolerance);
        var trainerGrad = GradientsOf(m);

        // The same full sequences with the prompt positions' targets switched ON give a different gradient,
        // and the trainer's gradient equals the one with them OFF: prompt targets contribute nothing.
        using var m2 = NewModel();
        var b = SftBatch.From(Data, 31);
        m2.ZeroGradients();
        m2.ForwardLoss(b.Inputs, b.Targets, b.Batch, b.Tokens);
        m2.BackwardLoss(b.Targets);
        var off = GradientsOf(m2);
        var all = (int[])b.Targets.Clone();
        for (int row = 0; row < b.Batch; row++)
            for (int i = 0; i + 1 < Data[row].Prompt.Length; i++) all[row * b.Tokens + i] = Data[row].Prompt[i + 1];
        m2.ZeroGradients();
        m2.ForwardLoss(b.Inputs, all, b.Batch, b.Tokens);
        m2.BackwardLoss(all);
        var on = GradientsOf(m2);
        Assert.Equal(0, MaxAbsDiff(trainerGrad, off), 6);
        Assert.True(MaxAbsDiff(trainerGrad, on) > 1e-3, "including prompt targets should change the gradient");
    }

    [Fact]
    public void AccumulatingTwoHalfBatchesEqualsOneFullBatch()
    {
        const float GradTolerance = 1e-6f;   // same kernels, different summation grouping
        const float ParamTolerance = 1e-5f;  // three Adam updates of size ≈ lr = 1e-3 amplify nothing beyond this
        using var a = NewModel();
        using var b = NewModel();
        using var ta = new SftTrainer(a, new SftOptions { BatchSize = 4, LearningRate = 1e-3, GradientAccumulation = 1, MaxGradNorm = 0.5 });
        using var tb = new SftTrainer(b, new SftOptions { BatchSize = 4, LearningRate = 1e-3, GradientAccumulation = 2, MaxGradNorm = 0.5 });
        for (int s = 0; s < 3; s++)
        {
            var ra = ta.Step(Data);
            var rb = tb.Step(Data);
            Assert.Equal(ra.Loss, rb.Loss, 5);
            Assert.Equal(ra.GradNorm, rb.GradNorm, 5);
            Assert.Equal(ra.Tokens, rb.Tokens);
            Assert.True(MaxAbsDiff(GradientsOf(a), GradientsOf(b)) < GradTolerance);
        }
        Assert.True(MaxAbsDiff(ParametersOf(a), ParametersOf(b)) < ParamTolerance);
    }

    [Fact]
    public void SameSeedIsBitIdentical_DifferentSeedShufflesDifferently()
    {
        float[] Run(ulong seed)
        {
            using var m = NewModel();
            using var t = new SftTrainer(m, new SftOptions { Epochs = 3, BatchSize = 2, LearningRate = 5e-3, WarmupSteps = 2, Seed = seed });
            t.Train(Data);
            return ParametersOf(m);
        }
        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
        var p1 = SftSchedule.Plan(10, new SftOptions { Epochs = 2, BatchSize = 4, Seed = 1 });
        Assert.Equal([4, 4, 2, 4, 4, 2], p1.Select(x => x.Length));
        Assert.Equal(Enumerable.Range(0, 10), p1.Take(3).SelectMany(x => x).Order());   // each epoch is a permutation
    }

    [Fact]
    public void NonFiniteUpdatesAreSkippedThenTrainingStopsWithWeightsIntact()
    {
        using var m = NewModel();
        m.Parameters.View(m.Layout.Embedding)[Tiny.HiddenSize * 5] = float.NaN;   // token 5's embedding → NaN loss
        var before = ParametersOf(m);
        using var t = new SftTrainer(m, new SftOptions { Epochs = 10, BatchSize = 4, MaxConsecutiveNonFinite = 3 });
        var steps = t.Train(Data);
        Assert.Equal(3, steps.Count);
        Assert.All(steps, s => Assert.True(s.Skipped));
        Assert.Equal(3, t.SkippedSteps);
        Assert.NotNull(t.StopReason);
        Assert.Equal(before, ParametersOf(m));
        Assert.Equal(0, t.Optimizer.Step);
    }

    [Fact]
    public void UpdatesFollowTheWarmupCosineSchedule()
    {
        // W = 2, S = 6 updates (3 epochs of 2 batches), floor 0.1: warmup lr·1/3, lr·2/3, then cosine from lr to 0.1·lr.
        using var m = NewModel();
        using var t = new SftTrainer(m, new SftOptions { Epochs = 3, BatchSize = 2, LearningRate = 0.01, WarmupSteps = 2, MinLearningRateRatio = 0.1 });
        var lr = t.Train(Data).Select(s => s.LearningRate).ToArray();
        double[] expected = [0.01 / 3, 0.02 / 3, 0.01, 0.01 * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI / 4))), 0.0055,
            0.01 * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(3 * Math.PI / 4)))];
        Near.Equal(expected, lr, 12);
    }

    [Fact]
    public void InvalidOptionsNameTheOption()
    {
        using var m = NewModel();
        var e = Assert.Throws<ArgumentException>(() => new SftTrainer(m, new SftOptions { BatchSize = 2, GradientAccumulation = 3 }));
        Assert.Contains("GradientAccumulation is 3", e.Message);
    }

    private static float MaxAbsDiff(float[] x, float[] y)
    {
        float d = 0;
        for (int i = 0; i < x.Length; i++) d = Math.Max(d, Math.Abs(x[i] - y[i]));
        return d;
    }
}

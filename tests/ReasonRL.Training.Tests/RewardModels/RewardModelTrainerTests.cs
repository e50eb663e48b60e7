// RewardModelTrainer on a small seeded synthetic task whose label is a function of the token read
// (positive iff token < 5): the trained PRM and ORM beat the majority baseline by a wide margin, training
// is deterministic for a seed, and malformed examples are rejected naming the example.
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Training.RewardModels;
using Xunit;

namespace ReasonRL.Training.Tests.RewardModels;

public sealed class RewardModelTrainerTests
{
    internal static ModelConfig TinyConfig() => new()
    {
        VocabSize = 11, HiddenSize = 16, IntermediateSize = 32, LayerCount = 1, HeadCount = 2, KvHeadCount = 1,
        MaxPositionEmbeddings = 64, TieWordEmbeddings = true, AttentionBias = true,
    };

    private static RewardModel NewModel(RewardModelKind kind, int seed)
    {
        var backbone = new Transformer(TinyConfig(), new ManagedGemm());
        backbone.InitializeRandom(seed);
        return RewardModel.Create(kind, backbone, seed + 1);
    }

    private static List<RewardModelExample> Synthetic(int count, int seed, bool everyPosition)
    {
        var rng = new Random(seed);
        var examples = new List<RewardModelExample>();
        for (int i = 0; i < count; i++)
        {
            var tokens = Enumerable.Range(0, rng.Next(4, 12)).Select(_ => rng.Next(11)).ToArray();
            int[] positions = everyPosition ? [.. Enumerable.Range(0, tokens.Length)] : [tokens.Length - 1];
            var labels = positions.Select(p => tokens[p] < 5 ? 1f : 0f).ToArray();
            examples.Add(new RewardModelExample(tokens, positions, labels, GroupId: $"g{i / 4}", ResponseCorrect: labels[^1] == 1f));
        }
        return examples;
    }

    [Theory]
    [InlineData(RewardModelKind.Prm, true)]
    [InlineData(RewardModelKind.Orm, false)]
    public void TrainedModelBeatsTheMajorityBaseline(RewardModelKind kind, bool everyPosition)
    {
        using var model = NewModel(kind, 7);
        using var trainer = new RewardModelTrainer(model, new RewardModelTrainOptions { Epochs = 4, BatchSize = 8, LearningRate = 3e-3, Seed = 3 });
        var progress = new List<RewardModelProgress>();
        var report = trainer.Train(Synthetic(240, 1, everyPosition), Synthetic(80, 2, everyPosition), progress.Add);
        Assert.Equal(4 * 30, progress.Count);
        Assert.Equal(progress.Count, report.Steps);
        Assert.True(report.StepAccuracy >= report.MajorityBaseline + 0.2, $"accuracy {report.StepAccuracy} vs baseline {report.MajorityBaseline}");
        Assert.True(report.Auc > 0.9, $"AUC {report.Auc}");
        Assert.True(report.HeldOutLoss < progress[0].Loss, $"held-out loss {report.HeldOutLoss} vs first step {progress[0].Loss}");
        Assert.NotNull(report.BestOfNAccuracy);
        Assert.True(report.BestOfNAccuracy >= report.BestOfN.Values.First().RandomPick);
        Assert.Contains("\"step_accuracy\"", report.ToJson());
    }

    [Fact]
    public void TrainingIsDeterministicForASeed()
    {
        double Run()
        {
            using var model = NewModel(RewardModelKind.Prm, 5);
            using var trainer = new RewardModelTrainer(model, new RewardModelTrainOptions { Epochs = 1, BatchSize = 8, LearningRate = 1e-3, Seed = 9 });
            return trainer.Train(Synthetic(32, 4, true), Synthetic(8, 5, true)).HeldOutLoss;
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void TheCosineScheduleWarmsUpThenDecaysToItsFloorOverAllEpochs()
    {
        using var model = NewModel(RewardModelKind.Prm, 5);
        var options = new RewardModelTrainOptions
        {
            Epochs = 2, BatchSize = 8, LearningRate = 1e-3, Seed = 9, Schedule = ReasonRL.Training.Ppo.LearningRateScheduleKind.Cosine, WarmupSteps = 2, MinLearningRateRatio = 0.1,
        };
        using var trainer = new RewardModelTrainer(model, options);
        var progress = new List<RewardModelProgress>();
        trainer.Train(Synthetic(64, 4, true), Synthetic(8, 5, true), progress.Add);
        Assert.Equal(16, progress.Count);
        // Warm-up: lr₀·(s + 1)/(W + 1) for s = 0, 1; then the cosine from lr₀ (s = 2) to 0.1·lr₀ at s = 15 (p = 13/14).
        Assert.Equal(1e-3 / 3, progress[0].LearningRate, 12);
        Assert.Equal(2e-3 / 3, progress[1].LearningRate, 12);
        Assert.Equal(1e-3, progress[2].LearningRate, 12);
        Assert.Equal(1e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 13 / 14))), progress[15].LearningRate, 12);
        for (int s = 3; s < 16; s++) Assert.True(progress[s].LearningRate < progress[s - 1].LearningRate, $"step {s}: {progress[s].LearningRate} ≥ {progress[s - 1].LearningRate}");
        Assert.Equal(progress[15].LearningRate, trainer.CurrentLearningRate);
    }

    [Fact]
    public void TheConstantScheduleKeepsTheRateAndBadScheduleSettingsAreRejected()
    {
        using var model = NewModel(RewardModelKind.Prm, 5);
        using (var trainer = new RewardModelTrainer(model, new RewardModelTrainOptions { Epochs = 1, BatchSize = 8, LearningRate = 1e-3, Seed = 9 }))
        {
            var progress = new List<RewardModelProgress>();
            trainer.Train(Synthetic(32, 4, true), Synthetic(8, 5, true), progress.Add);
            Assert.All(progress, p => Assert.Equal(1e-3, p.LearningRate, 12));
        }
        Assert.Contains("warm-up steps must be ≥ 0, got -1",
            Assert.Throws<ArgumentException>(() => new RewardModelTrainOptions { WarmupSteps = -1 }.Validate()).Message);
        Assert.Contains("min lr ratio) must be in [0, 1], got 1.5",
            Assert.Throws<ArgumentException>(() => new RewardModelTrainOptions { MinLearningRateRatio = 1.5 }.Validate()).Message);
    }

    [Fact]
    public void MalformedExamplesAreRejected()
    {
        using var model = NewModel(RewardModelKind.Prm, 1);
        using var trainer = new RewardModelTrainer(model, new RewardModelTrainOptions());
        var good = Synthetic(2, 1, true);
        Assert.Contains("training example 1: 1 positions but 2 labels",
            Assert.Throws<ArgumentException>(() => trainer.Train([good[0], new RewardModelExample([1, 2], [1], [0f, 1f])], [])).Message);
        Assert.Contains("held-out example 0: label 0.5",
            Assert.Throws<ArgumentException>(() => trainer.Train(good, [new RewardModelExample([1, 2], [1], [0.5f])])).Message);
        Assert.Contains("position 2 outside",
            Assert.Throws<ArgumentException>(() => trainer.Train([new RewardModelExample([1, 2], [2], [1f])], [])).Message);
        Assert.Throws<ArgumentException>(() => new RewardModelTrainer(model, new RewardModelTrainOptions { Epochs = 0 }));
    }
}

// Acceptance (issue 5): a PRM trained on a small labelled set made from the lab task (SFT solutions plus
// corrupted variants, labelled by StepLabeller; LabStepLabelledSet) beats the majority-class baseline on
// held-out step labels (split by problem, so no problem is on both sides). Seeded and small, on a fresh
// random tiny backbone: the margin is small (≈ 0.68 vs 0.65 here; AUC ≈ 0.62) because such a backbone does
// not learn to check arithmetic in this budget — a PRM initialised from the SFT policy is the intended
// route. Full-size figures: `reasonrl train-rm` (see the rm report).
using ReasonRL.Data.Datasets;
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Training.RewardModels;
using Xunit;
using Xunit.Abstractions;

namespace ReasonRL.Training.Tests.RewardModels;

public sealed class LabPrmAcceptanceTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Lane", "Slow")]
    public void PrmTrainedOnTheLabSetBeatsTheMajorityBaseline()
    {
        var tok = new CharTokenizer(LabTask.Alphabet);
        var records = LabStepLabelledSet.Build(new LabStepSetOptions { Problems = 100, VariantsPerProblem = 5, Seed = 1 });
        var examples = records.Select(r => RewardModelExamples.FromRecord(tok, r)).ToList();
        var (train, heldOut) = HeldOutSplit.ByGroup(examples, 0.2, seed: 1);
        Assert.Empty(train.Select(e => e.GroupId).Intersect(heldOut.Select(e => e.GroupId)));
        var config = new ModelConfig
        {
            VocabSize = tok.VocabSize, HiddenSize = 64, IntermediateSize = 128, LayerCount = 2, HeadCount = 4, KvHeadCount = 2,
            MaxPositionEmbeddings = 512,
        };
        var backbone = new Transformer(config, new ManagedGemm());
        backbone.InitializeRandom(1);
        using var model = RewardModel.Create(RewardModelKind.Prm, backbone, 2);
        using var trainer = new RewardModelTrainer(model, new RewardModelTrainOptions { Epochs = 6, BatchSize = 16, LearningRate = 2e-3, Seed = 1 });
        var report = trainer.Train(train, heldOut);
        output.WriteLine(report.ToJson());
        Assert.True(report.HeldOutPositions >= 400, $"only {report.HeldOutPositions} held-out steps");
        Assert.True(report.StepAccuracy > report.MajorityBaseline, $"step accuracy {report.StepAccuracy:F3} vs majority baseline {report.MajorityBaseline:F3}");
        Assert.True(report.Auc > 0.55, $"AUC {report.Auc:F3}");
        Assert.True(report.HeldOutLoss < RewardModelMetrics.Bce(0, 1), $"held-out loss {report.HeldOutLoss:F3} is no better than a constant 0.5");
    }
}

// LabRewardModelStage: stage "rm" of the lab — trains the PRM and the ORM with RewardModelTrainer on
// the labelled SFT samples, each with a backbone initialised from the SFT policy, and writes rm/prm/
// and rm/orm/ (HF dirs) plus rm/quality.json (held-out accuracy vs majority baseline, AUC, best-of-n).
// PRM labels: one per line (final-answer line included), positive for Correct and — as in the paper's
// hackable PRM — for Unnecessary lines (PrmLabelOptions.Default); ORM label: final answer correct.
// Held-out = the last RewardModelHeldOutShare of the sampled problems (split by problem).
// Not the trainer (RewardModelTrainer) and not the scoring sources (PrmRewardSource / OrmRewardSource).
using System.Diagnostics;
using System.Globalization;
using ReasonRL.Data.Records;
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Training.RewardModels;
using ReasonRL.Training;

namespace ReasonRL.Runs.Lab;

/// <summary>The reward-model stage.</summary>
public static class LabRewardModelStage
{
    /// <summary>Stage key.</summary>
    public const string Key = "rm";

    /// <summary>Relative paths of the outputs.</summary>
    public const string PrmPath = "rm/prm", OrmPath = "rm/orm", QualityPath = "rm/quality.json";

    /// <summary>Trains both reward models unless already complete; returns their held-out quality.</summary>
    public static IReadOnlyList<LabRewardModelQuality> Run(LabContext ctx, IReadOnlyList<LabLabelledRow> labelled)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(labelled);
        string qualityPath = ctx.Folder.PathOf(QualityPath);
        if (ctx.Folder.IsComplete(Key)) return LabRunFolder.ReadJson(qualityPath, LabJsonContext.Default.ListLabRewardModelQuality);

        var clock = Stopwatch.StartNew();
        var (train, heldOut) = Split(ctx, labelled);
        string file = ctx.Folder.PathOf(LabSamplingStage.LabelledPath);
        var labels = PrmLabelOptions.Default;
        RewardModelExample Prm(LabLabelledRow r)
        {
            var problem = ctx.Problem(r.ProblemId, file);
            var steps = r.Lines.Where(l => labels.IncludeFinalAnswerLine || !l.IsFinalAnswer).ToList();
            var record = new PrmRecord(problem.Question, steps.Select(l => r.Response.Substring(l.Start, l.Length)).ToList(),
                steps.Select(l => labels.IsPositive(l.Label)).ToList());
            return RewardModelExamples.FromRecord(ctx.Tokenizer, record, groupId: r.ProblemId, responseCorrect: r.Correct);
        }
        RewardModelExample Orm(LabLabelledRow r) =>
            RewardModelExamples.FromRecord(ctx.Tokenizer, new OrmRecord(ctx.Problem(r.ProblemId, file).Question, r.Response, r.Correct), groupId: r.ProblemId);

        // Responses without any non-blank line have no step to score: the PRM skips them (the ORM keeps them).
        var prmTrain = train.Where(r => r.Lines.Count > 0).Select(Prm).ToList();
        var prmHeldOut = heldOut.Where(r => r.Lines.Count > 0).Select(Prm).ToList();
        var quality = new List<LabRewardModelQuality>
        {
            TrainOne(ctx, RewardModelKind.Prm, prmTrain, prmHeldOut, ctx.Folder.PathOf(PrmPath)),
            TrainOne(ctx, RewardModelKind.Orm, train.Select(Orm).ToList(), heldOut.Select(Orm).ToList(), ctx.Folder.PathOf(OrmPath)),
        };
        LabRunFolder.WriteJsonAtomic(qualityPath, quality, LabJsonContext.Default.ListLabRewardModelQuality);
        ctx.Folder.Complete(Key, clock.Elapsed);
        return quality;
    }

    /// <summary>Splits labelled rows by problem: the last share of the sampled problems is held out.</summary>
    public static (List<LabLabelledRow> Train, List<LabLabelledRow> HeldOut) Split(LabContext ctx, IReadOnlyList<LabLabelledRow> labelled)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(labelled);
        var problemIds = labelled.Select(r => r.ProblemId).Distinct(StringComparer.Ordinal).ToList();
        int heldOutCount = Math.Max(1, (int)Math.Round(problemIds.Count * ctx.Preset.RewardModelHeldOutShare));
        if (heldOutCount >= problemIds.Count)
        {
            throw new InvalidOperationException($"lab reward models: {problemIds.Count} sampled problem(s) cannot be split into train and held-out; raise SampleProblems");
        }
        var heldOutIds = problemIds.Skip(problemIds.Count - heldOutCount).ToHashSet(StringComparer.Ordinal);
        return (labelled.Where(r => !heldOutIds.Contains(r.ProblemId)).ToList(), labelled.Where(r => heldOutIds.Contains(r.ProblemId)).ToList());
    }

    private static LabRewardModelQuality TrainOne(LabContext ctx, RewardModelKind kind, IReadOnlyList<RewardModelExample> train,
        IReadOnlyList<RewardModelExample> heldOut, string directory)
    {
        var preset = ctx.Preset;
        string name = kind == RewardModelKind.Prm ? "prm" : "orm";
        // The backbone starts as a copy of the SFT policy (ownership passes to the reward model).
        using var model = RewardModel.Create(kind, LabModels.Load(ctx.Folder.PathOf(LabSftStage.PolicyPath)), headSeed: preset.BaseSeed);
        var options = new RewardModelTrainOptions
        {
            Epochs = preset.RewardModelEpochs,
            BatchSize = preset.RewardModelBatchSize,
            LearningRate = preset.RewardModelLearningRate,
            Seed = (ulong)preset.BaseSeed,
        };
        RewardModelReport report;
        using (var trainer = new RewardModelTrainer(model, options))
        {
            report = trainer.Train(train, heldOut, p => ctx.Progress(new LabProgress(name,
                string.Create(CultureInfo.InvariantCulture, $"{name.ToUpperInvariant()} epoch {p.Epoch} step {p.Step}/{p.TotalSteps} · loss {p.Loss:F3}"),
                p.Step, p.TotalSteps)), ctx.Cancellation);
        }
        LabRunFolder.WriteDirectoryAtomic(directory, temp => model.Save(temp));
        AtomicFile.WriteAllText(Path.Combine(Path.GetDirectoryName(directory)!, name + "_report.json"), report.ToJson());
        return new LabRewardModelQuality(name, report.TrainLoss, report.HeldOutLoss, report.StepAccuracy, report.MajorityBaseline,
            report.Auc, report.BestOfNAccuracy, report.HeldOutPositions, report.TrainExamples, report.HeldOutExamples);
    }
}

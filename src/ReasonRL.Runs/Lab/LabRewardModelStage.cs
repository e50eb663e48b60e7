// LabRewardModelStage: stage "rm" of the lab — writes the labelled SFT samples as the data files
// `reasonrl train-rm` reads (rm/prm_data.jsonl: native step labels; rm/orm_data.jsonl: question,
// response, correct; both grouped by problem) and trains the PRM and the ORM with two train-rm runs
// (RewardModelRun) into rm/prm/ and rm/orm/, the ORM's backbone initialised from the SFT policy and the PRM's from its own
// base model (LabSftStage.RunPrmBase; from the SFT policy when the preset gives it none) (HF dirs with
// train_rm_report.json); rm/quality.json collects their held-out quality and rm/prm_check.json
// the PRM's quality on unseen validation responses (LabPrmChecker). The two trainings are jobs (Prepare), so the
// orchestrator runs them beside the PPO runs that need neither model.
// PRM labels: one per line (final-answer line included), positive for Correct and — as in the paper's
// hackable PRM — for Unnecessary lines (PrmLabelOptions.Default); ORM label: final answer correct.
// Not the trainer (RewardModelTrainer), not the run (RewardModelRun) and not the scoring sources.
using ReasonRL.Core;
using ReasonRL.Data.Datasets;
using ReasonRL.Data.Records;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Training.RewardModels;
using System.Diagnostics;
using System.Globalization;

namespace ReasonRL.Runs.Lab;

/// <summary>One ORM training row of rm/orm_data.jsonl (the fields `reasonrl train-rm --kind orm` reads).</summary>
public sealed record LabOrmRow(string Question, string Response, bool Correct, string Group);

/// <summary>The reward-model stage as jobs (<see cref="LabRewardModelStage.Prepare"/>).</summary>
/// <param name="Jobs">The PRM and ORM jobs and the one that completes the stage; none when the stage was already complete.</param>
/// <param name="Finish">Call after the jobs have run: returns the quality (the jobs wrote quality.json and completed the stage).</param>
public sealed record LabRewardModelWork(IReadOnlyList<LabJob> Jobs, Func<IReadOnlyList<LabRewardModelQuality>> Finish);

/// <summary>The reward-model stage.</summary>
public static class LabRewardModelStage
{
    /// <summary>Stage key.</summary>
    public const string Key = "rm";

    /// <summary>Relative paths of the outputs.</summary>
    public const string PrmPath = "rm/prm", OrmPath = "rm/orm", QualityPath = "rm/quality.json",
        PrmDataPath = "rm/prm_data.jsonl", OrmDataPath = "rm/orm_data.jsonl";

    /// <summary>Job names of the two trainings (LabThreads.RunJobs): a PPO run whose reward uses a model waits for its job.</summary>
    public const string PrmJob = "prm", OrmJob = "orm";

    /// <summary>The stage as jobs, for running beside other work (LabThreads.RunJobs): writes the data files and returns the
    /// PRM job (training, then the PRM check), the ORM job and the job after both that writes rm/quality.json and completes
    /// the stage; and Finish, which returns the quality once they have run. A complete stage gives no jobs, and Finish
    /// reads quality.json back.</summary>
    public static LabRewardModelWork Prepare(LabContext ctx, IReadOnlyList<LabLabelledRow> labelled)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(labelled);
        string qualityPath = ctx.Folder.PathOf(QualityPath);
        if (ctx.Folder.IsComplete(Key)) return new LabRewardModelWork([], () => RunFiles.ReadJson(qualityPath, LabJsonContext.Default.ListLabRewardModelQuality));

        var clock = Stopwatch.StartNew();
        string file = ctx.Folder.PathOf(LabSamplingStage.LabelledPath);
        var labels = PrmLabelOptions.Default;
        // Responses without any non-blank line have no step to score: the PRM skips them (the ORM keeps them).
        StepLabelledLoader.Write(ctx.Folder.PathOf(PrmDataPath), labelled.Where(r => r.Lines.Count > 0).Select(r =>
        {
            var steps = r.Lines.Where(l => labels.IncludeFinalAnswerLine || !l.IsFinalAnswer).ToList();
            return new StepLabelledRecord(ctx.Problem(r.ProblemId, file).Question, steps.Select(l => r.Response.Substring(l.Start, l.Length)).ToList(),
                steps.Select(l => labels.IsPositive(l.Label)).ToList(), r.ProblemId, r.Correct);
        }).Concat(LabStepDrills.Build(ctx.Preset.PrmDrills, Rng.ForStream(unchecked((ulong)ctx.Preset.BaseSeed), (1UL << 40) + 3))));
        JsonlFile.Write(ctx.Folder.PathOf(OrmDataPath),
            labelled.Select(r => new LabOrmRow(ctx.Problem(r.ProblemId, file).Question, r.Response, r.Correct, r.ProblemId)), LabJsonContext.Default.LabOrmRow);
        var trained = new LabRewardModelQuality?[2];
        var jobs = new List<LabJob>
        {
            new(PrmJob, [], () =>
            {
                trained[0] = TrainOne(ctx, RewardModelKind.Prm, PrmDataPath, PrmPath);
                ctx.Progress(new LabProgress(Key, "PRM check on unseen validation responses", 0, 1));
                RunFiles.WriteJson(ctx.Folder.PathOf(LabPrmChecker.ResultPath), LabPrmChecker.Run(ctx), LabJsonContext.Default.LabPrmCheck);
                ctx.Progress(new LabProgress(Key, "PRM check on unseen validation responses", 1, 1));
            }),
            new(OrmJob, [], () => trained[1] = TrainOne(ctx, RewardModelKind.Orm, OrmDataPath, OrmPath)),
            // Once both have trained: quality.json and the stage record, so the stage's time is the reward models' own,
            // not that of the PPO runs trained beside them.
            new(Key, [PrmJob, OrmJob], () =>
            {
                RunFiles.WriteJson(qualityPath, trained.Select(q => q!).ToList(), LabJsonContext.Default.ListLabRewardModelQuality);
                ctx.Folder.Complete(Key, clock.Elapsed);
            }),
        };
        return new LabRewardModelWork(jobs, () => ctx.Folder.IsComplete(Key)
            ? trained.Select(q => q!).ToList()
            : throw new InvalidOperationException("the reward-model jobs have not run"));
    }

    /// <summary>The train-rm options of one of the lab's reward models (what `reasonrl train-rm` would be given).</summary>
    public static RewardModelRunOptions Options(LabContext ctx, RewardModelKind kind, string dataPath, string outPath)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var preset = ctx.Preset;
        return new RewardModelRunOptions
        {
            Kind = kind,
            DataPath = ctx.Folder.PathOf(dataPath),
            OutputDirectory = ctx.Folder.PathOf(outPath),
            // the backbone starts as a copy of the SFT policy, or for the PRM of its own base model when it has one (sft stage)
            ModelDirectory = ctx.Folder.PathOf(kind == RewardModelKind.Prm && preset.PrmBaseSteps > 0 ? LabSftStage.PrmBasePath : LabSftStage.PolicyPath),
            Tokenizer = TokenizerSpec.CharLab,
            Format = StepLabelledFormat.Native,
            HeldOutShare = preset.RewardModelHeldOutShare,
            ExtraLayers = kind == RewardModelKind.Prm ? preset.PrmExtraLayers : 0,
            Train = new RewardModelTrainOptions
            {
                Epochs = kind == RewardModelKind.Prm ? preset.PrmEpochs : preset.OrmEpochs,
                BatchSize = preset.RewardModelBatchSize,
                LearningRate = preset.RewardModelLearningRate,
                Schedule = preset.RewardModelSchedule,
                WarmupSteps = preset.RewardModelWarmupSteps,
                Seed = (ulong)preset.BaseSeed,
            },
        };
    }

    private static LabRewardModelQuality TrainOne(LabContext ctx, RewardModelKind kind, string dataPath, string outPath)
    {
        string name = kind == RewardModelKind.Prm ? "prm" : "orm";
        var r = RewardModelRun.Run(Options(ctx, kind, dataPath, outPath), GemmFactory.Create(GemmKind.Managed), p => ctx.Progress(new LabProgress(name,
            string.Create(CultureInfo.InvariantCulture, $"{name.ToUpperInvariant()} epoch {p.Epoch} step {p.Step}/{p.TotalSteps} · loss {p.Loss:F3}"),
            p.Step, p.TotalSteps)), ct: ctx.Cancellation);
        var report = r.Report;
        return new LabRewardModelQuality(name, report.TrainLoss, report.HeldOutLoss, report.StepAccuracy, report.MajorityBaseline,
            report.Auc, report.BestOfNAccuracy, report.HeldOutPositions, report.TrainExamples, report.HeldOutExamples);
    }
}

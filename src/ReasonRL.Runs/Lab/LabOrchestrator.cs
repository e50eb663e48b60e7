// LabOrchestrator: runs the lab end to end in one run folder — data → SFT (+ baseline eval) → sample →
// label → reward models → one PPO run per seed × design (seed-major, so an interrupted run already
// holds complete comparisons; the runs of designs that need no reward model start while the reward models
// train) → summary.json and report.html. Every stage is skipped when its record
// exists, so calling Run again on the same folder resumes. Not a stage itself (Lab*Stage) and not the
// CLI (LabCommand renders progress and the table).
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Training;
using System.Diagnostics;
using System.Globalization;

namespace ReasonRL.Runs.Lab;

/// <summary>End-to-end lab runner.</summary>
public static class LabOrchestrator
{
    /// <summary>Stage key of the summary/report step (timed, but always redone: it is cheap).</summary>
    public const string ReportKey = "report";

    /// <summary>Runs (or resumes) the lab in <paramref name="outDir"/>; returns the summary that
    /// summary.json and report.html were written from.</summary>
    public static LabSummary Run(LabPreset preset, string outDir, Action<LabProgress>? progress = null, CancellationToken ct = default, string? command = null)
    {
        ArgumentNullException.ThrowIfNull(preset);
        preset.Validate();
        var folder = LabRunFolder.Open(outDir, preset);
        var ctx = new LabContext(folder, preset, progress, ct);

        LabSftStage.RunData(ctx);
        var baseline = LabSftStage.RunSft(ctx);
        var samples = LabSamplingStage.RunSample(ctx);
        var labelled = LabSamplingStage.RunLabel(ctx, samples);
        // The reward models train beside the PPO runs that need neither (success only): a free core starts those.
        var rm = LabRewardModelStage.Prepare(ctx, labelled);
        var runs = RunPpo(ctx, rm.Jobs);
        var quality = rm.Finish();

        var clock = Stopwatch.StartNew();
        string checkPath = folder.PathOf(LabPrmChecker.ResultPath);
        var summary = Summarise(ctx, baseline.Summary, quality, runs) with
        {
            Command = command,
            PrmCheck = File.Exists(checkPath) ? RunFiles.ReadJson(checkPath, LabJsonContext.Default.LabPrmCheck) : null,
        };
        var input = ReportInput(ctx, summary, baseline, runs);
        AtomicFile.WriteAllText(folder.PathOf("report.html"), LabReport.Render(input));
        var report = folder.Complete(ReportKey, clock.Elapsed);
        summary = summary with { Stages = [.. summary.Stages, report], TotalSeconds = summary.TotalSeconds + report.WallSeconds };
        RunFiles.WriteJson(folder.PathOf("summary.json"), summary, LabJsonContext.Default.LabSummary);
        return summary;
    }

    /// <summary>Every (seed, design) PPO run, seed-major, preset.ParallelRuns at a time, as jobs after <paramref name="before"/>
    /// (LabThreads.RunJobs): a free worker takes the first job whose inputs exist — a run whose reward uses the PRM or the
    /// ORM waits for that model's job (LabRewardModelStage.PrmJob / OrmJob) when it is among <paramref name="before"/> — and
    /// the engine's cores are split between the workers (Kernels.WorkerCount), so two runs on a 2-core machine each get
    /// one core: the lab's shapes are too small for two cores to speed up one run. Results do not depend on the split or
    /// the order (every kernel reduces over fixed chunks); progress sums the steps of all runs.</summary>
    public static IReadOnlyList<LabRunResult> RunPpo(LabContext ctx, IReadOnlyList<LabJob>? before = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        before ??= [];
        var preset = ctx.Preset;
        var work = preset.Seeds.SelectMany(seed => preset.Designs.Select(design => (Seed: seed, Design: design))).ToList();
        var results = new LabRunResult?[work.Count];
        var stepsDone = new int[work.Count];
        int total = work.Count * preset.PpoSteps;
        var waitable = before.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        void Report(string description, bool milestone = false) =>
            ctx.Progress(new LabProgress("ppo", description, stepsDone.Sum(), total, milestone));
        void RunOne(int index)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            var (seed, design) = work[index];
            string name = LabDesigns.NameOf(design);
            var result = LabPpoStage.Run(ctx, design, seed, (step, status) =>
            {
                Volatile.Write(ref stepsDone[index], step);
                Report(string.Create(CultureInfo.InvariantCulture, $"PPO {name} seed {seed} step {step}/{preset.PpoSteps} · {status}"));
            });
            Volatile.Write(ref stepsDone[index], preset.PpoSteps);
            Report(string.Create(CultureInfo.InvariantCulture,
                $"PPO {name} seed {seed} done · {(ReferenceEquals(ctx.EvaluationProblems, ctx.TestProblems) ? "held-out" : "validation")} accuracy {result.Eval.Accuracy:P1}, {result.Eval.MeanSteps:F1} steps"), milestone: true);
            results[index] = result;
        }
        var jobs = new List<LabJob>(before);
        for (int i = 0; i < work.Count; i++)
        {
            int index = i;
            var design = work[i].Design;
            var after = new List<string>(1);
            if (LabDesigns.UsesPrm(design) && waitable.Contains(LabRewardModelStage.PrmJob)) after.Add(LabRewardModelStage.PrmJob);
            if (LabDesigns.UsesOrm(design) && waitable.Contains(LabRewardModelStage.OrmJob)) after.Add(LabRewardModelStage.OrmJob);
            jobs.Add(new LabJob(string.Create(CultureInfo.InvariantCulture, $"ppo {LabDesigns.NameOf(design)} seed {work[i].Seed}"), after, () => RunOne(index)));
        }
        LabThreads.RunJobs(jobs, preset.ParallelRuns);
        return results.Select(r => r!).ToList();
    }

    /// <summary>The summary of a finished set of runs (table, findings, timings).</summary>
    public static LabSummary Summarise(LabContext ctx, LabEvalSummary baseline, IReadOnlyList<LabRewardModelQuality> quality,
        IReadOnlyList<LabRunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var preset = ctx.Preset;
        var table = LabTable.Build(baseline, preset.Designs, runs);
        var stages = new[] { LabSftStage.DataKey, LabSftStage.SftKey, LabSamplingStage.SampleKey, LabSamplingStage.LabelKey, LabRewardModelStage.Key }
            .Select(ctx.Folder.StageRecord).OfType<LabStageRecord>()
            .Concat(runs.Select(r => new LabStageRecord($"ppo {r.Design} seed {r.Seed}", r.WallSeconds, DateTimeOffset.UtcNow)))
            .ToList();
        return new LabSummary(preset.Name, DateTimeOffset.UtcNow, preset.Seeds, preset.Designs.Select(LabDesigns.NameOf).ToList(),
            baseline, quality, table, runs, stages, LabFindings.Compute(baseline, runs), stages.Sum(s => s.WallSeconds))
        {
            Differences = LabDifferences.Build(baseline, preset.Designs, runs),
        };
    }

    /// <summary>A learning rate as written in configs, e.g. 1e-5, 0.003 → 3e-3.</summary>
    private static string Lr(double x) => x.ToString("0.###e+0", CultureInfo.InvariantCulture);

    private static LabReportInput ReportInput(LabContext ctx, LabSummary summary, LabEvalResult baseline, IReadOnlyList<LabRunResult> runs)
    {
        var preset = ctx.Preset;
        var curves = new List<CurveSeries>();
        foreach (var design in preset.Designs)
        {
            var tables = preset.Seeds
                .Select(seed => Path.Combine(ctx.Folder.RunDirectory(design, seed), "metrics.jsonl"))
                .Where(File.Exists).Select(LabCurves.Read).ToList();
            if (tables.Count == 0) continue;
            foreach (var (metric, _) in LabCurves.Charted) curves.Add(LabCurves.Aggregate(LabDesigns.NameOf(design), metric, tables));
        }
        var evals = new Dictionary<(string, int), LabEvalResult>();
        foreach (var r in runs)
        {
            var design = LabDesigns.Parse(r.Design);
            evals[(r.Design, r.Seed)] = RunFiles.ReadJson(Path.Combine(ctx.Folder.RunDirectory(design, r.Seed), LabPpoStage.EvalFile), LabJsonContext.Default.LabEvalResult);
        }
        var notes = new List<string>(preset.Notes)
        {
            FormattableString.Invariant(
                $"Task: {preset.Task.MinOperations}–{preset.Task.MaxOperations} operations, operands ≤ {preset.Task.OperandMax}, results ≤ {preset.Task.ResultMax}, multipliers ≤ {preset.Task.MultiplierMax}; ")
                + FormattableString.Invariant(
                $"{preset.TrainProblems} training / {preset.TestProblems} held-out problems; {preset.Task.UnnecessaryLineShare:P0} chance per gold line of an unnecessary line in the SFT solutions."),
            FormattableString.Invariant(
                $"Policy: char-level Qwen2, shape {preset.PolicySize} (width {ModelShapes.Of(preset.PolicySize).HiddenSize}, {ModelShapes.Of(preset.PolicySize).LayerCount} layers); SFT {preset.SftSteps} steps × batch {preset.SftBatchSize} at lr {Lr(preset.SftLearningRate)}. ")
                + FormattableString.Invariant(
                $"Reward models: {(preset.PrmBaseSteps > 0 ? string.Create(CultureInfo.InvariantCulture, $"the PRM's backbone from its own base model ({preset.PrmBaseSteps} SFT steps on the gold solutions), the ORM's from the SFT policy") : "backbone from the SFT policy")}, {preset.SampleProblems} problems × {preset.SamplesPerProblem} samples plus a corrupted (a share {preset.RunOnShare:0.##} of them run on past the answer) and an as-written SFT solution of {Math.Min(preset.PerturbedProblems, preset.TrainProblems)} problems, PRM {preset.PrmEpochs} / ORM {preset.OrmEpochs} epoch(s) at lr {Lr(preset.RewardModelLearningRate)}."),
            FormattableString.Invariant(
                $"PPO: GAE with γ = λ = 1 and a critic initialised from the SFT policy, KL β = {preset.KlCoef} in the reward, policy lr {Lr(preset.PolicyLearningRate)}, critic lr {Lr(preset.CriticLearningRate)}; ")
                + FormattableString.Invariant(
                $"{preset.PpoSteps} steps × {preset.PromptsPerStep} prompts × {preset.RolloutsPerPrompt} samples (temperature 1, at most {preset.MaxNewTokens} tokens) per design and seed; the same prompt stream for every design of a seed."),
            "PRM step labels count correct-but-unnecessary lines (restatements, repeats, checks) as positive, as the paper's automatically labelled PRM does; that is what makes a raw summed PRM reward farmable. "
                + "Lines with wrong arithmetic or unknown operands are incorrect, and so, in a solution whose answer is wrong, is a line applying an operation the question does not state (e.g. one more step after its last).",
            FormattableString.Invariant($"Rewards: success 1 / 0 on the final answer (math verifier); PRM α = {preset.Rewards.PrmAlpha}, Clip η = {preset.Rewards.ClipEta}, Delta keeps the last step's score; ORM α = {preset.Rewards.OrmAlpha}."),
        };
        return new LabReportInput(summary, curves, LabExamples.Pick(ctx, baseline, evals), File.ReadAllText(ctx.Folder.PathOf("lab.json")), notes);
    }
}

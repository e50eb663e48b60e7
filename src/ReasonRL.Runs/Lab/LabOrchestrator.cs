// LabOrchestrator: runs the lab end to end in one run folder — data → SFT (+ baseline eval) → sample →
// label → reward models → one PPO run per seed × design (seed-major, so an interrupted run already
// holds complete comparisons) → summary.json and report.html. Every stage is skipped when its record
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
    public static LabSummary Run(LabPreset preset, string outDir, Action<LabProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        preset.Validate();
        var folder = LabRunFolder.Open(outDir, preset);
        var ctx = new LabContext(folder, preset, progress, ct);

        LabSftStage.RunData(ctx);
        var baseline = LabSftStage.RunSft(ctx);
        var samples = LabSamplingStage.RunSample(ctx);
        var labelled = LabSamplingStage.RunLabel(ctx, samples);
        var quality = LabRewardModelStage.Run(ctx, labelled);

        var runs = new List<LabRunResult>();
        int total = preset.Seeds.Count * preset.Designs.Count * preset.PpoSteps, done = 0;
        foreach (int seed in preset.Seeds)
        {
            foreach (var design in preset.Designs)
            {
                string name = LabDesigns.NameOf(design);
                int before = done;
                var result = LabPpoStage.Run(ctx, design, seed, (step, status) =>
                    ctx.Progress(new LabProgress("ppo", string.Create(CultureInfo.InvariantCulture,
                        $"PPO {name} seed {seed} step {step}/{preset.PpoSteps} · {status}"), before + step, total)));
                done = before + preset.PpoSteps;
                ctx.Progress(new LabProgress("ppo", string.Create(CultureInfo.InvariantCulture,
                    $"PPO {name} seed {seed} done · held-out accuracy {result.Eval.Accuracy:P0}, {result.Eval.MeanSteps:F1} steps"), done, total));
                runs.Add(result);
            }
        }

        var clock = Stopwatch.StartNew();
        var summary = Summarise(ctx, baseline.Summary, quality, runs);
        var input = ReportInput(ctx, summary, baseline, runs);
        AtomicFile.WriteAllText(folder.PathOf("report.html"), LabReport.Render(input));
        var report = folder.Complete(ReportKey, clock.Elapsed);
        summary = summary with { Stages = [.. summary.Stages, report], TotalSeconds = summary.TotalSeconds + report.WallSeconds };
        RunFiles.WriteJson(folder.PathOf("summary.json"), summary, LabJsonContext.Default.LabSummary);
        return summary;
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
            baseline, quality, table, runs, stages, LabFindings.Compute(baseline, runs), stages.Sum(s => s.WallSeconds));
    }

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
                $"Policy: char-level Qwen2, shape {preset.PolicySize} (width {ModelShapes.Of(preset.PolicySize).HiddenSize}, {ModelShapes.Of(preset.PolicySize).LayerCount} layers); SFT {preset.SftSteps} steps × batch {preset.SftBatchSize} at lr {preset.SftLearningRate}. ")
                + FormattableString.Invariant(
                $"Reward models: backbone from the SFT policy, {preset.SampleProblems} problems × {preset.SamplesPerProblem} samples, {preset.RewardModelEpochs} epochs."),
            FormattableString.Invariant(
                $"PPO: GAE with γ = λ = 1 and a critic initialised from the SFT policy, KL β = {preset.KlCoef} in the reward, policy lr {preset.PolicyLearningRate}, critic lr {preset.CriticLearningRate}; ")
                + FormattableString.Invariant(
                $"{preset.PpoSteps} steps × {preset.PromptsPerStep} prompts × {preset.RolloutsPerPrompt} samples (temperature 1, at most {preset.MaxNewTokens} tokens) per design and seed; the same prompt stream for every design of a seed."),
            "PRM step labels count correct-but-unnecessary lines (restatements, repeats, checks) as positive, as the paper's automatically labelled PRM does; that is what makes a raw summed PRM reward farmable.",
            FormattableString.Invariant($"Rewards: success 1 / 0 on the final answer (math verifier); PRM α = {preset.Rewards.PrmAlpha}, Clip η = {preset.Rewards.ClipEta}, Delta keeps the last step's score; ORM α = {preset.Rewards.OrmAlpha}."),
        };
        return new LabReportInput(summary, curves, LabExamples.Pick(ctx, baseline, evals), File.ReadAllText(ctx.Folder.PathOf("lab.json")), notes);
    }
}

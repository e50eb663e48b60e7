// LabSftStage: stages "data" and "sft" of the lab. Data writes the generated problems as the files the
// runs read — data/train.jsonl and data/test.jsonl (id, question, answer, the solutions) and
// data/sft.jsonl (prompt, response: the SFT solutions, gold lines plus a small share of correct-but-
// unnecessary lines, so the policy can produce them). SFT is a `reasonrl sft` run (SftRun) of a
// fresh char-level policy of the preset's shape on data/sft.jsonl in sft/ (model/, metrics.jsonl,
// tb/, checkpoints/, config.resolved.yaml), then the greedy held-out evaluation of sft/model
// (sft/baseline.json: the table's baseline row). When the preset gives the PRM a base model of its own
// (PrmBaseSteps > 0), that model trains beside the policy: a fresh policy-shaped model SFT'd on the training problems'
// gold solutions (data/prm_base_sft.jsonl) into prm_base/, from which the PRM's backbone starts (LabRewardModelStage).
// Not the trainer (SftTrainer), not the run (SftRun) and not the evaluation rules (LabEvaluation).
using ReasonRL.Data.Datasets;
using ReasonRL.Data.Lab;
using ReasonRL.Tensors;
using System.Diagnostics;
using System.Globalization;

namespace ReasonRL.Runs.Lab;

/// <summary>Data and SFT stages.</summary>
public static class LabSftStage
{
    /// <summary>Stage keys.</summary>
    public const string DataKey = "data", SftKey = "sft";

    /// <summary>The SFT run folder and its policy, relative to the lab folder.</summary>
    public const string RunPath = "sft", PolicyPath = "sft/model";

    /// <summary>The data files, relative to the lab folder.</summary>
    public const string TrainPath = "data/train.jsonl", TestPath = "data/test.jsonl", ValidationPath = "data/validation.jsonl", SftDataPath = "data/sft.jsonl";

    /// <summary>The PRM base model's SFT data (the training problems' gold solutions), run folder and model.</summary>
    public const string PrmBaseDataPath = "data/prm_base_sft.jsonl", PrmBaseRunPath = "prm_base", PrmBasePath = "prm_base/model";

    /// <summary>The baseline evaluation, relative to the run folder.</summary>
    public const string BaselinePath = "sft/baseline.json";

    /// <summary>Writes the data files unless already complete.</summary>
    public static void RunData(LabContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (ctx.Folder.IsComplete(DataKey)) return;
        var clock = Stopwatch.StartNew();
        JsonlFile.Write(ctx.Folder.PathOf(TrainPath), ctx.TrainProblems.Select(LabProblemRow.Of), LabJsonContext.Default.LabProblemRow);
        JsonlFile.Write(ctx.Folder.PathOf(ValidationPath), ctx.ValidationProblems.Select(LabProblemRow.Of), LabJsonContext.Default.LabProblemRow);
        JsonlFile.Write(ctx.Folder.PathOf(TestPath), ctx.TestProblems.Select(LabProblemRow.Of), LabJsonContext.Default.LabProblemRow);
        JsonlFile.Write(ctx.Folder.PathOf(SftDataPath),
            ctx.TrainProblems.Select(p => new LabSftRow(LabTask.Prompt(p.Question), p.SftSolution)), LabJsonContext.Default.LabSftRow);
        ctx.Folder.Complete(DataKey, clock.Elapsed);
    }

    /// <summary>The `reasonrl sft` configuration of the lab's SFT run, as key=value overrides (the same keys a
    /// user writes in an sft YAML file): epochs are chosen so the run makes about preset.SftSteps updates.</summary>
    public static IReadOnlyList<string> SftOverrides(LabContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return Overrides(ctx, RunPath, SftDataPath, ctx.Preset.SftSteps);
    }

    /// <summary>The same for the PRM's base model: preset.PrmBaseSteps updates on data/prm_base_sft.jsonl into prm_base/.</summary>
    public static IReadOnlyList<string> PrmBaseOverrides(LabContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return Overrides(ctx, PrmBaseRunPath, PrmBaseDataPath, ctx.Preset.PrmBaseSteps);
    }

    private static IReadOnlyList<string> Overrides(LabContext ctx, string runPath, string dataPath, int steps)
    {
        var p = ctx.Preset;
        int perEpoch = (ctx.TrainProblems.Count + p.SftBatchSize - 1) / p.SftBatchSize;
        int epochs = Math.Max(1, (int)Math.Round(steps / (double)perEpoch));
        var inv = CultureInfo.InvariantCulture;
        return
        [
            $"run.output_dir={ctx.Folder.PathOf(runPath)}",
            string.Create(inv, $"run.checkpoint_every={Math.Max(1, steps / 4)}"),
            "run.keep_checkpoints=1",
            $"model.size={p.PolicySize}",
            string.Create(inv, $"model.max_positions={p.MaxPositions}"),
            string.Create(inv, $"model.init_seed={p.BaseSeed}"),
            $"model.tokenizer={TokenizerSpec.CharLab}",
            $"data.train={ctx.Folder.PathOf(dataPath)}",
            string.Create(inv, $"sft.epochs={epochs}"),
            string.Create(inv, $"sft.batch_size={p.SftBatchSize}"),
            string.Create(inv, $"sft.lr={p.SftLearningRate:R}"),
            string.Create(inv, $"sft.warmup_steps={Math.Min(20, steps / 10)}"),
            "sft.min_lr_ratio=0.1",
            string.Create(inv, $"sft.seed={p.BaseSeed}"),
        ];
    }

    /// <summary>Runs SFT (resuming an interrupted run) and evaluates the policy unless already complete;
    /// returns the baseline evaluation.</summary>
    public static LabEvalResult RunSft(LabContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string baselinePath = ctx.Folder.PathOf(BaselinePath);
        if (ctx.Folder.IsComplete(SftKey)) return RunFiles.ReadJson(baselinePath, LabJsonContext.Default.LabEvalResult);

        var clock = Stopwatch.StartNew();
        string? policy = null;
        void Policy() => policy = Train(ctx, "(lab sft)", SftOverrides(ctx), SftKey, "SFT");
        // the PRM's base model, when it has one, trains beside the policy, one core each (at the lab's shapes a second
        // core speeds one SFT run up by far less than 2×); whichever finishes first gives the other every core
        if (ctx.Preset.PrmBaseSteps > 0) LabThreads.RunAll([Policy, () => RunPrmBase(ctx)]);
        else Policy();
        var baseline = LabEvaluation.Evaluate(policy!, ctx,
            (done, total) => ctx.Progress(new LabProgress("baseline", $"SFT greedy eval {done}/{total}", done, total)));
        RunFiles.WriteJson(baselinePath, baseline, LabJsonContext.Default.LabEvalResult);
        ctx.Folder.Complete(SftKey, clock.Elapsed);
        return baseline;
    }

    /// <summary>Trains the PRM's base model (resuming an interrupted run): a fresh policy-shaped language model SFT'd for
    /// preset.PrmBaseSteps updates on the training problems' gold solutions (data/prm_base_sft.jsonl: no unnecessary
    /// lines), the same recipe as the policy's SFT otherwise, into prm_base/. Returns its model directory (prm_base/model).</summary>
    public static string RunPrmBase(LabContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (ctx.Preset.PrmBaseSteps <= 0) throw new InvalidOperationException("lab: the PRM base model needs PrmBaseSteps > 0");
        JsonlFile.Write(ctx.Folder.PathOf(PrmBaseDataPath),
            ctx.TrainProblems.Select(p => new LabSftRow(LabTask.Prompt(p.Question), p.GoldSolution)), LabJsonContext.Default.LabSftRow);
        return Train(ctx, "(lab prm base)", PrmBaseOverrides(ctx), "prm_base", "PRM base SFT");
    }

    /// <summary>One `reasonrl sft` run of the lab (resuming an interrupted one), its progress under <paramref name="key"/>;
    /// returns its model directory, or throws when it stopped early.</summary>
    private static string Train(LabContext ctx, string source, IReadOnlyList<string> overrides, string key, string label)
    {
        var config = SftRunConfig.Parse("", source, overrides);
        var report = SftRun.Run(config, GemmFactory.Create(GemmKind.Managed), resume: true, ct: ctx.Cancellation,
            progress: r => ctx.Progress(new LabProgress(key,
                string.Create(CultureInfo.InvariantCulture, $"{label} step {r.Step.Step}/{r.TotalSteps} · loss {r.Step.Loss:F3}"), r.Step.Step, r.TotalSteps)));
        if (report.StopReason is { } reason) throw new InvalidOperationException($"lab {label}: {reason}");
        return report.ModelDirectory;
    }
}

// LabSftStage: stages "data" and "sft" of the lab. Data writes the generated problems to
// data/{train,test}.jsonl (the generator is deterministic; the files are for inspection). SFT trains a
// fresh char-level Qwen2 policy on the problems' SFT solutions (gold lines plus a small share of
// correct-but-unnecessary lines, so the policy can produce them) with SftTrainer for exactly
// preset.SftSteps updates, writes sft/metrics.jsonl and sft/policy/ (HF dir), then evaluates it greedily
// on the held-out problems (sft/baseline.json: the table's baseline row).
// Not the trainer (SftTrainer) and not the evaluation rules (LabEvaluation).
using System.Diagnostics;
using System.Globalization;
using ReasonRL.Data.Lab;
using ReasonRL.Text;
using ReasonRL.Training.Ppo;
using ReasonRL.Training.Sft;
using ReasonRL.Training;

namespace ReasonRL.Runs.Lab;

/// <summary>Data and SFT stages.</summary>
public static class LabSftStage
{
    /// <summary>Stage keys.</summary>
    public const string DataKey = "data", SftKey = "sft";

    /// <summary>The SFT policy's folder, relative to the run folder.</summary>
    public const string PolicyPath = "sft/policy";

    /// <summary>The baseline evaluation, relative to the run folder.</summary>
    public const string BaselinePath = "sft/baseline.json";

    /// <summary>Writes data/train.jsonl and data/test.jsonl unless already complete.</summary>
    public static void RunData(LabContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (ctx.Folder.IsComplete(DataKey)) return;
        var clock = Stopwatch.StartNew();
        LabRunFolder.WriteJsonLinesAtomic(ctx.Folder.PathOf("data/train.jsonl"), ctx.TrainProblems.Select(LabProblemRow.Of), LabJsonContext.Default.LabProblemRow);
        LabRunFolder.WriteJsonLinesAtomic(ctx.Folder.PathOf("data/test.jsonl"), ctx.TestProblems.Select(LabProblemRow.Of), LabJsonContext.Default.LabProblemRow);
        ctx.Folder.Complete(DataKey, clock.Elapsed);
    }

    /// <summary>Trains and evaluates the SFT policy unless already complete; returns the baseline evaluation.</summary>
    public static LabEvalResult RunSft(LabContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string baselinePath = ctx.Folder.PathOf(BaselinePath);
        if (ctx.Folder.IsComplete(SftKey)) return LabRunFolder.ReadJson(baselinePath, LabJsonContext.Default.LabEvalResult);

        var clock = Stopwatch.StartNew();
        var preset = ctx.Preset;
        using var policy = LabModels.NewPolicy(preset, ctx.Tokenizer, preset.BaseSeed);
        var examples = Examples(ctx.TrainProblems, ctx.Tokenizer);
        // Exactly SftSteps updates: one epoch over the examples cycled to SftSteps × batch rows
        // (SftTrainer shuffles them with its seeded plan).
        int rows = preset.SftSteps * preset.SftBatchSize;
        var data = Enumerable.Range(0, rows).Select(i => examples[i % examples.Count]).ToList();
        var options = new SftOptions
        {
            Epochs = 1,
            BatchSize = preset.SftBatchSize,
            LearningRate = preset.SftLearningRate,
            WarmupSteps = Math.Min(20, preset.SftSteps / 10),
            MinLearningRateRatio = 0.1,
            TotalSteps = preset.SftSteps,
            Seed = (ulong)preset.BaseSeed,
        };
        string metricsDir = ctx.Folder.PathOf("sft");
        using (var trainer = new SftTrainer(policy, options))
        using (var metrics = MetricsWriter.Open(metricsDir, cursor: 0, tensorboard: false))
        {
            double smoothed = double.NaN;
            trainer.Train(data, r =>
            {
                smoothed = double.IsNaN(smoothed) ? r.Loss : 0.95 * smoothed + 0.05 * r.Loss;
                metrics.Write(r.Step, [new("loss/sft", r.Loss), new("optim/grad_norm", r.GradNorm), new("optim/lr", r.LearningRate)]);
                ctx.Progress(new LabProgress(SftKey, string.Create(CultureInfo.InvariantCulture, $"SFT step {r.Step}/{preset.SftSteps} · loss {smoothed:F3}"), r.Step, preset.SftSteps));
            }, ctx.Cancellation);
            if (trainer.StopReason is { } reason) throw new InvalidOperationException($"lab SFT: {reason}");
        }
        LabModels.Save(policy, ctx.Folder.PathOf(PolicyPath));
        var baseline = LabEvaluation.Evaluate(policy, ctx.Tokenizer, ctx.TestProblems, preset.MaxNewTokens,
            (done, total) => ctx.Progress(new LabProgress("baseline", $"SFT greedy eval {done}/{total}", done, total)), ct: ctx.Cancellation);
        LabRunFolder.WriteJsonAtomic(baselinePath, baseline, LabJsonContext.Default.LabEvalResult);
        ctx.Folder.Complete(SftKey, clock.Elapsed);
        return baseline;
    }

    /// <summary>SFT pairs: prompt ids (BOS + prompt) and response ids (SFT solution + EOS, so the policy learns to stop).</summary>
    public static IReadOnlyList<SftExample> Examples(IReadOnlyList<ArithmeticProblem> problems, ITokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (tokenizer.EosIds.Count == 0) throw new ArgumentException("lab SFT: the tokenizer has no EOS id; the policy could not learn to stop", nameof(tokenizer));
        int eos = tokenizer.EosIds[0];
        return problems.Select(p => new SftExample(
            PromptIds.Of(tokenizer, LabTask.Prompt(p.Question)),
            [.. tokenizer.Encode(p.SftSolution).Ids, eos])).ToList();
    }
}

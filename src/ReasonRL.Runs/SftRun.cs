// SftRun: one `reasonrl sft` run end to end — resolve the tokenizer and the model (load an HF
// directory or random-init), tokenize the JSONL data (prompt ids = [BOS] + Encode(prompt), response
// ids = Encode(response) [+ EOS]), train with SftTrainer, write metrics (metrics.jsonl + tfevents),
// atomic resumable checkpoints (policy + AdamW moments + counters, CheckpointStore) every N updates,
// evaluate held-out loss, and save the final model as an HF directory <output_dir>/model.
// Resume: the newest checkpoint is loaded (weights, moments, step, guard counters, metrics cursor);
// the batch plan is a pure function of the seed, so the run continues with the same batches and ends
// with the same weights as an uninterrupted run.
// What it is not: the CLI (Cli/Commands/SftCommand.cs) or the trainer (Sft/SftTrainer.cs).
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Training;
using ReasonRL.Training.Ppo;
using ReasonRL.Training.Sft;

namespace ReasonRL.Runs;

/// <summary>Progress of an SFT run (one per update; EvalLoss set on evaluation updates).</summary>
public sealed record SftRunProgress(SftStepResult Step, int TotalSteps, double? EvalLoss, TimeSpan Elapsed);

/// <summary>Outcome of an SFT run.</summary>
public sealed record SftRunReport(string ModelDirectory, int Examples, int TotalSteps, long StepsDone, double? InitialEvalLoss,
    double? FinalTrainLoss, double? FinalEvalLoss, int Skipped, string? StopReason, long ResumedFromStep);

/// <summary>Runs SFT from a resolved config (see file header).</summary>
public static class SftRun
{
    /// <summary>Tokenizes rows of <paramref name="path"/>; throws naming the file, line and field on bad rows.</summary>
    public static IReadOnlyList<SftExample> LoadExamples(string path, SftDataSection data, ITokenizer tokenizer, int vocabSize, int limit = 0)
    {
        var rows = FieldRows.Read(path, [data.PromptField, data.ResponseField]);
        int eos = tokenizer.EosIds.Count > 0 ? tokenizer.EosIds[0] : -1;
        if (data.AddEos && eos < 0) throw new ArgumentException("data.add_eos is true but the tokenizer has no EOS id; expected data.add_eos: false");
        var examples = new List<SftExample>();
        foreach (var (line, v) in limit > 0 ? rows.Take(limit) : rows)
        {
            int[] prompt = PromptIds.Of(tokenizer, v[0]!);
            int[] response = [.. tokenizer.Encode(v[1]!).Ids, .. data.AddEos ? new[] { eos } : []];
            if (prompt.Length == 0) throw new Data.Datasets.DatasetFormatException(path, line, data.PromptField, "tokenizes to no ids and the tokenizer has no BOS; expected a non-empty prompt");
            if (response.Length == 0) throw new Data.Datasets.DatasetFormatException(path, line, data.ResponseField, "is empty; expected a response to train on");
            foreach (int id in prompt.Concat(response))
                if (id >= vocabSize) throw new Data.Datasets.DatasetFormatException(path, line, null, $"token id {id} is outside the model's vocabulary of {vocabSize}; expected the model's own tokenizer");
            examples.Add(new SftExample(prompt, response));
        }
        return examples;
    }

    /// <summary>Runs (or, with <paramref name="resume"/>, continues) the SFT run; <paramref name="runDirectory"/> overrides run.output_dir (resume).</summary>
    public static SftRunReport Run(SftRunConfig config, IGemm gemm, bool resume, Action<string>? log = null,
        Action<SftRunProgress>? progress = null, CancellationToken ct = default, string? runDirectory = null)
    {
        var folder = RunFolder.Open(runDirectory ?? config.Run.OutputDir, config.Run.KeepCheckpoints, "sft", config.Yaml, config.Hash, resume);
        var (dir, store, latest) = (folder.Directory, folder.Store, folder.Latest);

        var tokenizer = TokenizerSpec.Resolve(config.Model.Tokenizer, config.Model.Init);
        using var model = config.Model.Init is { } init ? ModelStore.Load(init, gemm) : NewModel(config.Model, tokenizer, gemm);
        if (model.Config.VocabSize < tokenizer.VocabSize)
            throw new ArgumentException($"model vocabulary {model.Config.VocabSize} < tokenizer vocabulary {tokenizer.VocabSize}; expected the model's own tokenizer");
        var train = LoadExamples(config.Data.Train!, config.Data, tokenizer, model.Config.VocabSize);
        var eval = config.Data.Eval is { } ep ? LoadExamples(ep, config.Data, tokenizer, model.Config.VocabSize, config.Data.EvalLimit) : null;
        log?.Invoke($"model: {model.Layout.ParameterCount:N0} parameters ({(config.Model.Init ?? "random init, size " + config.Model.Size)}); tokenizer vocab {tokenizer.VocabSize}; {train.Count} training examples" + (eval is null ? "" : $", {eval.Count} held-out"));

        using var trainer = new SftTrainer(model, config.Sft);
        int total = SftSchedule.Plan(train.Count, config.Sft).Count;
        long cursor = 0, resumedFrom = 0;
        if (latest is not null)
        {
            ModelStore.LoadTensors(model, latest.Parts["policy"].Tensors.ToDictionary(t => t.Name, t => t.Floats));
            trainer.Optimizer.RestoreState(CheckpointParts.ReadOptimizer(latest.Parts["optimizer"]));
            trainer.RestoreCounters(latest.State.Step, latest.State.NanConsecutive, latest.State.NanTotalSkipped);
            cursor = latest.State.MetricsCursor;
            resumedFrom = latest.State.Step;
            log?.Invoke($"resumed from {latest.Directory} (step {resumedFrom}/{total})");
        }
        double? initialEval = eval is not null && resumedFrom == 0 ? trainer.Evaluate(eval) : null;
        using var metrics = MetricsWriter.Open(dir, cursor, config.Run.TensorBoard);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double? lastEval = initialEval;
        SftStepResult? last = null;

        void Checkpoint(long step)
        {
            metrics.Sync();   // the cursor stored below must not point past what a power cut keeps
            store.Save(
                new CheckpointState(step, new Rng(config.Sft.Seed).State, config.Hash, metrics.Cursor, 0, trainer.ConsecutiveNonFinite, trainer.SkippedSteps),
                [new CheckpointPart("policy", ModelStore.Tensors(model)), CheckpointParts.Optimizer("optimizer", trainer.Optimizer.CaptureState())]);
        }

        trainer.Train(train, r =>
        {
            last = r;
            double? evalLoss = null;
            bool end = r.Step == total;
            if (eval is not null && (end || (config.Run.EvalEvery > 0 && r.Step % config.Run.EvalEvery == 0))) lastEval = evalLoss = trainer.Evaluate(eval);
            var values = new List<KeyValuePair<string, double>>
            {
                new("sft/loss", r.Loss), new("sft/grad_norm", r.GradNorm), new("sft/lr", r.LearningRate),
                new("sft/tokens", r.Tokens), new(MetricNames.SkippedUpdates, trainer.SkippedSteps),
            };
            if (evalLoss is { } el) values.Add(new("sft/eval_loss", el));
            metrics.Write(r.Step, values);
            if (end || trainer.ShouldStop || (config.Run.CheckpointEvery > 0 && r.Step % config.Run.CheckpointEvery == 0)) Checkpoint(r.Step);
            progress?.Invoke(new SftRunProgress(r, total, evalLoss, clock.Elapsed));
        }, ct);

        string modelDir = Path.Combine(dir, "model");
        ModelStore.Save(model, modelDir, config.Model.Tokenizer, config.Model.Init);
        return new SftRunReport(modelDir, train.Count, total, trainer.StepCount, initialEval, last?.Loss, lastEval, trainer.SkippedSteps, trainer.StopReason, resumedFrom);
    }

    private static Transformer NewModel(SftModelSection m, ITokenizer tokenizer, IGemm gemm)
    {
        var config = ModelStore.ConfigFor(m.Size, tokenizer.VocabSize, tokenizer.BosId, tokenizer.EosIds, m.MaxPositions);
        var model = new Transformer(config, gemm);
        model.InitializeRandom(m.InitSeed, (float)m.InitStd);
        return model;
    }
}

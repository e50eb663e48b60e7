// SftRunConfig: the `reasonrl sft` configuration — run folder, model (load or random init),
// tokenizer, data fields and SftOptions — plus its loader (Core's ConfigBinder: YAML + key=value
// overrides, errors naming file:line, key and expected value; resolved YAML saved in the run folder).
// Keys (defaults in the records below):
//   run:   { output_dir, checkpoint_every, keep_checkpoints, tensorboard, log_every }
//   model: { init (HF dir, or null = random), size (micro|lab|tiny|small|medium), max_positions, init_seed, init_std, tokenizer }
//   data:  { train, eval, prompt_field, response_field, add_eos, eval_limit }
//   sft:   { epochs, batch_size, lr, warmup_steps, min_lr_ratio, weight_decay, beta1, beta2, max_grad_norm,
//            gradient_accumulation, max_consecutive_nonfinite, seed }
// What it is not: the runner (SftRun.cs) or the trainer (Sft/SftTrainer.cs).
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Training;
using ReasonRL.Training.Sft;
using System.Security.Cryptography;
using System.Text;

namespace ReasonRL.Runs;

/// <summary>Run folder settings of an SFT run.</summary>
/// <param name="OutputDir">run.output_dir — run folder (model/, checkpoints/, metrics.jsonl, config.resolved.yaml). Default "runs/sft".</param>
/// <param name="CheckpointEvery">run.checkpoint_every — resumable checkpoint every N updates; 0 = only at the end. Default 100.</param>
/// <param name="KeepCheckpoints">run.keep_checkpoints ≥ 1. Default 2.</param>
/// <param name="TensorBoard">run.tensorboard. Default true.</param>
/// <param name="EvalEvery">run.eval_every — held-out loss every N updates (needs data.eval); 0 = only at the end. Default 0.</param>
public sealed record SftRunSection(string OutputDir = "runs/sft", int CheckpointEvery = 100, int KeepCheckpoints = 2, bool TensorBoard = true, int EvalEvery = 0);

/// <summary>Model and tokenizer of an SFT run.</summary>
/// <param name="Init">model.init — HF directory to start from, or null = random init. Default null.</param>
/// <param name="Size">model.size — random-init size: micro, lab, tiny, small, medium (ModelStore.ConfigFor). Default "lab".</param>
/// <param name="MaxPositions">model.max_positions — context of a random-init model. Default 512.</param>
/// <param name="InitSeed">model.init_seed. Default 1.</param>
/// <param name="InitStd">model.init_std — N(0, std²) init of matrices. Default 0.02.</param>
/// <param name="Tokenizer">model.tokenizer — "char:lab", a tokenizer.json path, or null = model.init's. Default null.</param>
public sealed record SftModelSection(string? Init = null, string Size = "lab", int MaxPositions = 512, int InitSeed = 1, double InitStd = 0.02, string? Tokenizer = null);

/// <summary>Data of an SFT run.</summary>
/// <param name="Train">data.train — JSONL with prompt/response fields. Required.</param>
/// <param name="Eval">data.eval — held-out JSONL (same fields), or null. Default null.</param>
/// <param name="PromptField">data.prompt_field. Default "prompt".</param>
/// <param name="ResponseField">data.response_field. Default "response".</param>
/// <param name="AddEos">data.add_eos — append the tokenizer's first EOS id to each response. Default true.</param>
/// <param name="EvalLimit">data.eval_limit — first N eval rows; 0 = all. Default 0.</param>
public sealed record SftDataSection(string? Train = null, string? Eval = null, string PromptField = "prompt", string ResponseField = "response", bool AddEos = true, int EvalLimit = 0);

/// <summary>A resolved SFT config.</summary>
public sealed record SftRunConfig(SftRunSection Run, SftModelSection Model, SftDataSection Data, SftOptions Sft, string Yaml, string Hash)
{
    /// <summary>Loads <paramref name="path"/> (null = defaults) with overrides; throws TrainConfigException naming the key.</summary>
    public static SftRunConfig Load(string? path, IReadOnlyList<string>? overrides = null)
        => Parse(path is null ? "" : File.ReadAllText(path), path ?? "(defaults)", overrides);

    /// <summary>Parses YAML text named <paramref name="file"/> in errors.</summary>
    public static SftRunConfig Parse(string yaml, string file, IReadOnlyList<string>? overrides = null)
    {
        var b = ConfigBinder.Parse(yaml, file, overrides, error: TrainConfigException.Create);
        var r = new SftRunSection();
        var run = new SftRunSection(
            b.String("run.output_dir", r.OutputDir),
            (int)b.Long("run.checkpoint_every", r.CheckpointEvery, 0, int.MaxValue),
            (int)b.Long("run.keep_checkpoints", r.KeepCheckpoints, 1, 1000),
            b.Bool("run.tensorboard", r.TensorBoard),
            (int)b.Long("run.eval_every", r.EvalEvery, 0, int.MaxValue));
        var m = new SftModelSection();
        var model = new SftModelSection(
            b.OptionalString("model.init", m.Init),
            b.String("model.size", m.Size),
            (int)b.Long("model.max_positions", m.MaxPositions, 2, 1 << 20),
            (int)b.Long("model.init_seed", m.InitSeed, 0, int.MaxValue),
            b.Double("model.init_std", m.InitStd, 1e-6, 10, "a number in (0, 10]"),
            b.OptionalString("model.tokenizer", m.Tokenizer));
        if (!ModelShapes.Names.Contains(model.Size)) b.Fail("model.size", $"'{model.Size}' is not a known size; expected one of {string.Join(", ", ModelShapes.Names)}");
        var d = new SftDataSection();
        var data = new SftDataSection(
            b.OptionalString("data.train", d.Train),
            b.OptionalString("data.eval", d.Eval),
            b.String("data.prompt_field", d.PromptField),
            b.String("data.response_field", d.ResponseField),
            b.Bool("data.add_eos", d.AddEos),
            (int)b.Long("data.eval_limit", d.EvalLimit, 0, int.MaxValue));
        var o = new SftOptions();
        var sft = new SftOptions
        {
            Epochs = (int)b.Long("sft.epochs", o.Epochs, 1, 1_000_000),
            BatchSize = (int)b.Long("sft.batch_size", o.BatchSize, 1, 65536),
            LearningRate = b.Double("sft.lr", o.LearningRate, 1e-300, 1, "a number in (0, 1]"),
            WarmupSteps = (int)b.Long("sft.warmup_steps", o.WarmupSteps, 0, int.MaxValue),
            MinLearningRateRatio = b.Double("sft.min_lr_ratio", o.MinLearningRateRatio, 0, 1, "a number in [0, 1]"),
            WeightDecay = b.Double("sft.weight_decay", o.WeightDecay, 0, 1e6, "a number ≥ 0"),
            Beta1 = b.Double("sft.beta1", o.Beta1, 0, 0.999999999, "a number in [0, 1)"),
            Beta2 = b.Double("sft.beta2", o.Beta2, 0, 0.999999999, "a number in [0, 1)"),
            MaxGradNorm = b.Double("sft.max_grad_norm", o.MaxGradNorm, 0, 1e12, "a number ≥ 0 (0 = no clipping)"),
            GradientAccumulation = (int)b.Long("sft.gradient_accumulation", o.GradientAccumulation, 1, 65536),
            MaxConsecutiveNonFinite = (int)b.Long("sft.max_consecutive_nonfinite", o.MaxConsecutiveNonFinite, 1, 1_000_000),
            Seed = (ulong)b.Long("sft.seed", (long)o.Seed, 0, long.MaxValue),
        };
        b.RejectUnknown();

        // Cross-field rules, after every key has been checked on its own.
        if (sft.GradientAccumulation > sft.BatchSize) b.Fail("sft.gradient_accumulation", $"is {sft.GradientAccumulation}; expected ≤ sft.batch_size = {sft.BatchSize}");
        if (data.Train is null) b.Fail("data.train", "is missing; expected a JSONL file with prompt/response fields");
        if (model.Init is null && model.Tokenizer is null) b.Fail("model.tokenizer", "is null with a random-init model (model.init is null); expected \"char:lab\" or a tokenizer.json path");
        string text = b.RenderYaml("Resolved ReasonRL SFT config (defaults + file + command-line overrides).");
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return new SftRunConfig(run, model, data, sft, text, hash);
    }
}

// `reasonrl train-rm --kind prm|orm --data FILE.jsonl --out DIR (--model DIR | --init tiny|small) …`: trains a
// process or outcome reward model with binary cross-entropy (RewardModelTrainer), holding out a share of the
// question groups; writes the Hugging Face directory (RewardModel.Save) plus train_rm_report.json into it and
// prints the report table (held-out loss, step accuracy vs the majority baseline, AUC, best-of-N).
// `reasonrl train-rm lab-data --out FILE.jsonl`: writes a step-labelled set made from the lab task (SFT
// solutions plus corrupted variants labelled by StepLabeller; LabStepLabelledSet) to train a PRM on.
// Thin: loading is ReasonRL.Data (StepLabelledLoader, OutcomeLabelledLoader), training ReasonRL.Training.
using System.CommandLine;
using ReasonRL.Data.Datasets;
using ReasonRL.Data.Lab;
using ReasonRL.Data.Records;
using ReasonRL.Models;
using ReasonRL.Rewards.Sources;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Training;
using ReasonRL.Training.RewardModels;
using Spectre.Console;

namespace ReasonRL.Cli.Commands;

internal static class TrainRmCommand
{
    /// <summary>File name of the report written into the output directory.</summary>
    public const string ReportFileName = "train_rm_report.json";

    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "prm (step labels, PrmHead) or orm (response labels, scalar head)", Required = true };
        var data = new Option<string>("--data") { Description = "PRM: step-labelled JSONL (native, PRM800K or Math-Shepherd rows); ORM: {question, response, correct} JSONL", Required = true };
        var output = new Option<string>("--out") { Description = "output Hugging Face directory (replaced atomically)", Required = true };
        var model = new Option<string?>("--model") { Description = "backbone: a causal-LM or reward-model HF directory (e.g. the SFT policy)" };
        var init = new Option<string?>("--init") { Description = "instead of --model: a fresh random backbone, tiny (C 64, L 2) or small (C 128, L 4), vocabulary from the tokenizer" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json / .gguf / directory, or \"lab\" (the lab's character tokenizer); default: the --model directory's" };
        var format = new Option<string>("--format") { Description = "PRM data format: auto, native, prm800k, math-shepherd", DefaultValueFactory = _ => "auto" };
        var neutral = new Option<string>("--neutral") { Description = "PRM800K rating 0 is positive (default: neutral steps are not errors) or negative", DefaultValueFactory = _ => "positive" };
        var convention = new Option<string>("--convention") { Description = "PRM read position: step-end (lab) or separator (Qwen2.5-Math-PRM)", DefaultValueFactory = _ => "step-end" };
        var separator = new Option<string>("--separator") { Description = "separator token for --convention separator", DefaultValueFactory = _ => "<extra_0>" };
        var epochs = new Option<int>("--epochs") { Description = "passes over the training set", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size") { Description = "sequences per optimizer step", DefaultValueFactory = _ => 16 };
        var lr = new Option<double>("--lr") { Description = "AdamW learning rate (constant)", DefaultValueFactory = _ => 1e-4 };
        var decay = new Option<double>("--weight-decay") { Description = "AdamW weight decay", DefaultValueFactory = _ => 0.0 };
        var clip = new Option<double>("--max-grad-norm") { Description = "global gradient-norm clip (0 = off)", DefaultValueFactory = _ => 1.0 };
        var heldOut = new Option<double>("--held-out") { Description = "share of question groups held out for evaluation", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<int>("--seed") { Description = "seed of the split, shuffles and the fresh head", DefaultValueFactory = _ => 1 };
        var bestOfN = new Option<string>("--best-of-n") { Description = "PRM step aggregation of the headline best-of-N: min, last, product, mean", DefaultValueFactory = _ => "min" };
        var command = new Command("train-rm", "Train a process (PRM) or outcome (ORM) reward model; writes an HF directory and a report.");
        foreach (var o in new Option[] { kind, data, output, model, init, tokenizer, format, neutral, convention, separator, epochs, batch, lr, decay, clip, heldOut, seed, bestOfN })
            command.Options.Add(o);
        command.Subcommands.Add(LabData());
        command.SetAction(parse => Guarded(parse.InvocationConfiguration.Error, () =>
        {
            var console = ConsoleOn(parse.InvocationConfiguration.Output);
            var rmKind = parse.GetValue(kind) switch
            {
                "prm" => RewardModelKind.Prm,
                "orm" => RewardModelKind.Orm,
                var other => throw new ArgumentException($"--kind must be prm or orm, got \"{other}\""),
            };
            string? modelDir = parse.GetValue(model), initSize = parse.GetValue(init);
            if ((modelDir is null) == (initSize is null)) throw new ArgumentException("give exactly one of --model DIR or --init tiny|small");
            string tokenizerSpec = parse.GetValue(tokenizer) ?? modelDir ?? throw new ArgumentException("--init needs --tokenizer (a path or \"lab\")");
            var tok = LoadTokenizer(tokenizerSpec);
            var scoring = new PrmScoringOptions
            {
                Convention = parse.GetValue(convention) switch
                {
                    "step-end" => PrmConvention.StepEndToken,
                    "separator" => PrmConvention.SeparatorToken,
                    var other => throw new ArgumentException($"--convention must be step-end or separator, got \"{other}\" (math-shepherd reads the LM head and is scoring-only)"),
                },
                Separator = parse.GetValue(separator)!,
            };
            string dataPath = parse.GetValue(data)!;
            List<RewardModelExample> examples = rmKind == RewardModelKind.Prm
                ? StepLabelledLoader.Load(dataPath, new StepLabelledOptions { Format = ParseFormat(parse.GetValue(format)!), NeutralIsPositive = ParseNeutral(parse.GetValue(neutral)!) })
                    .Select(r => RewardModelExamples.FromRecord(tok, r, scoring)).ToList()
                : OutcomeLabelledLoader.Load(dataPath).Select(r => RewardModelExamples.FromRecord(tok, r)).ToList();
            int seedValue = parse.GetValue(seed);
            var (train, held) = HeldOutSplit.ByGroup(examples, parse.GetValue(heldOut), (ulong)seedValue);
            var options = new RewardModelTrainOptions
            {
                Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr), WeightDecay = parse.GetValue(decay),
                MaxGradNorm = parse.GetValue(clip), Seed = (ulong)seedValue, BestOfN = ParseAggregation(parse.GetValue(bestOfN)!),
            };
            options.Validate();
            var gemm = GemmFactory.Create(GemmKind.Managed);
            using var rm = modelDir is not null ? RewardModel.Load(modelDir, gemm, rmKind, seedValue) : RewardModel.Create(rmKind, FreshBackbone(initSize!, tok, gemm, seedValue), seedValue);
            int longest = examples.Max(e => e.Tokens.Length);
            if (longest > rm.Backbone.Config.MaxPositionEmbeddings)
                throw new ArgumentException($"{dataPath}: an example has {longest} tokens, more than the model's max_position_embeddings {rm.Backbone.Config.MaxPositionEmbeddings}");
            console.MarkupLineInterpolated($"{rmKind.ToString().ToUpperInvariant()} on {dataPath}: {train.Count} training / {held.Count} held-out responses ({train.Sum(e => e.Labels.Length)} / {held.Sum(e => e.Labels.Length)} labels), backbone {rm.Backbone.Layout.ParameterCount:N0} parameters");
            using var trainer = new RewardModelTrainer(rm, options);
            var report = TrainWithProgress(trainer, train, held, console);
            string outDir = parse.GetValue(output)!;
            rm.Save(outDir);
            AtomicFile.WriteAllText(Path.Combine(outDir, ReportFileName), report.ToJson());
            string? copied = CopyTokenizer(tokenizerSpec, outDir);
            console.Write(ReportTable(report));
            console.MarkupLineInterpolated($"saved {outDir} (config.json, model.safetensors, {ReportFileName}{(copied is null ? "" : ", " + copied)})");
        }));
        return command;
    }

    private static Command LabData()
    {
        var output = new Option<string>("--out") { Description = "output step-labelled JSONL", Required = true };
        var problems = new Option<int>("--problems") { Description = "lab problems (train split)", DefaultValueFactory = _ => 300 };
        var variants = new Option<int>("--variants") { Description = "corrupted variants per problem besides its SFT solution", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "seed of the corruptions", DefaultValueFactory = _ => 1 };
        var unnecessary = new Option<string>("--unnecessary") { Description = "label of unnecessary (correct but useless) steps: positive (the hackable PRM of the paper) or negative", DefaultValueFactory = _ => "positive" };
        var cmd = new Command("lab-data", "Write a step-labelled PRM set from the lab task: SFT solutions plus corrupted variants, labelled by StepLabeller.");
        foreach (var o in new Option[] { output, problems, variants, seed, unnecessary }) cmd.Options.Add(o);
        cmd.SetAction(parse => Guarded(parse.InvocationConfiguration.Error, () =>
        {
            bool positive = parse.GetValue(unnecessary) switch
            {
                "positive" => true,
                "negative" => false,
                var other => throw new ArgumentException($"--unnecessary must be positive or negative, got \"{other}\""),
            };
            var records = LabStepLabelledSet.Build(new LabStepSetOptions
            {
                Problems = parse.GetValue(problems), VariantsPerProblem = parse.GetValue(variants), Seed = (ulong)parse.GetValue(seed),
                Labels = new PrmLabelOptions { UnnecessaryIsPositive = positive },
            });
            string path = parse.GetValue(output)!;
            StepLabelledLoader.Write(path, records);
            int steps = records.Sum(r => r.Steps.Count), positives = records.Sum(r => r.Labels.Count(l => l));
            parse.InvocationConfiguration.Output.WriteLine($"{records.Count} responses, {steps} steps ({100.0 * positives / steps:F1}% positive), {records.Count(r => r.Correct == true)} correct responses → {path}");
        }));
        return cmd;
    }

    private static RewardModelReport TrainWithProgress(RewardModelTrainer trainer, List<RewardModelExample> train, List<RewardModelExample> held, IAnsiConsole console)
    {
        if (Console.IsOutputRedirected)
        {
            long next = 0;
            return trainer.Train(train, held, p =>
            {
                if (p.Step < next && p.Step != p.TotalSteps) return;
                next = p.Step + Math.Max(1, p.TotalSteps / 20);
                console.WriteLine($"epoch {p.Epoch} step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} grad-norm {p.GradNorm:F3}{(p.Skipped ? " (skipped)" : "")}");
            });
        }
        RewardModelReport? report = null;
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1);
                report = trainer.Train(train, held, p =>
                {
                    task.MaxValue = p.TotalSteps;
                    task.Value = p.Step;
                    task.Description = $"epoch {p.Epoch} loss {p.Loss:F4}";
                });
                task.Description = "held-out evaluation done";
            });
        return report!;
    }

    private static Table ReportTable(RewardModelReport r)
    {
        var table = new Table().AddColumns("metric", "value");
        table.AddRow("train loss (last epoch)", F(r.TrainLoss));
        table.AddRow("held-out loss", F(r.HeldOutLoss));
        table.AddRow($"held-out accuracy ({r.HeldOutPositions} labels)", F(r.StepAccuracy));
        table.AddRow("majority-class baseline", F(r.MajorityBaseline));
        table.AddRow("AUC", F(r.Auc));
        foreach (var (name, b) in r.BestOfN)
            table.AddRow($"best-of-N by {name} ({b.Groups} groups)", $"{F(b.Accuracy)} (random pick {F(b.RandomPick)}, oracle {F(b.Oracle)})");
        table.AddRow("steps / skipped / seconds", $"{r.Steps} / {r.SkippedSteps} / {r.Seconds:F1}");
        return table;
    }

    private static string F(double x) => double.IsFinite(x) ? x.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    private static ITokenizer LoadTokenizer(string spec) => spec == "lab" ? new CharTokenizer(LabTask.Alphabet) : TokenizerLoader.Load(spec);

    private static Transformer FreshBackbone(string size, ITokenizer tok, IGemm gemm, int seed)
    {
        var config = size switch
        {
            "tiny" => new ModelConfig { HiddenSize = 64, IntermediateSize = 128, LayerCount = 2, HeadCount = 4, KvHeadCount = 2 },
            "small" => new ModelConfig { HiddenSize = 128, IntermediateSize = 384, LayerCount = 4, HeadCount = 4, KvHeadCount = 2 },
            _ => throw new ArgumentException($"--init must be tiny or small, got \"{size}\""),
        };
        var backbone = new Transformer(config with { VocabSize = tok.VocabSize, MaxPositionEmbeddings = 1024 }, gemm);
        backbone.InitializeRandom(seed);
        return backbone;
    }

    private static StepLabelledFormat ParseFormat(string s) => s switch
    {
        "auto" => StepLabelledFormat.Auto,
        "native" => StepLabelledFormat.Native,
        "prm800k" => StepLabelledFormat.Prm800k,
        "math-shepherd" => StepLabelledFormat.MathShepherd,
        _ => throw new ArgumentException($"--format must be auto, native, prm800k or math-shepherd, got \"{s}\""),
    };

    private static bool ParseNeutral(string s) => s switch
    {
        "positive" => true,
        "negative" => false,
        _ => throw new ArgumentException($"--neutral must be positive or negative, got \"{s}\""),
    };

    private static StepAggregation ParseAggregation(string s) => s switch
    {
        "min" => StepAggregation.Min,
        "last" => StepAggregation.Last,
        "product" => StepAggregation.Product,
        "mean" => StepAggregation.Mean,
        _ => throw new ArgumentException($"--best-of-n must be min, last, product or mean, got \"{s}\""),
    };

    private static IAnsiConsole ConsoleOn(TextWriter writer)
    {
        bool terminal = writer == Console.Out && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No });
        if (!terminal) console.Profile.Width = 160;   // logs and captured output: do not wrap at 80 columns
        return console;
    }

    /// <summary>Copies the tokenizer file (tokenizer.json or .json.gz) into the output directory so it is
    /// self-contained for scoring; returns its name, or null (the lab tokenizer, a GGUF) when nothing is copied.</summary>
    private static string? CopyTokenizer(string spec, string outDir)
    {
        if (spec == "lab") return null;
        string source = Directory.Exists(spec) ? TokenizerLoader.ResolveDirectory(spec) : spec;
        if (source.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)) return null;
        string name = source.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? "tokenizer.json.gz" : "tokenizer.json";
        File.Copy(source, Path.Combine(outDir, name), overwrite: true);
        return name;
    }

    private static int Guarded(TextWriter error, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or DatasetFormatException or HfCheckpointException or HfConfigException
                                       or SafeTensorsFormatException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            error.WriteLine($"train-rm: {ex.Message}");
            return 1;
        }
    }
}

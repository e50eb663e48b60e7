// `reasonrl train-rm --kind prm|orm --data FILE.jsonl --out DIR (--model DIR | --init tiny|small) …`: trains a
// process or outcome reward model with binary cross-entropy (RewardModelTrainer), holding out a share of the
// question groups; writes the Hugging Face directory (RewardModel.Save) plus train_rm_report.json into it and
// prints the report table (held-out loss, step accuracy vs the majority baseline, AUC, best-of-N).
// `reasonrl train-rm lab-data --out FILE.jsonl`: writes a step-labelled set made from the lab task (SFT
// solutions plus corrupted variants labelled by StepLabeller; LabStepLabelledSet) to train a PRM on.
// Thin: loading is ReasonRL.Data (StepLabelledLoader, OutcomeLabelledLoader), training ReasonRL.Training.
using ReasonRL.Data.Datasets;
using ReasonRL.Data.Lab;
using ReasonRL.Data.Records;
using ReasonRL.Models;
using ReasonRL.Rewards.Sources;
using ReasonRL.Runs;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Training;
using ReasonRL.Training.Ppo;
using ReasonRL.Training.RewardModels;
using Spectre.Console;
using System.CommandLine;

namespace ReasonRL.Cli.Commands;

internal static class TrainRmCommand
{
    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "prm (step labels, PrmHead) or orm (response labels, scalar head)", Required = true };
        var data = new Option<string>("--data") { Description = "PRM: step-labelled JSONL (native, PRM800K or Math-Shepherd rows); ORM: {question, response, correct} JSONL", Required = true };
        var output = new Option<string>("--out") { Description = "output Hugging Face directory (replaced atomically)", Required = true };
        var model = new Option<string?>("--model") { Description = "backbone: a causal-LM or reward-model HF directory (e.g. the SFT policy)" };
        var init = new Option<string?>("--init") { Description = "instead of --model: a fresh random backbone of a named shape (micro, lab, tiny, small, medium), vocabulary from the tokenizer" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json / directory, or \"char:lab\" (\"lab\": the lab's character tokenizer); default: the --model directory's" };
        var format = new Option<string>("--format") { Description = "PRM data format: auto, native, prm800k, math-shepherd", DefaultValueFactory = _ => "auto" };
        var neutral = new Option<string>("--neutral") { Description = "PRM800K rating 0 is positive (default: neutral steps are not errors) or negative", DefaultValueFactory = _ => "positive" };
        var convention = new Option<string>("--convention") { Description = "PRM read position: step-end (lab) or separator (Qwen2.5-Math-PRM)", DefaultValueFactory = _ => "step-end" };
        var separator = new Option<string>("--separator") { Description = "separator token for --convention separator", DefaultValueFactory = _ => "<extra_0>" };
        var extraLayers = new Option<int>("--extra-layers") { Description = "decoder layers added on top of the --model backbone, each starting as the identity (e.g. 1: a PRM one layer deeper than its policy)", DefaultValueFactory = _ => 0 };
        var epochs = new Option<int>("--epochs") { Description = "passes over the training set", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size") { Description = "sequences per optimizer step", DefaultValueFactory = _ => 16 };
        var lr = new Option<double>("--lr") { Description = "AdamW (peak) learning rate", DefaultValueFactory = _ => 1e-4 };
        var schedule = new Option<string>("--schedule") { Description = "learning-rate schedule over all steps: constant, or cosine (down to 10% of --lr at the last step)", DefaultValueFactory = _ => "constant" };
        var warmup = new Option<int>("--warmup-steps") { Description = "optimizer steps of linear warm-up before the schedule", DefaultValueFactory = _ => 0 };
        var decay = new Option<double>("--weight-decay") { Description = "AdamW weight decay", DefaultValueFactory = _ => 0.0 };
        var clip = new Option<double>("--max-grad-norm") { Description = "global gradient-norm clip (0 = off)", DefaultValueFactory = _ => 1.0 };
        var heldOut = new Option<double>("--held-out") { Description = "share of question groups held out for evaluation", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<int>("--seed") { Description = "seed of the split, shuffles and the fresh head", DefaultValueFactory = _ => 1 };
        var bestOfN = new Option<string>("--best-of-n") { Description = "PRM step aggregation of the headline best-of-N: min, last, product, mean", DefaultValueFactory = _ => "min" };
        var command = new Command("train-rm", "Train a process (PRM) or outcome (ORM) reward model; writes an HF directory and a report.");
        var maxModelGib = MaxModelGibOption.Create();
        foreach (var o in new Option[] { kind, data, output, model, init, tokenizer, format, neutral, convention, separator, extraLayers, epochs, batch, lr, schedule, warmup, decay, clip, heldOut, seed, bestOfN, maxModelGib })
            command.Options.Add(o);
        command.Subcommands.Add(LabData());
        command.SetAction(parse => !MaxModelGibOption.TryGetBytes(parse, maxModelGib, "train-rm", parse.InvocationConfiguration.Error, out long? maxBytes)
            ? CliRunner.InputErrorExitCode
            : Guarded(parse.InvocationConfiguration.Error, () =>
        {
            MaxModelGibOption.CheckDirectories(maxBytes, parse.GetValue(model));
            var console = ConsoleOn(parse.InvocationConfiguration.Output);
            var rmKind = parse.GetValue(kind) switch
            {
                "prm" => RewardModelKind.Prm,
                "orm" => RewardModelKind.Orm,
                var other => throw new ArgumentException($"--kind must be prm or orm, got \"{other}\""),
            };
            int seedValue = parse.GetValue(seed);
            var options = new RewardModelRunOptions
            {
                Kind = rmKind, DataPath = parse.GetValue(data)!, OutputDirectory = parse.GetValue(output)!,
                ModelDirectory = parse.GetValue(model), InitSize = parse.GetValue(init), Tokenizer = parse.GetValue(tokenizer),
                Format = ParseFormat(parse.GetValue(format)!), NeutralIsPositive = ParseNeutral(parse.GetValue(neutral)!),
                Scoring = new PrmScoringOptions
                {
                    Convention = parse.GetValue(convention) switch
                    {
                        "step-end" => PrmConvention.StepEndToken,
                        "separator" => PrmConvention.SeparatorToken,
                        var other => throw new ArgumentException($"--convention must be step-end or separator, got \"{other}\" (math-shepherd reads the LM head and is scoring-only)"),
                    },
                    Separator = parse.GetValue(separator)!,
                },
                Train = new RewardModelTrainOptions
                {
                    Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr), WeightDecay = parse.GetValue(decay),
                    Schedule = LearningRateSchedule.ParseKind(parse.GetValue(schedule)!)
                        ?? throw new ArgumentException($"--schedule must be constant or cosine, got \"{parse.GetValue(schedule)}\""),
                    WarmupSteps = parse.GetValue(warmup),
                    MaxGradNorm = parse.GetValue(clip), Seed = (ulong)seedValue, BestOfN = ParseAggregation(parse.GetValue(bestOfN)!),
                },
                HeldOutShare = parse.GetValue(heldOut),
                ExtraLayers = parse.GetValue(extraLayers),
            };
            var result = TrainWithProgress(options, console, s =>
                console.MarkupLineInterpolated($"{rmKind.ToString().ToUpperInvariant()} on {options.DataPath}: {s.TrainExamples} training / {s.HeldOutExamples} held-out responses ({s.TrainLabels} / {s.HeldOutLabels} labels), backbone {s.BackboneParameters:N0} parameters"));
            console.Write(ReportTable(result.Report));
            console.MarkupLineInterpolated($"saved {result.OutputDirectory} (config.json, model.safetensors, {RewardModelRun.ReportFileName}, tokenizer)");
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

    private static RewardModelRunResult TrainWithProgress(RewardModelRunOptions options, IAnsiConsole console, Action<RewardModelRunResult> started)
    {
        var gemm = GemmFactory.Create(GemmKind.Managed);
        if (Console.IsOutputRedirected)
        {
            long next = 0;
            return RewardModelRun.Run(options, gemm, p =>
            {
                if (p.Step < next && p.Step != p.TotalSteps) return;
                next = p.Step + Math.Max(1, p.TotalSteps / 20);
                console.WriteLine($"epoch {p.Epoch} step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} grad-norm {p.GradNorm:F3}{(p.Skipped ? " (skipped)" : "")}");
            }, started);
        }
        RewardModelRunResult? result = null;
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1);
                result = RewardModelRun.Run(options, gemm, p =>
                {
                    task.MaxValue = p.TotalSteps;
                    task.Value = p.Step;
                    task.Description = $"epoch {p.Epoch} loss {p.Loss:F4}";
                }, started);
                task.Description = "held-out evaluation done";
            });
        return result!;
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
            return CliRunner.InputErrorExitCode;
        }
    }
}

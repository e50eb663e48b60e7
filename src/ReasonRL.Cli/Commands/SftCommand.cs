// `reasonrl sft --config FILE [key=value ...] [--resume]`: supervised fine-tuning of a policy on
// (prompt, response) JSONL, loss on response tokens only. Prints the resolved config, shows live
// progress (loss, lr, ETA), writes metrics/checkpoints to run.output_dir and saves the final model
// as an HF directory <output_dir>/model. Thin: the work is ReasonRL.Runs.SftRun.
using ReasonRL.Runs;
using ReasonRL.Tensors;
using ReasonRL.Training;
using System.CommandLine;
using System.Globalization;

namespace ReasonRL.Cli.Commands;

internal static class SftCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "YAML config (sections run, model, data, sft; see examples/sft-lab.yaml)" };
        var resume = new Option<bool>("--resume") { Description = "continue the run in run.output_dir from its latest checkpoint" };
        var every = new Option<int>("--print-every") { Description = "plain-text progress line every N updates when output is redirected", DefaultValueFactory = _ => 10 };
        var overrides = new Argument<string[]>("overrides") { Description = "key=value overrides, e.g. sft.lr=3e-4 run.output_dir=runs/sft2", Arity = ArgumentArity.ZeroOrMore };
        var maxModelGib = MaxModelGibOption.Create();
        var command = new Command("sft", "Supervised fine-tuning on (prompt, response) JSONL; loss on response tokens only; saves an HF model directory.");
        command.Options.Add(config);
        command.Options.Add(resume);
        command.Options.Add(every);
        command.Options.Add(maxModelGib);
        command.Arguments.Add(overrides);
        command.SetAction(parse => MaxModelGibOption.TryGetBytes(parse, maxModelGib, "sft", parse.InvocationConfiguration.Error, out long? maxBytes)
            ? Run(parse.GetValue(config), parse.GetValue(overrides) ?? [], parse.GetValue(resume), parse.GetValue(every),
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, maxBytes)
            : 2);
        return command;
    }

    internal static int Run(string? configPath, IReadOnlyList<string> overrides, bool resume, int printEvery, TextWriter output, TextWriter error,
        long? maxModelBytes, string? runDirectory = null)
    {
        SftRunConfig config;
        try { config = SftRunConfig.Load(configPath, overrides); }
        catch (Exception e) when (e is TrainConfigException or IOException)
        {
            error.WriteLine($"sft: config error: {e.Message}");
            return 2;
        }
        MaxModelGibOption.CheckDirectories(maxModelBytes, config.Model.Init);
        output.Write(config.Yaml);
        var view = new LiveStatus(output, printEvery);
        var inv = CultureInfo.InvariantCulture;
        try
        {
            var report = view.Run("sft", 1, 0, () => SftRun.Run(config, GemmFactory.Create(GemmKind.Managed), resume, output.WriteLine, runDirectory: runDirectory, progress: p =>
            {
                string line = string.Create(inv, $"loss {p.Step.Loss:F4} lr {p.Step.LearningRate:G3} |g| {p.Step.GradNorm:F3}") +
                    (p.EvalLoss is { } el ? string.Create(inv, $" eval {el:F4}") : "") + (p.Step.Skipped ? " SKIPPED (non-finite)" : "") +
                    string.Create(inv, $" ({p.Elapsed.TotalSeconds:F0} s)");
                view.Report(p.Step.Step, p.TotalSteps, line, force: p.EvalLoss is not null);
            }));
            if (report.StopReason is not null) view.Warn(report.StopReason);
            output.WriteLine(string.Create(inv, $"sft: {report.StepsDone}/{report.TotalSteps} updates on {report.Examples} examples; final train loss {report.FinalTrainLoss:F4}") +
                (report.FinalEvalLoss is { } f ? string.Create(inv, $", held-out loss {report.InitialEvalLoss:F4} → {f:F4}") : "") +
                $"; {report.Skipped} skipped; model saved to {report.ModelDirectory}");
            return report.StopReason is null ? 0 : 3;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException or Data.Datasets.DatasetFormatException)
        {
            error.WriteLine($"sft: {e.Message}");
            return 2;
        }
    }
}

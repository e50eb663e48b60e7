// `reasonrl train --config FILE [key=value ...]`: PPO / GRPO / Dr.GRPO / RLOO / REINFORCE++ training of
// a policy on prompts JSONL with the reward section's design. Prints the resolved config (also saved in
// the run folder), a live view (success / learned / total reward, KL, entropy, clip fraction, value
// loss, response length, steps per response, repeated-step rate, truncation rate, learned–success
// correlation, time split, ETA), warns on the hacking signature, and saves the policy at the end.
// `--help` lists every advantage estimator, loss aggregation, KL estimator and placement by name.
// Thin: the work is ReasonRL.Runs.TrainRun.
using ReasonRL.Rewards.Offline;
using ReasonRL.Runs;
using ReasonRL.Tensors;
using ReasonRL.Training;
using System.CommandLine;
using System.Globalization;
using System.Text;

namespace ReasonRL.Cli.Commands;

internal static class TrainCommand
{
    /// <summary>The command description: what it does, then every named choice with its description.</summary>
    internal static string Description()
    {
        var sb = new StringBuilder("RL training (PPO with GAE and a critic, or a critic-free group estimator) on prompts JSONL; YAML config with key=value overrides (see examples/train-lab.yaml).\n");
        string? key = null;
        foreach (var (k, name, description) in TrainConfigLoader.Choices())
        {
            if (k != key) { sb.Append('\n').Append(k).Append(":\n"); key = k; }
            sb.Append("  ").Append(name.PadRight(14)).Append(' ').Append(description).Append('\n');
        }
        sb.Append("\noptim.schedule:\n  constant       lr after warmup stays lr\n  cosine         cosine decay to optim.min_lr_ratio·lr at run.total_steps\n");
        return sb.ToString();
    }

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "YAML config (sections run, model, data, rollout, algorithm, kl, optim, guard, eval, reward)" };
        var every = new Option<int>("--print-every") { Description = "plain-text progress line every N steps when output is redirected", DefaultValueFactory = _ => 1 };
        var overrides = new Argument<string[]>("overrides") { Description = "key=value overrides, e.g. algorithm.advantage=grpo kl.placement=loss", Arity = ArgumentArity.ZeroOrMore };
        var maxModelGib = MaxModelGibOption.Create();
        var command = new Command("train", Description());
        command.Options.Add(config);
        command.Options.Add(every);
        command.Options.Add(maxModelGib);
        command.Arguments.Add(overrides);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!MaxModelGibOption.TryGetBytes(parse, maxModelGib, "train", error, out long? maxBytes)) return 2;
            string? path = parse.GetValue(config);
            ResolvedTrainConfig resolved;
            try { resolved = TrainConfigLoader.Load(path, parse.GetValue(overrides) ?? []); }
            catch (Exception e) when (e is TrainConfigException or RewardConfigException or IOException)
            {
                error.WriteLine($"train: config error: {e.Message}");
                return 2;
            }
            return Run(resolved, path ?? "(defaults)", resume: false, parse.GetValue(every), output, error, maxBytes);
        });
        return command;
    }

    internal static int Run(ResolvedTrainConfig resolved, string configFile, bool resume, int printEvery, TextWriter output, TextWriter error,
        long? maxModelBytes, string? runDirectory = null)
    {
        var models = resolved.Config.Model;
        MaxModelGibOption.CheckDirectories(maxModelBytes, models?.Policy, models?.Prm, models?.Orm);
        output.Write(resolved.Yaml);
        var view = new LiveStatus(output, printEvery);
        var inv = CultureInfo.InvariantCulture;
        try
        {
            var report = view.Run("train", resolved.Config.Run.TotalSteps, 0, () => TrainRun.Run(resolved, configFile, GemmFactory.Create(GemmKind.Managed), resume, output.WriteLine, runDirectory: runDirectory, progress: p =>
            {
                var m = p.Metrics;
                string line = string.Create(inv,
                    $"success {m.SuccessMean:F3} learned {m.LearnedReturnMean:F3} total {m.TotalRewardMean:F3} kl {m.Kl:F4} H {m.Entropy:F3} clip {m.ClipFraction:F3} " +
                    $"vloss {m.ValueLoss:F4} len {m.ResponseLengthMean:F1} steps {m.StepsPerResponse:F2} rep {m.RepeatedStepRate:F3} trunc {m.TruncationRate:F2} corr {m.LearnedSuccessCorrelation:F2} " +
                    $"| gen {m.GenerationTime.TotalSeconds:F1}s score {m.ScoringTime.TotalSeconds:F1}s train {m.TrainingTime.TotalSeconds:F1}s") +
                    (m.Skipped ? " SKIPPED" : "") + (p.EvalAccuracy is { } a ? string.Create(inv, $" | eval acc {a:P1}") : "");
                view.Report(m.Step, p.TotalSteps, line, force: p.EvalAccuracy is not null);
                if (p.Hacking.Warning)
                    view.Warn(string.Create(inv, $"step {m.Step}: learned return rising ({p.Hacking.LearnedSlope:+0.000;-0.000}/step) while success falls ({p.Hacking.SuccessSlope:+0.000;-0.000}/step) — the reward-hacking signature"));
            }));
            if (report.StopReason is not null) view.Warn("stopped: " + report.StopReason + " (state checkpointed intact)");
            output.WriteLine($"train: {report.StepsDone}/{report.TotalSteps} steps" +
                (report.FinalEvalAccuracy is { } f ? string.Create(inv, $"; held-out greedy accuracy {report.InitialEvalAccuracy?.ToString("P1", inv) ?? "?"} → {f:P1}") : "") +
                $"; {report.HackingWarnings} hacking warning(s); policy saved to {report.PolicyDirectory}");
            return report.StopReason is null ? 0 : 3;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException
            or NotSupportedException or TrainConfigException or RewardConfigException or Data.Datasets.DatasetFormatException)
        {
            error.WriteLine($"train: {e.Message}");
            return 2;
        }
    }
}

// `reasonrl reward`: scores saved rollouts (JSONL) under a reward.yaml and prints a summary table per
// shaping. Thin: parsing and printing only; the work is ReasonRL.Rewards.Offline.OfflineScorer.
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;
using ReasonRL.Verifier;
using Spectre.Console;
using System.CommandLine;

namespace ReasonRL.Cli.Commands;

internal static class RewardCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "reward.yaml: steps, success, shaping (raw|clip|delta|clip_delta|min_form|par), orm, format, length", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "rollouts JSONL: prompt, response, gold, optional step_scores, orm_score, verdict", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "scored JSONL, written atomically (temp file + rename)", Required = true };
        var budget = new Option<int>("--verify-budget-ms") { Description = "time budget per verifier call in ms, 1..60000 (default 1000; offline scoring is not latency-bound, and the verifier's 10 ms default marks cold-JIT calls Unverifiable)", DefaultValueFactory = _ => 1000 };
        var compare = new Option<string?>("--compare") { Description = "comma-separated shapings to summarise on the same lines, e.g. raw,clip,delta,clip_delta (default: none)" };
        var command = new Command("reward", "Score saved rollouts offline with any reward shaping; replays step_scores/orm_score/verdict from the lines.");
        command.Options.Add(config);
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(compare);
        command.Options.Add(budget);
        command.SetAction(parseResult => Run(
            parseResult.GetValue(config)!, parseResult.GetValue(input)!, parseResult.GetValue(output)!, parseResult.GetValue(compare),
            parseResult.GetValue(budget)));
        return command;
    }

    private static int Run(FileInfo configFile, FileInfo inputFile, FileInfo outputFile, string? compareList, int budgetMs)
    {
        if (budgetMs is < 1 or > 60_000)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]--verify-budget-ms[/]: {budgetMs}; expected 1..60000");
            return 2;
        }
        // A RewardConfigException or a missing file reaches CliRunner: one line on stderr, exit code 2.
        RewardConfig config = RewardConfigLoader.LoadFile(configFile.FullName);
        var kinds = new List<ShapingKind>();
        foreach (var name in (compareList ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ShapingOptions.TryParseKind(name) is not { } kind)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]--compare[/]: '{name}' is not a shaping; expected a comma-separated list of {string.Join(", ", ShapingOptions.AllKinds.Select(ShapingOptions.NameOf))}");
                return 2;
            }
            kinds.Add(kind);
        }
        if (!inputFile.Exists)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]--input[/]: {inputFile.FullName} does not exist");
            return 2;
        }
        AnsiConsole.MarkupLineInterpolated($"config: {config.Describe()}");
        if (config.Prm is not null || config.Orm is not null)
        {
            // Offline scoring replays step_scores / orm_score from the rollouts; a configured model would be silently unused.
            AnsiConsole.MarkupLineInterpolated($"[red]config error[/] {configFile.Name}: prm/orm model keys (path/url) are for `reasonrl serve`; offline scoring replays each line's step_scores / orm_score — remove them");
            return 2;
        }
        var report = new OfflineScorer(config, MathVerifierJudge.Create(config.Verify with { TimeBudget = TimeSpan.FromMilliseconds(budgetMs) })).ScoreFile(inputFile.FullName, outputFile.FullName, kinds);
        var table = new Table().AddColumns("shaping", "n", "success", "accuracy", "learned", "total", "steps", "repeated", "non-zero");
        foreach (var s in report.Summaries)
        {
            table.AddRow(s.Label, $"{s.Scored}", $"{s.MeanSuccess:0.####}", $"{s.Accuracy:0.####}", $"{s.MeanLearnedReturn:0.####}",
                $"{s.MeanTotalReturn:0.####}", $"{s.MeanSteps:0.##}", $"{s.RepeatedStepRate:0.####}", $"{s.NonZeroStepRewardRate:0.####}");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("means per response: success r_succ, learned Σ step rewards, total G_1, steps K; repeated = repeated steps / steps; non-zero = non-zero step rewards / steps");
        AnsiConsole.MarkupLineInterpolated($"{report.Lines} line(s), {report.Lines - report.Errors.Count} scored, {report.Errors.Count} with errors → {outputFile.FullName}");
        foreach (var error in report.Errors.Take(10)) AnsiConsole.MarkupLineInterpolated($"[yellow]{error}[/]");
        if (report.Errors.Count > 10) AnsiConsole.MarkupLineInterpolated($"… and {report.Errors.Count - 10} more (see \"error\" fields in the output)");
        return report.Errors.Count == 0 ? 0 : 1;
    }
}

// `reasonrl lab [--quick | --full] [--out DIR] [--seeds 1,2,3] [--designs success,prm_raw,...] [--steps N]`:
// the main job — SFT a small char-level Qwen2 policy on the lab's arithmetic task, train a PRM and an
// ORM on its labelled samples, run PPO with each reward design over several seeds, and print the table
// (mean ± sd over seeds) and the findings; everything lands in one run folder with report.html.
// Rerunning with the same --out resumes. Logic lives in ReasonRL.Runs.Lab (LabOrchestrator); this
// file parses options, draws the live progress view (Spectre) and prints the table.
using ReasonRL.Runs.Lab;
using Spectre.Console;
using System.CommandLine;
using System.Globalization;

namespace ReasonRL.Cli.Commands;

internal static class LabCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "smoke preset (≤ 3 min): small sets, 1 seed, 4 PPO steps" };
        var full = new Option<bool>("--full") { Description = "longer preset: more SFT, PPO steps and 5 seeds" };
        var outDir = new Option<string?>("--out") { Description = "run folder (default runs/lab-<timestamp>); an existing one is resumed" };
        var seeds = new Option<string?>("--seeds") { Description = "comma-separated seeds, e.g. 1,2,3 (default: the preset's)" };
        var designs = new Option<string?>("--designs") { Description = "comma-separated designs: success, orm, prm_raw, prm_clip, prm_delta, prm_clip_delta (the default six), min_form, par" };
        var steps = new Option<int?>("--steps") { Description = "PPO steps per design and seed (default: the preset's)" };
        var estimator = new Option<string?>("--estimator") { Description = "advantage estimator of the PPO runs: gae (critic, default), grpo, dr_grpo, rloo, reinforce_pp" };
        var set = new Option<string[]>("--set") { Description = "change one setting of the preset, key=value (repeatable), e.g. --set policy_lr=5e-5 --set sft_steps=600; keys: " + string.Join(", ", LabPresetOverrides.Keys), AllowMultipleArgumentsPerToken = false };
        var command = new Command("lab", "Reproduce the reward-hacking finding end to end: SFT → PRM/ORM → PPO per reward design × seed → table + report.html.");
        foreach (var o in new Option[] { quick, full, outDir, seeds, designs, steps, estimator, set }) command.Options.Add(o);
        command.Subcommands.Add(CreateSweep());
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            LabPreset preset;
            try
            {
                preset = Resolve(parse.GetValue(quick), parse.GetValue(full), parse.GetValue(seeds), parse.GetValue(designs), parse.GetValue(steps), parse.GetValue(estimator), parse.GetValue(set));
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"lab: {e.Message}");
                return 2;
            }
            string dir = parse.GetValue(outDir) ?? Path.Combine("runs", "lab-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            bool plain = Console.IsOutputRedirected || output != Console.Out;
            if (plain) console.Profile.Width = Math.Max(console.Profile.Width, 160);   // logs: keep the table's rows on one line
            console.MarkupLine($"[bold]reasonrl lab[/] — preset {preset.Name}, seeds {string.Join(",", preset.Seeds)}, designs {Markup.Escape(string.Join(",", preset.Designs.Select(LabDesigns.NameOf)))}, {preset.PpoSteps} PPO steps; run folder {Markup.Escape(Path.GetFullPath(dir))}");
            console.MarkupLine($"[grey]machine: {Markup.Escape(ReasonRL.Benchmarks.EngineBenchmark.MachineDescription())}[/]");
            var wall = System.Diagnostics.Stopwatch.StartNew();
            string commandLine = "reasonrl lab" + (parse.GetValue(quick) ? " --quick" : "") + (parse.GetValue(full) ? " --full" : "")
                + " --seeds " + string.Join(",", preset.Seeds) + " --designs " + string.Join(",", preset.Designs.Select(LabDesigns.NameOf))
                + (parse.GetValue(steps) is int st ? string.Create(CultureInfo.InvariantCulture, $" --steps {st}") : "")
                + (parse.GetValue(estimator) is { } est ? " --estimator " + est : "")
                + string.Concat((parse.GetValue(set) ?? []).Select(a => " --set " + a)) + " --out " + dir;
            LabSummary summary;
            try
            {
                summary = RunWithProgress(console, preset, dir, plain, commandLine);
            }
            catch (InvalidOperationException e)
            {
                error.WriteLine($"lab: {e.Message}");
                return 1;
            }
            catch (InvalidDataException e)
            {
                error.WriteLine($"lab: {e.Message}");
                return 1;
            }
            Print(console, summary, dir);
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"wall time of this command {wall.Elapsed.TotalSeconds:F0} s (a resumed run counts only what it ran)"));
            return 0;
        });
        return command;
    }

    /// <summary>The preset after the command-line overrides (throws ArgumentException on bad values).</summary>
    internal static LabPreset Resolve(bool quick, bool full, string? seeds, string? designs, int? steps, string? estimator = null, IReadOnlyList<string>? set = null)
    {
        if (quick && full) throw new ArgumentException("--quick and --full exclude each other");
        var preset = quick ? LabPreset.Quick : full ? LabPreset.Full : LabPreset.Default;
        if (seeds is not null)
        {
            var list = seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
                    : throw new ArgumentException($"--seeds: \"{s}\" is not an integer; expected e.g. 1,2,3"))
                .ToList();
            preset = preset with { Seeds = list };
        }
        if (designs is not null) preset = preset with { Designs = LabDesigns.ParseList(designs) };
        if (steps is int n) preset = preset with { PpoSteps = n };
        if (estimator is not null) preset = preset with { Estimator = estimator };
        return LabPresetOverrides.ApplyAll(preset, set ?? []);
    }

    /// <summary>`reasonrl lab sweep --grid key=v1,v2 [--grid …] [--set key=value] [--seeds …] [--quick] [--out DIR]`.</summary>
    private static Command CreateSweep()
    {
        var quick = new Option<bool>("--quick") { Description = "start from the smoke preset instead of the default" };
        var outDir = new Option<string?>("--out") { Description = "sweep folder (default runs/sweep-<timestamp>); an existing one is resumed" };
        var seeds = new Option<string?>("--seeds") { Description = "comma-separated seeds of every point (default 1,2)" };
        var grid = new Option<string[]>("--grid") { Description = "one axis, key=v1,v2,… (repeatable; points are the cartesian product), e.g. --grid policy_lr=2e-5,5e-5,1e-4", Required = true };
        var set = new Option<string[]>("--set") { Description = "a fixed setting for every point, key=value (repeatable)" };
        var cmd = new Command("sweep", "Tune shared settings honestly: each grid point trains the success-only design and is scored by greedy accuracy on the validation split (never the test split); writes sweep.md / sweep.json and marks the best point.");
        foreach (var o in new Option[] { quick, outDir, seeds, grid, set }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Output) });
            if (Console.IsOutputRedirected) console.Profile.Width = Math.Max(console.Profile.Width, 200);   // logs: one line per event
            LabPreset preset;
            IReadOnlyList<string> axes = parse.GetValue(grid) ?? [], fixedSettings = parse.GetValue(set) ?? [];
            try
            {
                preset = Resolve(parse.GetValue(quick), false, parse.GetValue(seeds) ?? "1,2", null, null);
                LabSweep.Expand(axes);
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"lab sweep: {e.Message}");
                return 2;
            }
            string dir = parse.GetValue(outDir) ?? Path.Combine("runs", "sweep-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            string commandLine = "reasonrl lab sweep" + (parse.GetValue(quick) ? " --quick" : "") + " --seeds " + string.Join(",", preset.Seeds)
                + string.Concat(fixedSettings.Select(s => " --set " + s)) + string.Concat(axes.Select(a => " --grid " + a));
            console.MarkupLine($"[bold]reasonrl lab sweep[/] — {Markup.Escape(commandLine)}; folder {Markup.Escape(Path.GetFullPath(dir))}");
            LabSweepResult sweep;
            try
            {
                sweep = LabSweep.Run(preset, fixedSettings, axes, dir, commandLine, PlainProgress(console));
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"lab sweep: {e.Message}");
                return 2;
            }
            catch (InvalidOperationException e)
            {
                error.WriteLine($"lab sweep: {e.Message}");
                return 1;
            }
            console.WriteLine(LabSweep.Markdown(sweep));
            console.MarkupLine($"table: {Markup.Escape(Path.GetFullPath(Path.Combine(dir, "sweep.md")))}");
            return 0;
        });
        return cmd;
    }

    /// <summary>Progress for redirected output: one line per task every few seconds and when a task completes, with the
    /// task's ETA (its elapsed time × remaining / done work since its first event). Callers serialise the calls.</summary>
    private static Action<LabProgress> PlainProgress(IAnsiConsole console)
    {
        var last = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var started = new Dictionary<string, (DateTime At, double Done)>(StringComparer.Ordinal);
        return p =>
        {
            var now = DateTime.UtcNow;
            if (!started.TryGetValue(p.Task, out var first)) started[p.Task] = first = (now, p.Completed);
            bool finished = p.Completed >= p.Total;
            if (!finished && !p.Milestone && last.TryGetValue(p.Task, out var t) && now - t < TimeSpan.FromSeconds(5)) return;
            last[p.Task] = now;
            string eta = "";
            double done = p.Completed - first.Done;
            if (!finished && done > 0 && p.Total > p.Completed)
            {
                var remaining = TimeSpan.FromSeconds((now - first.At).TotalSeconds * (p.Total - p.Completed) / done);
                eta = string.Create(CultureInfo.InvariantCulture, $" · ETA {(int)remaining.TotalMinutes}m{remaining.Seconds:00}s");
            }
            console.WriteLine($"[{p.Task}] {p.Description}{eta}");
        };
    }

    private static LabSummary RunWithProgress(IAnsiConsole console, LabPreset preset, string dir, bool plain, string commandLine)
    {
        if (plain)
        {
            return LabOrchestrator.Run(preset, dir, PlainProgress(console), command: commandLine);
        }
        LabSummary? summary = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(live =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                summary = LabOrchestrator.Run(preset, dir, p =>
                {
                    if (!tasks.TryGetValue(p.Task, out var task))
                    {
                        task = live.AddTask(Markup.Escape(p.Description), maxValue: Math.Max(p.Total, 1));
                        tasks[p.Task] = task;
                    }
                    task.MaxValue = Math.Max(p.Total, 1);
                    task.Value = Math.Min(p.Completed, task.MaxValue);
                    task.Description = Markup.Escape(p.Description);
                }, command: commandLine);
                foreach (var t in tasks.Values) t.Value = t.MaxValue;
            });
        return summary!;
    }

    private static void Print(IAnsiConsole console, LabSummary summary, string dir)
    {
        var table = new Table().Title("held-out greedy evaluation, mean ± sd over seeds");
        foreach (var h in LabTable.Headers) table.AddColumn(h);
        foreach (var row in summary.Table) table.AddRow(LabTable.Cells(row).Select(Markup.Escape).ToArray());
        console.Write(table);
        var differences = new Table().Title(Markup.Escape($"paired differences ({PairedDifference.Method}): mean [low, high] (n)"));
        foreach (var h in LabDifferences.Headers) differences.AddColumn(h);
        foreach (var row in summary.Differences) differences.AddRow(LabDifferences.Cells(row).Select(Markup.Escape).ToArray());
        console.Write(differences);
        foreach (var q in summary.RewardModels)
        {
            string bestOfN = q.BestOfNAccuracy is double b ? FormattableString.Invariant($", best-of-n {b:P1}") : "";
            console.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"{q.Kind.ToUpperInvariant()}: held-out accuracy {q.Accuracy:P1} (majority {q.MajorityBaseline:P1}), AUC {q.Auc:F3}{bestOfN}")));
        }
        if (summary.PrmCheck is { } c)
            console.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"PRM on unseen validation responses: AUC correct vs incorrect lines {c.Auc:F3} ({c.CorrectLines}/{c.IncorrectLines} lines), on test problems {c.TestAuc:F3}; padding probe: necessary {c.MeanPaddingNecessary:F2}, unnecessary {c.MeanPaddingUnnecessary:F2}; run-on probe: incorrect {c.MeanRunOnIncorrect:F2}; extra-operation probe: {c.MeanExtraOperation:F2}")));
        foreach (var f in summary.Findings)
        {
            string colour = f.Verdict == LabFindings.Reproduced ? "green" : f.Verdict == LabFindings.NotReproduced ? "red" : "yellow";
            console.MarkupLine($"[{colour}]{Markup.Escape(f.Verdict)}[/]: {Markup.Escape(f.Claim)} — {Markup.Escape(f.Evidence)}");
        }
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"stage time summed over stages and runs (PPO runs train two at a time) {summary.TotalSeconds:F0} s: ") +
            string.Join(", ", summary.Stages.Where(s => !s.Stage.StartsWith("ppo ", StringComparison.Ordinal))
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {s.WallSeconds:F0} s"))) +
            string.Create(CultureInfo.InvariantCulture, $", PPO runs {summary.Stages.Where(s => s.Stage.StartsWith("ppo ", StringComparison.Ordinal)).Sum(s => s.WallSeconds):F0} s")));
        console.MarkupLine($"report: {Markup.Escape(Path.GetFullPath(Path.Combine(dir, "report.html")))}");
    }
}

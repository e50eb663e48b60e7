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
        var command = new Command("lab", "Reproduce the reward-hacking finding end to end: SFT → PRM/ORM → PPO per reward design × seed → table + report.html.");
        foreach (var o in new Option[] { quick, full, outDir, seeds, designs, steps, estimator }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            LabPreset preset;
            try
            {
                preset = Resolve(parse.GetValue(quick), parse.GetValue(full), parse.GetValue(seeds), parse.GetValue(designs), parse.GetValue(steps), parse.GetValue(estimator));
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
            LabSummary summary;
            try
            {
                summary = RunWithProgress(console, preset, dir, plain);
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
            return 0;
        });
        return command;
    }

    /// <summary>The preset after the command-line overrides (throws ArgumentException on bad values).</summary>
    internal static LabPreset Resolve(bool quick, bool full, string? seeds, string? designs, int? steps, string? estimator = null)
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
        return preset.Validate();
    }

    private static LabSummary RunWithProgress(IAnsiConsole console, LabPreset preset, string dir, bool plain)
    {
        if (plain)
        {
            // Redirected output: one line per task every few seconds, and when a task completes.
            var last = new Dictionary<string, DateTime>(StringComparer.Ordinal);
            return LabOrchestrator.Run(preset, dir, p =>
            {
                bool finished = p.Completed >= p.Total;
                if (!finished && last.TryGetValue(p.Task, out var t) && DateTime.UtcNow - t < TimeSpan.FromSeconds(5)) return;
                last[p.Task] = DateTime.UtcNow;
                console.WriteLine($"[{p.Task}] {p.Description}");
            });
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
                });
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
        foreach (var q in summary.RewardModels)
        {
            string bestOfN = q.BestOfNAccuracy is double b ? FormattableString.Invariant($", best-of-n {b:P1}") : "";
            console.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"{q.Kind.ToUpperInvariant()}: held-out accuracy {q.Accuracy:P1} (majority {q.MajorityBaseline:P1}), AUC {q.Auc:F3}{bestOfN}")));
        }
        foreach (var f in summary.Findings)
        {
            string colour = f.Verdict == LabFindings.Reproduced ? "green" : f.Verdict == LabFindings.NotReproduced ? "red" : "yellow";
            console.MarkupLine($"[{colour}]{Markup.Escape(f.Verdict)}[/]: {Markup.Escape(f.Claim)} — {Markup.Escape(f.Evidence)}");
        }
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"stage time {summary.TotalSeconds:F0} s: ") +
            string.Join(", ", summary.Stages.Where(s => !s.Stage.StartsWith("ppo ", StringComparison.Ordinal))
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {s.WallSeconds:F0} s"))) +
            string.Create(CultureInfo.InvariantCulture, $", PPO runs {summary.Stages.Where(s => s.Stage.StartsWith("ppo ", StringComparison.Ordinal)).Sum(s => s.WallSeconds):F0} s")));
        console.MarkupLine($"report: {Markup.Escape(Path.GetFullPath(Path.Combine(dir, "report.html")))}");
    }
}

// `reasonrl bench ppo`: one lab PPO step timed by phase, and the PPO update's tokens/s beside the
// engine's plain training tokens/s on the same shapes, as a ratio (goal ≥ 0.5). No logic here:
// PpoBenchmark measures; this file prints (Spectre table, or one JSON line with --json).
using ReasonRL.Benchmarks;
using Spectre.Console;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace ReasonRL.Cli.Commands;

internal static class BenchPpoCommand
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "timed PPO steps (after 3 warm-up steps)", DefaultValueFactory = _ => 8 };
        var size = new Option<string>("--size") { Description = "policy shape (ModelShapes name): lab (the lab's), micro, tiny", DefaultValueFactory = _ => "lab" };
        var json = new Option<bool>("--json") { Description = "one JSON object instead of the table" };
        var cmd = new Command("ppo", "The lab's PPO step by phase (generation / scoring / experience / update) and the update's tokens/s vs plain engine training tokens/s on the same shapes.");
        foreach (var o in new Option[] { steps, size, json }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            int n = parse.GetValue(steps);
            string s = parse.GetValue(size)!;
            if (n < 1) { Console.Error.WriteLine($"--steps must be >= 1, got {n}"); return 2; }
            if (s is not ("lab" or "micro" or "tiny")) { Console.Error.WriteLine($"--size must be lab, micro or tiny, got \"{s}\""); return 2; }
            var before = new PpoBenchmarkOptions { Steps = n, Size = s, Concurrent = 1, ReuseLogProbs = false };
            var after = before with { Concurrent = Math.Clamp(Environment.ProcessorCount, 1, 2), ReuseLogProbs = true, LengthGrouped = true };
            bool asJson = parse.GetValue(json);
            if (!asJson)
            {
                AnsiConsole.MarkupLine($"[bold]ReasonRL PPO benchmark[/] on {Markup.Escape(EngineBenchmark.MachineDescription())}");
                AnsiConsole.MarkupLine(Markup.Escape($"policy {s}, char:lab tokenizer, {before.Prompts} lab prompts × {before.RolloutsPerPrompt} responses ({before.MaxNewTokens} new tokens), GAE + critic, success reward, minibatch {before.MiniBatchSize}, 1 epoch; medians of {n} steps after {before.WarmupSteps} warm-up"));
                AnsiConsole.MarkupLine(Markup.Escape($"before: 1 run on {Environment.ProcessorCount} core(s), log π_old from a second forward · after (the lab now): {after.Concurrent} runs at once, one core each, log π_old reused from the sampler, length-grouped minibatches"));
            }
            Action<string>? log = asJson ? null : msg => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(msg)}[/]");
            var b = PpoBenchmark.Run(before, log);
            var a = PpoBenchmark.Run(after, log);
            if (asJson)
            {
                foreach (var (name, r) in new[] { ("before", b), ("after", a) })
                {
                    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["config"] = name, ["size"] = r.Size, ["params"] = r.Parameters, ["responses"] = r.Responses, ["mean_sequence_tokens"] = r.MeanSequenceTokens,
                        ["generation_ms"] = r.GenerationMs, ["scoring_ms"] = r.ScoringMs, ["experience_ms"] = r.ExperienceMs, ["update_ms"] = r.UpdateMs,
                        ["update_tokens_per_s"] = r.UpdateTokensPerSecond, ["engine_train_tokens_per_s"] = r.EngineTrainTokensPerSecond,
                        ["ratio"] = r.Ratio, ["workers_per_run"] = r.Workers, ["concurrent_runs"] = r.Concurrent, ["machine_steps_per_s"] = r.MachineStepsPerSecond,
                    }));
                }
                return 0;
            }
            var inv = CultureInfo.InvariantCulture;
            var split = new Table().Title($"one lab PPO step, ms (median; {a.Responses} responses, mean {a.MeanSequenceTokens:F0} tokens per sequence)");
            split.AddColumns("phase", "before", "after (per run)");
            foreach (var (name, x, y) in new[] { ("generation", b.GenerationMs, a.GenerationMs), ("scoring", b.ScoringMs, a.ScoringMs),
                         ("experience (old/ref/value forwards)", b.ExperienceMs, a.ExperienceMs), ("update (policy + critic)", b.UpdateMs, a.UpdateMs), ("step", b.StepMs, a.StepMs) })
                split.AddRow(name, x.ToString("F0", inv), y.ToString("F0", inv));
            split.AddRow("[bold]machine: lab PPO steps/s[/]", b.MachineStepsPerSecond.ToString("F2", inv), $"{a.MachineStepsPerSecond.ToString("F2", inv)} ({(a.MachineStepsPerSecond / b.MachineStepsPerSecond).ToString("F2", inv)}×)");
            AnsiConsole.Write(split);
            var ratio = new Table().Title("PPO update vs plain engine training on the same shapes and cores (real tokens counted once; goal ≥ 0.50)");
            ratio.AddColumns("config", "cores per run", "PPO update tok/s", "engine train tok/s", "ratio");
            foreach (var (name, r) in new[] { ("before", b), ("after", a) })
                ratio.AddRow(name, r.Workers.ToString(inv), r.UpdateTokensPerSecond.ToString("N0", inv), r.EngineTrainTokensPerSecond.ToString("N0", inv), r.Ratio.ToString("F2", inv));
            AnsiConsole.Write(ratio);
            return 0;
        });
        return cmd;
    }
}

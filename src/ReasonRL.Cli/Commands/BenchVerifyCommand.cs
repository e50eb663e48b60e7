// `reasonrl bench verify`: single-thread throughput of the verifier on real model outputs
// (../shared/verifier-eval/real2000.jsonl: model_output, gold, label), shuffled, after warm-up,
// printed beside the reference (Math-Verify: 475 pairs/s measured on this machine) as a ratio.
// Thin: the measurement is ReasonRL.Verifier.Evaluation.VerifierBenchmark.
using ReasonRL.Benchmarks;
using ReasonRL.Verifier;
using ReasonRL.Verifier.Evaluation;
using Spectre.Console;
using System.CommandLine;

namespace ReasonRL.Cli.Commands;

internal static class BenchVerifyCommand
{
    /// <summary>Math-Verify's throughput on real2000 on this machine (pairs/s), the reference.</summary>
    public const double MathVerifyPairsPerSecond = 475;

    public static Command Create()
    {
        var file = new Option<FileInfo>("--file")
        {
            Description = "JSONL of pairs (fields model_output, gold, label).",
            DefaultValueFactory = _ => new FileInfo(DefaultFile()),
        };
        var seconds = new Option<double>("--seconds") { Description = "Minimum timed seconds (0.1..600).", DefaultValueFactory = _ => 3.0 };
        var fuzz = new Option<int>("--fuzz") { Description = "Also run N adversarial fuzz pairs and report their worst-case latency (0..10,000,000).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("verify", "Verifier throughput (pairs/s, one thread) and latency percentiles on real2000.");
        cmd.Options.Add(file);
        cmd.Options.Add(seconds);
        var work = new Option<long>("--work-budget") { Description = "VerifyOptions.WorkBudget in steps for both runs (1..10^12; default the library default).", DefaultValueFactory = _ => VerifyOptions.DefaultWorkBudget };
        cmd.Options.Add(fuzz);
        cmd.Options.Add(work);
        cmd.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            var f = parseResult.GetValue(file)!;
            if (!f.Exists)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"bench verify: file not found: {f.FullName} (expected ../shared/verifier-eval/real2000.jsonl beside the repository)");
                return 2;
            }
            var options = VerifyOptions.Default with { WorkBudget = Math.Clamp(parseResult.GetValue(work), 1, 1_000_000_000_000) };
            var cases = LabelledCaseReader.Read(f.FullName, "model_output", "gold", "label");
            var r = VerifierBenchmark.Run(cases, options, Math.Clamp(parseResult.GetValue(seconds), 0.1, 600));
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var table = new Table().AddColumn("metric").AddColumn("ReasonRL").AddColumn("reference (Math-Verify)").AddColumn("ratio");
            table.AddRow("pairs/s (1 thread)", r.PairsPerSecond.ToString("F0", inv), MathVerifyPairsPerSecond.ToString("F0", inv),
                (r.PairsPerSecond / MathVerifyPairsPerSecond).ToString("F1", inv) + "x");
            table.AddRow("p50 latency ms", r.P50Ms.ToString("F4", inv), "", "");
            table.AddRow("p90 latency ms", r.P90Ms.ToString("F4", inv), "", "");
            table.AddRow("p99 latency ms", r.P99Ms.ToString("F4", inv), "", "");
            table.AddRow("max latency ms", r.MaxMs.ToString("F3", inv), "", "");
            console.Write(table);
            output.WriteLine($"file={f.FullName} pairs={r.Pairs} calls={r.Calls} seconds={r.Seconds.ToString("F2", inv)} warmup_passes={r.WarmupPasses} " +
                $"threads=1 cores={Environment.ProcessorCount} runtime={System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            int fuzzCount = Math.Clamp(parseResult.GetValue(fuzz), 0, 10_000_000);
            if (fuzzCount > 0)
            {
                var z = FuzzLatency.Run(fuzzCount, seed: 20251122, options);
                output.WriteLine($"fuzz: calls={z.Calls} correct={z.Correct} incorrect={z.Incorrect} unverifiable={z.Unverifiable} " +
                    $"p50_ms={z.P50Ms.ToString("F4", inv)} p99_ms={z.P99Ms.ToString("F4", inv)} max_ms={z.MaxMs.ToString("F3", inv)} (bound: 20 ms) " +
                    $"max_work={z.MaxWork} (ms={z.MaxWorkMs.ToString("F3", inv)}) work_budget={options.WorkBudget} work_exhausted={z.WorkExhausted} backstop_hits={z.BackstopHits} " +
                    $"slowest_work={z.SlowestWork}");
            }
            return 0;
        });
        return cmd;
    }

    private static string DefaultFile()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "verifier-eval", "real2000.jsonl");
            if (File.Exists(Path.Combine(dir.FullName, "ReasonRL.slnx"))) return Path.GetFullPath(candidate);
        }
        return Path.GetFullPath(Path.Combine("..", "shared", "verifier-eval", "real2000.jsonl"));
    }
}

// `reasonrl bench verify`: single-thread throughput of the verifier on real model outputs
// (../shared/verifier-eval/real2000.jsonl: model_output, gold, label), shuffled, after warm-up,
// printed beside the reference (Math-Verify: 475 pairs/s measured on this machine) as a ratio.
// Thin: the measurement is ReasonRL.Math.Evaluation.VerifierBenchmark.
using System.CommandLine;
using ReasonRL.Math;
using ReasonRL.Math.Evaluation;
using Spectre.Console;

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
        var cmd = new Command("verify", "Verifier throughput (pairs/s, one thread) and latency percentiles on real2000.");
        cmd.Options.Add(file);
        cmd.Options.Add(seconds);
        cmd.SetAction(parseResult =>
        {
            var f = parseResult.GetValue(file)!;
            if (!f.Exists)
            {
                Console.Error.WriteLine($"bench verify: file not found: {f.FullName} (expected ../shared/verifier-eval/real2000.jsonl beside the repository)");
                return 2;
            }
            var cases = LabelledCaseReader.Read(f.FullName, "model_output", "gold", "label");
            var r = VerifierBenchmark.Run(cases, VerifyOptions.Default, System.Math.Clamp(parseResult.GetValue(seconds), 0.1, 600));
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var table = new Table().AddColumn("metric").AddColumn("ReasonRL").AddColumn("reference (Math-Verify)").AddColumn("ratio");
            table.AddRow("pairs/s (1 thread)", r.PairsPerSecond.ToString("F0", inv), MathVerifyPairsPerSecond.ToString("F0", inv),
                (r.PairsPerSecond / MathVerifyPairsPerSecond).ToString("F1", inv) + "x");
            table.AddRow("p50 latency ms", r.P50Ms.ToString("F4", inv), "", "");
            table.AddRow("p90 latency ms", r.P90Ms.ToString("F4", inv), "", "");
            table.AddRow("p99 latency ms", r.P99Ms.ToString("F4", inv), "", "");
            table.AddRow("max latency ms", r.MaxMs.ToString("F3", inv), "", "");
            AnsiConsole.Write(table);
            Console.WriteLine($"file={f.FullName} pairs={r.Pairs} calls={r.Calls} seconds={r.Seconds.ToString("F2", inv)} warmup_passes={r.WarmupPasses} " +
                $"threads=1 cores={Environment.ProcessorCount} runtime={System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
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

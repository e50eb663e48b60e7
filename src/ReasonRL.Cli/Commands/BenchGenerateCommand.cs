// `reasonrl bench generate`: the public batched-generation API against the engine's raw decode
// loop (the reference), on the anchor configs; prints both figures and their ratio with the
// machine and configuration. Logic lives in ReasonRL.Models.Benchmarks.GenerationBenchmark.
using ReasonRL.Benchmarks;
using ReasonRL.Tensors;
using Spectre.Console;
using System.CommandLine;

namespace ReasonRL.Cli.Commands;

internal static class BenchGenerateCommand
{
    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "anchor size: tiny | small | medium | all", DefaultValueFactory = _ => "all" };
        var batch = new Option<int>("--batch") { Description = "sequences per call (1..256)", DefaultValueFactory = _ => 64 };
        var reps = new Option<int>("--reps") { Description = "timed calls of each path after one warm-up (1..50)", DefaultValueFactory = _ => 3 };
        var cmd = new Command("generate", "Batched generation through the public API (Generator.GenerateBatch) vs the raw decode loop of bench engine.");
        foreach (var o in new Option[] { size, batch, reps }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var sizeValue = parse.GetValue(size)!;
            string[] sizes = sizeValue == "all" ? ["tiny", "small", "medium"] : [sizeValue];
            foreach (var s in sizes)
                if (s is not ("tiny" or "small" or "medium")) { Console.Error.WriteLine($"--size must be tiny, small, medium or all, got \"{sizeValue}\""); return 2; }
            int b = parse.GetValue(batch), r = parse.GetValue(reps);
            if (b is < 1 or > 256) { Console.Error.WriteLine($"--batch must be 1..256, got {b}"); return 2; }
            if (r is < 1 or > 50) { Console.Error.WriteLine($"--reps must be 1..50, got {r}"); return 2; }
            AnsiConsole.MarkupLine($"[grey]machine: {Markup.Escape(EngineBenchmark.MachineDescription())}[/]");
            AnsiConsole.MarkupLine($"[grey]config: batch {b}, prompt 32, 128 new tokens, temperature 1, no stops, managed GEMM, median of {r} alternating calls[/]");
            var table = new Table().AddColumns("size", "raw decode loop tok/s (reference)", "public API tok/s", "API ÷ raw");
            foreach (var s in sizes)
            {
                var res = GenerationBenchmark.Run(s, b, r, GemmKind.Managed, progress: m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
                table.AddRow(s, $"{res.RawTokensPerSecond:N0}", $"{res.ApiTokensPerSecond:N0}", $"{res.Ratio:F2}×");
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }
}

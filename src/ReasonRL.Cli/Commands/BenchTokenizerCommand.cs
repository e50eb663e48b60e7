// `reasonrl bench tokenizer`: single-thread encode throughput (MB/s, tokens/s) of a tokenizer
// on the MATH train text (problem + solution of every row), cold and warm cache, plus decode.
// No external reference figure: Hugging Face tokenizers (Rust) is the implicit comparison but
// is not installed here, so the table prints our figures with the machine and configuration.
// Logic lives in ReasonRL.Text.Diagnostics.TokenizerThroughput.
using ReasonRL.Benchmarks;
using ReasonRL.Text;
using Spectre.Console;
using System.CommandLine;
using System.Runtime.InteropServices;

namespace ReasonRL.Cli.Commands;

internal static class BenchTokenizerCommand
{
    public static Command Create()
    {
        var tokenizerOption = new Option<string>("--tokenizer")
        {
            Description = "tokenizer.json[.gz], .gguf or model directory",
            DefaultValueFactory = _ => "../shared/data/tokenizer/qwen3-tokenizer.json.gz",
        };
        var dataOption = new Option<string>("--data")
        {
            Description = "JSONL corpus (.gz allowed)",
            DefaultValueFactory = _ => "../shared/data/math/train.jsonl.gz",
        };
        var fieldsOption = new Option<string[]>("--field")
        {
            Description = "string fields to read from each line (repeatable)",
            DefaultValueFactory = _ => ["problem", "solution"],
        };
        var runsOption = new Option<int>("--runs")
        {
            Description = "warm passes, best reported (1..50)",
            DefaultValueFactory = _ => 3,
        };
        var command = new Command("tokenizer", "Encode MB/s and tokens/s on the MATH train text, one thread.");
        command.Options.Add(tokenizerOption);
        command.Options.Add(dataOption);
        command.Options.Add(fieldsOption);
        command.Options.Add(runsOption);
        command.SetAction(parseResult =>
        {
            string tokenizerPath = parseResult.GetValue(tokenizerOption)!;
            string dataPath = parseResult.GetValue(dataOption)!;
            string[] fields = parseResult.GetValue(fieldsOption)!;
            int runs = Math.Clamp(parseResult.GetValue(runsOption), 1, 50);
            var loadWatch = System.Diagnostics.Stopwatch.StartNew();
            ByteLevelBpeTokenizer tokenizer = TokenizerLoader.LoadByteLevel(tokenizerPath);
            double loadSeconds = loadWatch.Elapsed.TotalSeconds;
            List<string> texts = TokenizerThroughput.ReadJsonlTexts(dataPath, fields);
            ThroughputResult r = TokenizerThroughput.Measure(tokenizer, texts, runs);

            AnsiConsole.MarkupLine($"[bold]machine[/]  {Environment.ProcessorCount} logical cores, {Markup.Escape(RuntimeInformation.OSDescription)}, " +
                $"{RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}, {Markup.Escape(CpuName())}");
            AnsiConsole.MarkupLine($"[bold]config[/]   one thread; tokenizer {Markup.Escape(tokenizerPath)} " +
                $"(vocab {tokenizer.VocabSize}, {tokenizer.MergeCount} merges, load {loadSeconds:F2} s); " +
                $"corpus {Markup.Escape(dataPath)} fields {Markup.Escape(string.Join(",", fields))}: {r.Texts} texts, " +
                $"{r.Utf8Bytes / 1e6:F2} MB UTF-8, {r.Tokens} tokens; warm = best of {r.WarmRuns}");
            var table = new Table().AddColumns("pass", "seconds", "MB/s", "tokens/s");
            table.AddRow("encode, first pass (JIT + cold cache)", $"{r.First.TotalSeconds:F3}", $"{r.Utf8Bytes / 1e6 / r.First.TotalSeconds:F2}", $"{r.Tokens / r.First.TotalSeconds:N0}");
            table.AddRow("encode, cold cache", $"{r.Cold.TotalSeconds:F3}", $"{r.ColdMegabytesPerSecond:F2}", $"{r.Tokens / r.Cold.TotalSeconds:N0}");
            table.AddRow("encode, warm cache", $"{r.Warm.TotalSeconds:F3}", $"{r.WarmMegabytesPerSecond:F2}", $"{r.WarmTokensPerSecond:N0}");
            table.AddRow("decode", $"{r.Decode.TotalSeconds:F3}", $"{r.DecodeMegabytesPerSecond:F2}", $"{r.Tokens / r.Decode.TotalSeconds:N0}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine("reference: none available here (Hugging Face tokenizers, Rust, is the implicit comparison; not installed)");
            return 0;
        });
        return command;
    }

    private static string CpuName()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo)) return "cpu unknown";
        string? line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "cpu unknown" : line[(line.IndexOf(':') + 1)..].Trim();
    }
}

// `reasonrl bench engine`: training and sampling throughput of ReasonRL's engine on the anchor
// configs, printed beside PyTorch's figures from ../shared/anchors/results as ratios (or one JSON
// object per size per line with --json). No logic here: EngineBenchmark measures,
// AnchorResults reads; AnchorReport below only formats (Spectre table with ratios, the --json line).
using ReasonRL.Benchmarks;
using ReasonRL.Models;
using ReasonRL.Tensors;
using Spectre.Console;
using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace ReasonRL.Cli.Commands;

internal static class BenchEngineCommand
{
    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "anchor size: tiny | small | medium | all", DefaultValueFactory = _ => "all" };
        var json = new Option<bool>("--json") { Description = "one JSON object per size per line (size, params, train_tokens_per_s, train_mfu, sample_b64_tokens_per_s, sample_b1_tokens_per_s)" };
        var anchors = new Option<string>("--anchors") { Description = "folder of PyTorch's results/*.json", DefaultValueFactory = _ => "../shared/anchors/results" };
        var gemm = new Option<string>("--gemm") { Description = "GEMM implementation: managed | openblas", DefaultValueFactory = _ => "managed" };
        var steps = new Option<int?>("--train-steps") { Description = "timed training steps (default by size: tiny 10, small 6, medium 3; after 3 warm-up, as the PyTorch anchor)" };
        var reps = new Option<int?>("--sample-reps") { Description = "timed generate calls per batch size (default by size: tiny 5, small 3, medium 2; after at least 3 warm-up calls and 1.5 s, for the JIT to tier up)" };
        var skipTrain = new Option<bool>("--no-train") { Description = "skip the training measurement" };
        var skipSample = new Option<bool>("--no-sample") { Description = "skip the sampling measurements" };
        var cmd = new Command("engine", "Training tokens/s, MFU and sampling tokens/s (B=64, B=1) on the anchor configs vs PyTorch.");
        foreach (var o in new Option[] { size, json, anchors, gemm, steps, reps, skipTrain, skipSample }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var sizeValue = parse.GetValue(size)!;
            string[] sizes = sizeValue == "all" ? ["tiny", "small", "medium"] : [sizeValue];
            foreach (var s in sizes)
                if (s is not ("tiny" or "small" or "medium")) { Console.Error.WriteLine($"--size must be tiny, small, medium or all, got \"{sizeValue}\""); return 2; }
            var gemmKind = parse.GetValue(gemm) switch
            {
                "managed" => GemmKind.Managed,
                "openblas" => GemmKind.OpenBlas,
                _ => (GemmKind?)null,
            };
            if (gemmKind is null) { Console.Error.WriteLine($"--gemm must be managed or openblas, got \"{parse.GetValue(gemm)}\""); return 2; }
            var options = new EngineBenchmarkOptions
            {
                Gemm = gemmKind.Value, TrainSteps = parse.GetValue(steps), SampleReps = parse.GetValue(reps),
                Train = !parse.GetValue(skipTrain), Sample = !parse.GetValue(skipSample),
            };
            var folder = parse.GetValue(anchors)!;
            bool asJson = parse.GetValue(json);
            double? peak = AnchorResults.PeakGflops(folder);
            if (!asJson)
                AnchorReport.PrintHeader(options, folder, peak);
            foreach (var s in sizes)
            {
                var result = EngineBenchmark.Run(s, options, asJson ? null : msg => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(msg)}[/]"));
                double? mfu = peak is { } p ? result.TrainTokensPerSecond * result.TrainFlopsPerToken / (p * 1e9) : null;
                if (asJson) Console.WriteLine(AnchorReport.JsonLine(result, mfu));
                else AnchorReport.PrintSize(result, mfu, peak, Directory.Exists(folder) ? AnchorResults.Load(folder, s) : null);
            }
            return 0;
        });
        return cmd;
    }
}

/// <summary>Formatting of bench engine results.</summary>
internal static class AnchorReport
{
    public static void PrintHeader(EngineBenchmarkOptions o, string folder, double? peak)
    {
        AnsiConsole.MarkupLine($"[bold]ReasonRL engine benchmark[/] — gemm {o.Gemm}, fp32, tied embeddings, on {Markup.Escape(EngineBenchmark.MachineDescription())}");
        AnsiConsole.MarkupLine($"train: B {o.TrainBatch} × T {o.TrainTokens}, forward + cross-entropy + backward + AdamW(lr 3e-4, betas 0.9/0.95, eps 1e-8, wd 0.1); sample: prompt {o.PromptTokens}, {o.NewTokens} new tokens, temperature {o.Temperature}, KV cache");
        AnsiConsole.MarkupLine(peak is { } p
            ? $"MFU denominator: PyTorch's measured peak SGEMM {p:F1} GFLOP/s ({Markup.Escape(Path.Combine(folder, "sgemm.json"))})"
            : $"[yellow]no sgemm.json under {Markup.Escape(folder)}: MFU not computed[/]");
    }

    public static void PrintSize(EngineBenchmarkResult r, double? mfu, double? peak, AnchorSize? torch)
    {
        var cfg = ModelConfig.Anchor(r.Size);
        var table = new Table().Title($"{r.Size}: V {cfg.VocabSize}, C {cfg.HiddenSize}, L {cfg.LayerCount}, H {cfg.HeadCount}/{cfg.KvHeadCount}, F {cfg.IntermediateSize}, params {r.Parameters:N0}");
        table.AddColumns("figure", "ReasonRL", "PyTorch (default run)", "ratio", "PyTorch (best of runs)", "ratio vs best");
        void Row(string name, double ours, AnchorFigure? t, string fmt)
        {
            if (t is null) table.AddRow(name, ours.ToString(fmt), "-", "-", "-", "-");
            else table.AddRow(name, ours.ToString(fmt), t.Default.ToString(fmt), $"{ours / t.Default:F2}×", $"{t.Best.ToString(fmt)} ({t.Variants} runs)", $"{ours / t.Best:F2}×");
        }
        if (r.TrainTokensPerSecond > 0)
        {
            Row("train tokens/s", r.TrainTokensPerSecond, torch?.Train, "N0");
            if (mfu is { } m) table.AddRow("train MFU", $"{m:P1}", torch?.TrainMfu is { } tm ? $"{tm.Default:P1}" : "-", "", "", "");
            table.AddRow("train step ms (fwd+loss / bwd / AdamW)", $"{r.TrainStepMedianMs:F0} ({r.TrainForwardMs:F0} / {r.TrainBackwardMs:F0} / {r.TrainOptimizerMs:F0})", "", "", "", "");
            table.AddRow("train FLOPs/token, loss first→last", $"{r.TrainFlopsPerToken / 1e6:F2} M, {r.LossFirst:F3}→{r.LossLast:F3}", "", "", "", "");
        }
        if (r.SampleB64TokensPerSecond > 0)
        {
            Row("sample B=64 tokens/s", r.SampleB64TokensPerSecond, torch?.SampleB64, "N0");
            Row("sample B=1 tokens/s", r.SampleB1TokensPerSecond, torch?.SampleB1, "N1");
            if (peak is { } p) table.AddRow("sample B=64 MFU", $"{r.SampleB64TokensPerSecond * r.SampleFlopsPerToken / (p * 1e9):P1}", "", "", "", "");
        }
        AnsiConsole.Write(table);
        if (torch is not null && torch.Machine.Length > 0) AnsiConsole.MarkupLine($"[grey]PyTorch figures measured on: {Markup.Escape(torch.Machine)}[/]");
    }

    /// <summary>One JSON object: size, params, train_tokens_per_s, train_mfu, sample_b64_tokens_per_s, sample_b1_tokens_per_s.</summary>
    public static string JsonLine(EngineBenchmarkResult r, double? mfu)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("size", r.Size);
            w.WriteNumber("params", r.Parameters);
            w.WriteNumber("train_tokens_per_s", r.TrainTokensPerSecond);
            if (mfu is { } m) w.WriteNumber("train_mfu", m); else w.WriteNull("train_mfu");
            w.WriteNumber("sample_b64_tokens_per_s", r.SampleB64TokensPerSecond);
            w.WriteNumber("sample_b1_tokens_per_s", r.SampleB1TokensPerSecond);
            w.WriteString("gemm", r.Gemm);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

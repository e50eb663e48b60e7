// GenerationBenchmark: the public batched-generation API (Generator.GenerateBatch: per-prompt
// prefill into a ragged KV cache, options validation, per-sequence RNG streams, finish reasons)
// against the engine benchmark's raw decode loop (Generator.Generate over one equal-length batch),
// on the same anchor configs and protocol (prompt 32, 128 new tokens, temperature 1, no stops).
// What it is not: a PyTorch comparison (bench engine does that); the reference here is our own
// raw loop, and the issue's goal is the public API within 10% of it at batch 64.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Text;
using System.Diagnostics;

namespace ReasonRL.Benchmarks;

/// <summary>One size's figures: raw-loop and public-API generated tokens/s at one batch size.</summary>
public sealed record GenerationBenchmarkResult(string Size, int Batch, double RawTokensPerSecond, double ApiTokensPerSecond)
{
    /// <summary>Public API ÷ raw loop (1.0 = no overhead).</summary>
    public double Ratio => ApiTokensPerSecond / RawTokensPerSecond;
}

public static class GenerationBenchmark
{
    /// <summary>Times <paramref name="reps"/> calls of each path after one warm-up of each, alternating
    /// raw and API calls so that the machine's slow and fast phases hit both alike; medians.</summary>
    public static GenerationBenchmarkResult Run(string size, int batch, int reps, GemmKind gemmKind,
        int promptTokens = 32, int newTokens = 128, int seed = 1234, Action<string>? progress = null)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), $"batch must be >= 1, got {batch}");
        if (reps < 1) throw new ArgumentOutOfRangeException(nameof(reps), $"reps must be >= 1, got {reps}");
        var cfg = ModelConfig.Anchor(size) with { MaxPositionEmbeddings = promptTokens + newTokens };
        using var model = new Transformer(cfg, GemmFactory.Create(gemmKind));
        model.InitializeRandom(seed);
        var rng = new Rng((ulong)seed);
        var flat = new int[batch * promptTokens];
        var outTokens = new int[batch * newTokens];
        var outLp = new float[batch * newTokens];
        var options = new GenerationOptions { Temperature = 1f, MaxNewTokens = newTokens };
        var raw = new List<double>();
        var api = new List<double>();
        for (int r = 0; r < reps + 1; r++)
        {
            for (int i = 0; i < flat.Length; i++) flat[i] = rng.NextInt(cfg.VocabSize);
            var prompts = new int[batch][];
            for (int b = 0; b < batch; b++) prompts[b] = flat.AsSpan(b * promptTokens, promptTokens).ToArray();

            long t0 = Stopwatch.GetTimestamp();
            using (var cache = new KvCache(cfg, batch, promptTokens + newTokens))
                Generator.Generate(model, cache, flat, promptTokens, newTokens, options.Temperature, rng, outTokens, outLp);
            double rawMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;

            var rngs = new Rng[batch];
            for (int b = 0; b < batch; b++) rngs[b] = Rng.ForStream((ulong)seed, (ulong)(1 + r * batch + b));
            t0 = Stopwatch.GetTimestamp();
            var results = Generator.GenerateBatch(model, prompts, options, rngs);
            double apiMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            foreach (var res in results)
                if (res.Tokens.Length != newTokens)
                    throw new InvalidOperationException($"generation benchmark: a sequence produced {res.Tokens.Length} tokens, expected {newTokens} (no stop was configured)");

            if (r > 0) { raw.Add(rawMs); api.Add(apiMs); }
            progress?.Invoke($"{size} B={batch} rep {r}/{reps}{(r == 0 ? " (warm-up)" : "")}: raw loop {rawMs:F0} ms, public API {apiMs:F0} ms");
        }
        double tokens = (double)batch * newTokens;
        return new GenerationBenchmarkResult(size, batch, tokens / (EngineBenchmark.Median(raw) / 1000.0), tokens / (EngineBenchmark.Median(api) / 1000.0));
    }
}

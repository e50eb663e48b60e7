// EngineBenchmark: the `reasonrl bench engine` measurements on the anchor configs, with the FLOP and
// MFU conventions of ../shared/anchors/results.md so figures compare one-to-one with PyTorch's:
// training = forward + cross-entropy + backward + AdamW on B 16 × T 256 random tokens; sampling =
// one generate call (cache allocation, prefill of a 32-token prompt, first sample, 127 single-token
// decode steps, temperature 1) at batch 64 and batch 1. Median of timed repetitions after warm-up.
// What it is not: the comparison/printing (AnchorResults, the CLI) or a micro-benchmark harness.
// FLOPs (matmul only, 2 per multiply-add): N = projection weights + LM head; train/token = 6N + 12·L·C·T;
// sample/token = [32·(2N_layers + 4·L·C·32) + Σ_{ctx=33..159}(2N_layers + 4·L·C·ctx) + 128·2·V·C] / 128.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Text;
using System.Diagnostics;

namespace ReasonRL.Benchmarks;

/// <summary>Knobs of one engine benchmark run (defaults = the anchor protocol).</summary>
public sealed record EngineBenchmarkOptions
{
    public int TrainBatch { get; init; } = 16;
    public int TrainTokens { get; init; } = 256;
    public int TrainWarmup { get; init; } = 3;
    /// <summary>Timed training steps; null = by size (tiny 10, small 6, medium 3) to keep a run short.</summary>
    public int? TrainSteps { get; init; }
    public int PromptTokens { get; init; } = 32;
    public int NewTokens { get; init; } = 128;
    public float Temperature { get; init; } = 1f;
    /// <summary>
    /// Untimed generate calls before the timed ones. PyTorch's anchor needs one; .NET's tiered JIT
    /// recompiles the generation loop with profile data over the first few calls (tiny, batch 64:
    /// 1,087 → 460 → 317 → 227 ms per call, then flat), so three are run to time the steady state.
    /// </summary>
    public int SampleWarmup { get; init; } = 3;
    /// <summary>
    /// ... and at least this long: the JIT recompiles in the background, so after a training run a
    /// batch-1 call (13 ms at tiny) reaches its steady speed only after a few hundred milliseconds
    /// (4,100 tokens/s over three warm-up calls against 10,400 once warm).
    /// </summary>
    public double SampleWarmupSeconds { get; init; } = 1.5;
    /// <summary>Timed generate calls; null = by size (tiny 5, small 3, medium 2).</summary>
    public int? SampleReps { get; init; }
    public GemmKind Gemm { get; init; } = GemmKind.Managed;
    public int Seed { get; init; } = 1234;
    /// <summary>Skip phases (for quick runs).</summary>
    public bool Train { get; init; } = true;
    public bool Sample { get; init; } = true;
}

/// <summary>Figures of one size.</summary>
public sealed record EngineBenchmarkResult(
    string Size, long Parameters, long MatmulParameters,
    double TrainTokensPerSecond, double TrainStepMedianMs, double TrainForwardMs, double TrainBackwardMs, double TrainOptimizerMs,
    double TrainFlopsPerToken, float LossFirst, float LossLast,
    double SampleB64TokensPerSecond, double SampleB1TokensPerSecond, double SampleFlopsPerToken, string Gemm);

/// <summary>Runs the engine benchmark for one anchor size.</summary>
public static class EngineBenchmark
{
    /// <summary>Projection weights of all layers (q, k, v, o, gate, up, down), biases excluded.</summary>
    public static long LayerMatmulParameters(ModelConfig c) =>
        (long)c.LayerCount * ((long)c.HiddenSize * c.QueryDim * 2 + (long)c.HiddenSize * c.KvDim * 2 + 3L * c.HiddenSize * c.IntermediateSize);

    /// <summary>N of the FLOP convention: layer projections + LM head (V·C).</summary>
    public static long MatmulParameters(ModelConfig c) => LayerMatmulParameters(c) + (long)c.VocabSize * c.HiddenSize;

    /// <summary>Training FLOPs per token: 6N + 12·L·C·T (PaLM convention, no causal discount).</summary>
    public static double TrainFlopsPerToken(ModelConfig c, int tokens) =>
        6.0 * MatmulParameters(c) + 12.0 * c.LayerCount * c.HiddenSize * tokens;

    /// <summary>Sampling FLOPs per generated token (anchor convention, see file header).</summary>
    public static double SampleFlopsPerToken(ModelConfig c, int prompt, int newTokens)
    {
        double nl = LayerMatmulParameters(c), lc = (double)c.LayerCount * c.HiddenSize;
        double total = prompt * (2 * nl + 4 * lc * prompt);
        for (int ctx = prompt + 1; ctx < prompt + newTokens; ctx++) total += 2 * nl + 4 * lc * ctx;
        total += newTokens * 2.0 * c.VocabSize * c.HiddenSize;
        return total / newTokens;
    }

    /// <summary>CPU model (from /proc/cpuinfo where it exists), logical CPUs, OS and .NET version.</summary>
    public static string MachineDescription()
    {
        string cpu = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        const string cpuinfo = "/proc/cpuinfo";
        if (File.Exists(cpuinfo))
        {
            var line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null && line.IndexOf(':') is var colon and >= 0) cpu = line[(colon + 1)..].Trim();
        }
        return $"{cpu}, {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    public static EngineBenchmarkResult Run(string size, EngineBenchmarkOptions o, Action<string>? progress = null)
    {
        var cfg = ModelConfig.Anchor(size) with { MaxPositionEmbeddings = Math.Max(o.TrainTokens, o.PromptTokens + o.NewTokens) };
        var gemm = GemmFactory.Create(o.Gemm);
        using var model = new Transformer(cfg, gemm);
        model.InitializeRandom(o.Seed);
        var rng = new Rng((ulong)o.Seed);

        double trainTps = 0, stepMs = 0, fwdMs = 0, bwdMs = 0, optMs = 0;
        float lossFirst = float.NaN, lossLast = float.NaN;
        if (o.Train)
        {
            int steps = o.TrainSteps ?? size switch { "tiny" => 10, "small" => 6, _ => 3 };
            int n = o.TrainBatch * o.TrainTokens;
            var tokens = new int[n];
            var targets = new int[n];
            using var opt = new AdamWOptimizer(model.Layout.Slab, new AdamWOptions { LearningRate = 3e-4f, Beta1 = 0.9f, Beta2 = 0.95f, Eps = 1e-8f, WeightDecay = 0.1f });
            var step = new List<double>(); var fwd = new List<double>(); var bwd = new List<double>(); var adam = new List<double>();
            for (int i = 0; i < o.TrainWarmup + steps; i++)
            {
                for (int j = 0; j < n; j++) { tokens[j] = rng.NextInt(cfg.VocabSize); targets[j] = rng.NextInt(cfg.VocabSize); }
                long t0 = Stopwatch.GetTimestamp();
                model.ZeroGradients();
                float loss = model.ForwardLoss(tokens, targets, o.TrainBatch, o.TrainTokens);
                long t1 = Stopwatch.GetTimestamp();
                model.BackwardLoss(targets);
                long t2 = Stopwatch.GetTimestamp();
                opt.Update(model.Parameters, model.Gradients!);
                long t3 = Stopwatch.GetTimestamp();
                if (i == 0) lossFirst = loss;
                lossLast = loss;
                if (i >= o.TrainWarmup)
                {
                    fwd.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                    bwd.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                    adam.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                    step.Add(Stopwatch.GetElapsedTime(t0, t3).TotalMilliseconds);
                }
                progress?.Invoke($"{size} train step {i + 1}/{o.TrainWarmup + steps}: loss {loss:F4}, {Stopwatch.GetElapsedTime(t0, t3).TotalMilliseconds:F0} ms");
            }
            stepMs = Median(step); fwdMs = Median(fwd); bwdMs = Median(bwd); optMs = Median(adam);
            trainTps = n / (stepMs / 1000.0);
        }

        double b64 = 0, b1 = 0;
        if (o.Sample)
        {
            int reps = o.SampleReps ?? size switch { "tiny" => 5, "small" => 3, _ => 2 };
            b64 = SampleTokensPerSecond(model, 64, reps, o, rng, size, progress);
            b1 = SampleTokensPerSecond(model, 1, reps, o, rng, size, progress);
        }
        return new EngineBenchmarkResult(size, model.Layout.ParameterCount, MatmulParameters(cfg), trainTps, stepMs, fwdMs, bwdMs, optMs,
            TrainFlopsPerToken(cfg, o.TrainTokens), lossFirst, lossLast, b64, b1, SampleFlopsPerToken(cfg, o.PromptTokens, o.NewTokens), gemm.Name);
    }

    private static double SampleTokensPerSecond(Transformer model, int batch, int reps, EngineBenchmarkOptions o, Rng rng, string size, Action<string>? progress)
    {
        var prompts = new int[batch * o.PromptTokens];
        var outTokens = new int[batch * o.NewTokens];
        var outLp = new float[batch * o.NewTokens];
        var times = new List<double>();
        // warm-up: SampleWarmup calls and at least SampleWarmupSeconds, then `reps` timed calls
        int warmup = o.SampleWarmup;
        long warmStart = Stopwatch.GetTimestamp();
        for (int r = 0; r < warmup + reps; r++)
        {
            if (r == warmup - 1 && Stopwatch.GetElapsedTime(warmStart).TotalSeconds < o.SampleWarmupSeconds) warmup++;
            for (int i = 0; i < prompts.Length; i++) prompts[i] = rng.NextInt(model.Config.VocabSize);
            long t0 = Stopwatch.GetTimestamp();
            // one call = cache allocation + prefill + first sample + NewTokens − 1 decode steps (anchor protocol)
            using (var cache = new KvCache(model.Config, batch, o.PromptTokens + o.NewTokens))
                Generator.Generate(model, cache, prompts, o.PromptTokens, o.NewTokens, o.Temperature, rng, outTokens, outLp);
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (r >= warmup) times.Add(ms);
            progress?.Invoke($"{size} sample B={batch} {(r < warmup ? "warm-up" : "rep")} {r + 1}/{warmup + reps}: {ms:F0} ms");
        }
        return batch * o.NewTokens / (Median(times) / 1000.0);
    }

    /// <summary>Median of the timed repetitions (NaN when there are none); shared by the benchmarks.</summary>
    internal static double Median(List<double> xs)
    {
        if (xs.Count == 0) return double.NaN;
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}

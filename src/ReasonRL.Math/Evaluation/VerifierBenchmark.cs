// VerifierBenchmark: single-thread throughput of MathVerifier.Verify on a fixed list of pairs —
// the library side of `reasonrl bench verify`. Pairs are shuffled with a fixed seed, one full
// warm-up pass runs first (JIT, tiered compilation), then timed passes until the minimum time
// has passed. Reports pairs/s over wall time and per-call latency percentiles.
// Not a correctness check (VerifierEvaluation is).
using System.Diagnostics;

namespace ReasonRL.Math.Evaluation;

/// <summary>Benchmark figures.</summary>
public sealed record BenchmarkResult(int Pairs, int Calls, double Seconds, double PairsPerSecond,
    double P50Ms, double P90Ms, double P99Ms, double MaxMs, int WarmupPasses);

public static class VerifierBenchmark
{
    /// <summary>Runs warm-up then timed passes over <paramref name="cases"/> for at least
    /// <paramref name="minSeconds"/> (and at least one pass).</summary>
    public static BenchmarkResult Run(IReadOnlyList<LabelledCase> cases, VerifyOptions options, double minSeconds = 3, int seed = 1234, int warmupPasses = 2)
    {
        var pairs = cases.ToArray();
        new Random(seed).Shuffle(pairs);
        for (int w = 0; w < warmupPasses; w++)
            foreach (var c in pairs) MathVerifier.Verify(c.Prediction, c.Gold, options);
        var latencies = new List<double>();
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        do
        {
            foreach (var c in pairs)
            {
                long t0 = Stopwatch.GetTimestamp();
                MathVerifier.Verify(c.Prediction, c.Gold, options);
                latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                calls++;
            }
        }
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < minSeconds);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        latencies.Sort();
        return new BenchmarkResult(pairs.Length, calls, seconds, calls / seconds,
            VerifierEvaluation.Percentile(latencies, 0.50), VerifierEvaluation.Percentile(latencies, 0.90),
            VerifierEvaluation.Percentile(latencies, 0.99), latencies[^1], warmupPasses);
    }
}

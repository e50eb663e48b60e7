// VerifierBenchmark: single-thread throughput of MathVerifier.Verify on a fixed list of pairs —
// the library side of `reasonrl bench verify`. Pairs are shuffled with a fixed seed, one full
// warm-up pass runs first (JIT, tiered compilation), then timed passes until the minimum time
// has passed. Reports pairs/s over wall time and per-call latency percentiles.
// Not a correctness check (VerifierEvaluation is).
using ReasonRL.Verifier;
using ReasonRL.Verifier.Evaluation;
using System.Diagnostics;

namespace ReasonRL.Benchmarks;

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

/// <summary>Latency and work of the verifier on the adversarial FuzzCorpus. MaxWork: most steps one call
/// charged; SlowestWork: steps charged by the slowest call; MaxWorkMs: the time of the call that charged MaxWork; WorkExhausted / BackstopHits: calls stopped
/// by the work budget / by the wall-clock hang guard.</summary>
public sealed record FuzzLatencyResult(int Calls, int Correct, int Incorrect, int Unverifiable, double P50Ms, double P99Ms, double MaxMs,
    long MaxWork = 0, long SlowestWork = 0, int WorkExhausted = 0, int BackstopHits = 0, double MaxWorkMs = 0);

public static class FuzzLatency
{
    /// <summary>Runs <paramref name="count"/> fuzz pairs (after the process warm-up) and reports latency and verdicts.</summary>
    public static FuzzLatencyResult Run(int count, int seed, VerifyOptions options)
    {
        var rng = new Random(seed);
        var latencies = new List<double>(count);
        int correct = 0, incorrect = 0, unverifiable = 0, exhausted = 0, backstop = 0;
        long maxWork = 0, slowestWork = 0;
        double maxWorkMs = 0;
        double slowest = -1;
        MathVerifier.Verify("1", "1", options);
        for (int n = 0; n < count; n++)
        {
            var (pred, gold) = FuzzCorpus.Pair(rng);
            var r = MathVerifier.Verify(pred, gold, options);
            latencies.Add(r.Elapsed.TotalMilliseconds);
            if (r.WorkSpent > maxWork) (maxWork, maxWorkMs) = (r.WorkSpent, r.Elapsed.TotalMilliseconds);
            if (r.Elapsed.TotalMilliseconds > slowest) (slowest, slowestWork) = (r.Elapsed.TotalMilliseconds, r.WorkSpent);
            if (r.Reason?.StartsWith("work budget exceeded", StringComparison.Ordinal) == true) exhausted++;
            if (r.Reason?.StartsWith("time backstop exceeded", StringComparison.Ordinal) == true) backstop++;
            switch (r.Verdict)
            {
                case Verdict.Correct: correct++; break;
                case Verdict.Incorrect: incorrect++; break;
                default: unverifiable++; break;
            }
        }
        latencies.Sort();
        return new FuzzLatencyResult(count, correct, incorrect, unverifiable,
            VerifierEvaluation.Percentile(latencies, 0.5), VerifierEvaluation.Percentile(latencies, 0.99),
            latencies.Count > 0 ? latencies[^1] : 0, maxWork, slowestWork, exhausted, backstop, maxWorkMs);
    }
}

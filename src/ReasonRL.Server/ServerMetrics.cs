// ServerMetrics: counters behind GET /metrics — requests per endpoint, responses per status code,
// samples, per-sample errors, verdict counts, and latency percentiles over the last 8192 requests.
// Thread-safe (Interlocked counters; one lock for the latency ring). Not a Prometheus exporter.
using System.Collections.Concurrent;
using ReasonRL.Rewards.Sources;

namespace ReasonRL.Server;

public sealed class ServerMetrics
{
    private const int Ring = 8192;
    private readonly ConcurrentDictionary<string, long> requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> responses = new(StringComparer.Ordinal);
    private readonly long[] verdicts = new long[3];
    private readonly double[] latencies = new double[Ring];
    private readonly Lock latencyLock = new();
    private long latencyCount;
    private long samples;
    private long sampleErrors;

    public void Request(string endpoint) => requests.AddOrUpdate(endpoint, 1, (_, n) => n + 1);

    public void Response(int status, double milliseconds)
    {
        responses.AddOrUpdate(status.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
        lock (latencyLock)
        {
            latencies[latencyCount % Ring] = milliseconds;
            latencyCount++;
        }
    }

    public void Sample(ServiceResult result)
    {
        Interlocked.Increment(ref samples);
        if (result.Diagnostics is null)
        {
            Interlocked.Increment(ref sampleErrors);
            return;
        }
        if (result.Diagnostics.Verdict is { } v) Interlocked.Increment(ref verdicts[(int)v.Verdict]);
    }

    public MetricsOut Snapshot(BatchingRewardSource? batcher)
    {
        double[] window;
        lock (latencyLock)
        {
            window = latencies.AsSpan(0, (int)Math.Min(latencyCount, Ring)).ToArray();
        }
        Array.Sort(window);
        return new MetricsOut(
            new SortedDictionary<string, long>(requests, StringComparer.Ordinal),
            new SortedDictionary<string, long>(responses, StringComparer.Ordinal),
            Interlocked.Read(ref samples),
            Interlocked.Read(ref sampleErrors),
            new SortedDictionary<string, long>(StringComparer.Ordinal)
            {
                [SuccessVerdicts.NameOf(SuccessVerdict.Correct)] = Interlocked.Read(ref verdicts[0]),
                [SuccessVerdicts.NameOf(SuccessVerdict.Incorrect)] = Interlocked.Read(ref verdicts[1]),
                [SuccessVerdicts.NameOf(SuccessVerdict.Unverifiable)] = Interlocked.Read(ref verdicts[2]),
            },
            Percentile(window, 0.50),
            Percentile(window, 0.99),
            window.Length == 0 ? 0 : window[^1],
            batcher?.Batches ?? 0,
            batcher?.BatchedSamples ?? 0);
    }

    /// <summary>Nearest-rank percentile of sorted values; 0 when empty.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

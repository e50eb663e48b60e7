// ServerMetrics: the counters behind GET /metrics, written in the Prometheus text exposition format
// (version 0.0.4) that every scraper reads: requests and responses by path and code, a request-latency
// histogram per path, samples, verdicts, per-sample errors and request errors by kind, retries that joined
// work already running or done, and gauges (admitted samples, verifier queue, resident memory).
// Thread-safe (Interlocked / ConcurrentDictionary; histogram buckets are Interlocked longs).
using ReasonRL.Rewards.Sources;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace ReasonRL.Server;

public sealed class ServerMetrics
{
    /// <summary>Latency bucket upper bounds in seconds (the last, +Inf, is implicit).</summary>
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180];

    private sealed class Histogram
    {
        public readonly long[] Counts = new long[Buckets.Length + 1];
        public long SumMicros;
    }

    private readonly ConcurrentDictionary<string, long> requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Path, int Code), long> responses = new();
    private readonly ConcurrentDictionary<string, Histogram> latency = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> sampleErrors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> requestErrors = new(StringComparer.Ordinal);
    private readonly long[] verdicts = new long[3];
    private readonly ConcurrentDictionary<int, long> maxMicrosByCode = new();
    private readonly ConcurrentDictionary<string, long> maxMicrosByKind = new(StringComparer.Ordinal);
    private long samples;
    private long retryJoins;
    private long refusedUnread;
    private long refusedAfterHead;
    private long refusedAtAccept;

    /// <summary>Only the endpoints are labelled by path; anything else is "other" (keeps label sets bounded).</summary>
    public static string PathLabel(string path) => path is "/get_reward" or "/v1/rewards" or "/health" or "/metrics" ? path : "other";

    public void Request(string path) => requests.AddOrUpdate(PathLabel(path), 1, (_, n) => n + 1);

    public void Response(string path, int status, double seconds)
    {
        var label = PathLabel(path);
        responses.AddOrUpdate((label, status), 1, (_, n) => n + 1);
        var h = latency.GetOrAdd(label, _ => new Histogram());
        var b = 0;
        while (b < Buckets.Length && seconds > Buckets[b]) b++;
        Interlocked.Increment(ref h.Counts[b]);
        Interlocked.Add(ref h.SumMicros, (long)(seconds * 1e6));
        var micros = (long)(seconds * 1e6);
        maxMicrosByCode.AddOrUpdate(status, micros, (_, m) => Math.Max(m, micros));
    }

    /// <summary>The slowest response with this status code, in seconds, as the server measured it (0 when none).</summary>
    public double MaxSecondsFor(int status) => maxMicrosByCode.TryGetValue(status, out var m) ? m / 1e6 : 0;

    public void Sample(ServiceResult result)
    {
        Interlocked.Increment(ref samples);
        if (result.Diagnostics is null)
        {
            SampleError(result.ErrorKind ?? "scoring");
            return;
        }
        if (result.Diagnostics.Verdict is { } v) Interlocked.Increment(ref verdicts[(int)v.Verdict]);
    }

    /// <summary>A sample that could not be scored, by kind (prompt_not_found, step_split, scoring, model, ...).</summary>
    public void SampleError(string kind) => sampleErrors.AddOrUpdate(kind, 1, (_, n) => n + 1);

    /// <summary>A request that failed as a whole, by kind (bad_request, too_large, overloaded, timeout, internal, ...).</summary>
    /// <summary>Counts a failed request by kind; <paramref name="seconds"/> (its time to answer) feeds <see cref="MaxSecondsForKind"/>.</summary>
    public void RequestError(string kind, double seconds = 0)
    {
        requestErrors.AddOrUpdate(kind, 1, (_, n) => n + 1);
        var micros = (long)(seconds * 1e6);
        maxMicrosByKind.AddOrUpdate(kind, micros, (_, m) => Math.Max(m, micros));
    }

    /// <summary>The slowest failed request of this kind (e.g. "overloaded", "timeout"), in seconds, as the server measured it (0 when none).</summary>
    public double MaxSecondsForKind(string kind) => maxMicrosByKind.TryGetValue(kind, out var m) ? m / 1e6 : 0;

    public void RetryJoined() => Interlocked.Increment(ref retryJoins);

    /// <summary>A request refused (503 overloaded) on its headers alone: its body was not read.</summary>
    public void RefusedUnread() => Interlocked.Increment(ref refusedUnread);

    /// <summary>A request refused as overloaded after only the first bytes of its body were read.</summary>
    public void RefusedAfterHead() => Interlocked.Increment(ref refusedAfterHead);

    /// <summary>A request refused by the front door, on the bytes received before its connection reached Kestrel.</summary>
    public void RefusedAtAccept() => Interlocked.Increment(ref refusedAtAccept);

    /// <summary>Requests the front door refused (FrontDoor).</summary>
    public long RefusalsAtAccept => Interlocked.Read(ref refusedAtAccept);

    /// <summary>Requests refused on their headers alone, their bodies unread.</summary>
    public long RefusalsUnread => Interlocked.Read(ref refusedUnread);

    public long Samples => Interlocked.Read(ref samples);

    public long SampleErrors => sampleErrors.Values.Sum();

    public long Verdicts(SuccessVerdict verdict) => Interlocked.Read(ref verdicts[(int)verdict]);

    /// <summary>Nearest-rank percentile of sorted values; 0 when empty.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    public long ResponsesWith(int code) => responses.Where(kv => kv.Key.Code == code).Sum(kv => kv.Value);

    /// <summary>The exposition text; gauges are read now from the given sources.</summary>
    public string Render(long admittedSamples, long verifierQueue, BatchingRewardSource? batcher)
    {
        var o = new StringBuilder();
        Family(o, "reasonrl_requests_total", "counter", "HTTP requests received, by path.",
            requests.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => ($"path=\"{kv.Key}\"", (double)kv.Value)));
        Family(o, "reasonrl_responses_total", "counter", "HTTP responses sent, by path and status code.",
            responses.OrderBy(kv => kv.Key.Path, StringComparer.Ordinal).ThenBy(kv => kv.Key.Code)
                .Select(kv => ($"path=\"{kv.Key.Path}\",code=\"{kv.Key.Code.ToString(CultureInfo.InvariantCulture)}\"", (double)kv.Value)));
        o.Append("# HELP reasonrl_request_duration_seconds Request latency, by path.\n# TYPE reasonrl_request_duration_seconds histogram\n");
        foreach (var (path, h) in latency.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            long cumulative = 0;
            for (var b = 0; b <= Buckets.Length; b++)
            {
                cumulative += Interlocked.Read(ref h.Counts[b]);
                var le = b < Buckets.Length ? Num(Buckets[b]) : "+Inf";
                o.Append(CultureInfo.InvariantCulture, $"reasonrl_request_duration_seconds_bucket{{path=\"{path}\",le=\"{le}\"}} {cumulative}\n");
            }
            o.Append(CultureInfo.InvariantCulture, $"reasonrl_request_duration_seconds_sum{{path=\"{path}\"}} {Num(Interlocked.Read(ref h.SumMicros) / 1e6)}\n");
            o.Append(CultureInfo.InvariantCulture, $"reasonrl_request_duration_seconds_count{{path=\"{path}\"}} {cumulative}\n");
        }
        Family(o, "reasonrl_samples_total", "counter", "Samples scored or failed.", [("", Samples)]);
        Family(o, "reasonrl_verdicts_total", "counter", "Verifier verdicts of scored samples.",
            new[] { SuccessVerdict.Correct, SuccessVerdict.Incorrect, SuccessVerdict.Unverifiable }.Select(v =>
                ($"verdict=\"{SuccessVerdicts.NameOf(v)}\"", (double)Interlocked.Read(ref verdicts[(int)v]))));
        Family(o, "reasonrl_sample_errors_total", "counter", "Samples that could not be scored, by kind.",
            sampleErrors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => ($"kind=\"{kv.Key}\"", (double)kv.Value)));
        Family(o, "reasonrl_request_errors_total", "counter", "Requests that failed as a whole, by kind.",
            requestErrors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => ($"kind=\"{kv.Key}\"", (double)kv.Value)));
        Family(o, "reasonrl_retry_joins_total", "counter", "Requests whose identical body was already being scored or was just answered (no work redone).",
            [("", Interlocked.Read(ref retryJoins))]);
        Family(o, "reasonrl_refused_unread_total", "counter", "Requests refused as overloaded on their headers alone (body not read, connection closed).",
            [("", RefusalsUnread)]);
        Family(o, "reasonrl_refused_after_head_total", "counter", "Requests refused as overloaded after reading only the first bytes of their body (its length was held work's, its start was not; the rest not hashed or parsed).",
            [("", Interlocked.Read(ref refusedAfterHead))]);
        Family(o, "reasonrl_refused_at_accept_total", "counter", "Requests refused as overloaded by the front door, on the bytes received when their connection was accepted (counted in the two above too).",
            [("", RefusalsAtAccept)]);
        Family(o, "reasonrl_model_batches_total", "counter", "Coalesced step-model calls.", [("", batcher?.Batches ?? 0)]);
        Family(o, "reasonrl_model_batched_samples_total", "counter", "Samples carried by coalesced step-model calls.", [("", batcher?.BatchedSamples ?? 0)]);
        Family(o, "reasonrl_admitted_samples", "gauge", "Samples of admitted requests not yet answered (queued or being scored).", [("", admittedSamples)]);
        Family(o, "reasonrl_verifier_queue", "gauge", "Per-sample verifier work items waiting for a verifier thread.", [("", verifierQueue)]);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        Family(o, "process_resident_memory_bytes", "gauge", "Resident memory of the server process.", [("", process.WorkingSet64)]);
        return o.ToString();
    }

    private static void Family(StringBuilder o, string name, string type, string help, IEnumerable<(string Labels, double Value)> series)
    {
        o.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
        foreach (var (labels, value) in series)
        {
            o.Append(name);
            if (labels.Length > 0) o.Append('{').Append(labels).Append('}');
            o.Append(' ').Append(Num(value)).Append('\n');
        }
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

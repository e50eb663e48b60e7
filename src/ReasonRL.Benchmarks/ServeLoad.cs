// ServeLoad: `reasonrl bench serve`'s library side — realistic request bodies built from labelled model
// outputs (verifier-eval/real2000.jsonl: model_output, gold) and a bounded closed-loop load generator:
// N clients each POST, wait for the answer, and POST again until the time is up. A request counts as
// an error when the status is not 200 or a native result carries a per-sample error.
// Reports throughput and nearest-rank latency percentiles. Not a server (RewardServer) and not a
// distributed load tool: loopback only.
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ReasonRL.Rewards.Steps;

using ReasonRL.Server;

namespace ReasonRL.Benchmarks;

/// <summary>One prepared request: endpoint path, JSON body, samples it carries.</summary>
public sealed record LoadPayload(string Path, byte[] Body, int Samples);

/// <summary>What a load run measured.</summary>
public sealed record LoadReport(
    long Requests, long Samples, long Errors, string? FirstError, double Seconds, int Clients,
    double P50Ms, double P99Ms, double MaxMs)
{
    public double RequestsPerSecond => Requests / Seconds;

    public double SamplesPerSecond => Samples / Seconds;
}

public static class ServeLoad
{
    /// <summary>Request bodies from a JSONL of model_output/gold pairs, <paramref name="perRequest"/> samples each.
    /// Without a splitter: OpenRLHF /get_reward bodies (query = prompt + response, prompts, labels).
    /// With one: native /v1/rewards bodies whose samples carry replayed step_scores (one per step under
    /// that splitter; deterministic pseudo-random values in [0, 1), seed 20251122), as a PRM would give.</summary>
    public static IReadOnlyList<LoadPayload> Build(string jsonlPath, int perRequest, StepSplitter? prmSteps)
    {
        if (perRequest < 1) throw new ArgumentOutOfRangeException(nameof(perRequest), perRequest, "expected ≥ 1");
        var pairs = new List<(string Id, string Response, string Gold)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(jsonlPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            string Field(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()!
                : throw new FormatException($"{jsonlPath}:{lineNumber}: field '{name}' missing or not a string");
            pairs.Add((root.TryGetProperty("id", out var id) ? id.ToString() : lineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), Field("model_output"), Field("gold")));
        }
        if (pairs.Count == 0) throw new FormatException($"{jsonlPath}: no pairs");
        var random = new Random(20251122);
        var payloads = new List<LoadPayload>();
        for (var start = 0; start + perRequest <= pairs.Count; start += perRequest)
        {
            var group = pairs.GetRange(start, perRequest);
            var prompts = group.Select(p => $"Problem {p.Id}: solve it and put the final answer in \\boxed{{}}.\n").ToArray();
            if (prmSteps is null)
            {
                var body = new OpenRlhfIn(group.Select((p, i) => prompts[i] + p.Response).ToArray(), prompts, group.Select(p => (string?)p.Gold).ToArray());
                payloads.Add(new LoadPayload("/get_reward", JsonSerializer.SerializeToUtf8Bytes(body, ServerJson.Default.OpenRlhfIn), perRequest));
            }
            else
            {
                var samples = group.Select((p, i) => (NativeSampleIn?)new NativeSampleIn(prompts[i], p.Response, p.Gold,
                    prmSteps.Split(p.Response).Select(_ => random.NextDouble()).ToArray(), null, null)).ToArray();
                payloads.Add(new LoadPayload("/v1/rewards", JsonSerializer.SerializeToUtf8Bytes(new NativeRequestIn(1, samples), ServerJson.Default.NativeRequestIn), perRequest));
            }
        }
        return payloads;
    }

    /// <summary>Runs <paramref name="clients"/> closed-loop clients against <paramref name="baseUrl"/> (loopback only) for <paramref name="duration"/>.</summary>
    public static async Task<LoadReport> RunAsync(Uri baseUrl, IReadOnlyList<LoadPayload> payloads, int clients, TimeSpan duration, string? bearerToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!IPAddress.TryParse(baseUrl.Host.Trim('[', ']'), out var ip) || !IPAddress.IsLoopback(ip))
        {
            throw new ArgumentException($"url: '{baseUrl}' is not a loopback address; bench serve only loads 127.0.0.1 / [::1]");
        }
        if (payloads.Count == 0) throw new ArgumentException("no payloads");
        if (clients < 1) throw new ArgumentOutOfRangeException(nameof(clients), clients, "expected ≥ 1");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { Timeout = TimeSpan.FromSeconds(60) };
        if (bearerToken is not null) http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        var latencies = new List<double>[clients];
        long requests = 0, samples = 0, errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(4096);
            for (var i = c; clock.Elapsed < duration && !cancellationToken.IsCancellationRequested; i += clients)
            {
                var payload = payloads[i % payloads.Count];
                var started = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    using var content = new ByteArrayContent(payload.Body);
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    using var response = await http.PostAsync(new Uri(baseUrl, payload.Path), content, cancellationToken).ConfigureAwait(false);
                    var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    error = response.StatusCode != HttpStatusCode.OK ? $"HTTP {(int)response.StatusCode}: {Truncate(text)}"
                        : payload.Path == "/v1/rewards" && text.Contains("\"error\":\"", StringComparison.Ordinal) ? $"per-sample error: {Truncate(text)}"
                        : null;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    error = $"{e.GetType().Name}: {e.Message}";
                }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref requests);
                if (error is null) Interlocked.Add(ref samples, payload.Samples);
                else
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadReport(requests, samples, errors, firstError, seconds, clients,
            ServerMetrics.Percentile(all, 0.50), ServerMetrics.Percentile(all, 0.99), all.Length == 0 ? 0 : all[^1]);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

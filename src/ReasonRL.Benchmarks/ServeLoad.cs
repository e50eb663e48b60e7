// ServeLoad: `reasonrl bench serve`'s library side — realistic request bodies built from labelled model
// outputs (verifier-eval/real2000.jsonl: model_output, gold) and a bounded closed-loop load generator:
// N clients each POST, wait for the answer, and POST again until the time is up. A request counts as
// an error when the status is not 200 or a native result carries a per-sample error.
// Reports throughput and nearest-rank latency percentiles. Not a server (RewardServer) and not a
// distributed load tool: loopback only.
using ReasonRL.Rewards.Steps;
using ReasonRL.Server;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace ReasonRL.Benchmarks;

/// <summary>One prepared request: endpoint path, JSON body, samples it carries.</summary>
public sealed record LoadPayload(string Path, byte[] Body, int Samples)
{
    /// <summary>The JSON text that starts an OpenRLHF-shaped body: a 12-digit "nonce" the server ignores.</summary>
    public const string NoncePrefix = "{\"nonce\":\"";

    /// <summary>A copy whose nonce is <paramref name="nonce"/> (bodies from BuildOpenRlhf only): a distinct body, so the
    /// server's retry join (identical bodies share their work) cannot answer it from another request's work. It ends
    /// with nonce mod 1024 spaces (JSON whitespace), so copies differ in length as real batches do: the server reads the
    /// body of a request it would refuse only when held work has a body of the same length (a possible retry).</summary>
    public LoadPayload WithNonce(long nonce)
    {
        var pieces = NonceSegments(nonce);
        var copy = new byte[pieces.Sum(p => p.Length)];
        var at = 0;
        foreach (var piece in pieces)
        {
            piece.Span.CopyTo(copy.AsSpan(at));
            at += piece.Length;
        }
        return this with { Body = copy };
    }

    private static readonly byte[] Spaces = System.Text.Encoding.ASCII.GetBytes(new string(' ', 1024));

    /// <summary>The body of <see cref="WithNonce"/>(<paramref name="nonce"/>) as three pieces sent one after another,
    /// without copying this body: its start with the nonce's 12 digits, the rest of this body, nonce mod 1024 spaces.</summary>
    public ReadOnlyMemory<byte>[] NonceSegments(long nonce)
    {
        var head = NoncePrefix.Length + 12;
        if (Body.Length < head || System.Text.Encoding.ASCII.GetString(Body, 0, NoncePrefix.Length) != NoncePrefix)
        {
            throw new InvalidOperationException("this payload has no nonce (only BuildOpenRlhf bodies have one)");
        }
        var start = Body.AsSpan(0, head).ToArray();
        var digits = (nonce % 1_000_000_000_000).ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
        System.Text.Encoding.ASCII.GetBytes(digits, start.AsSpan(NoncePrefix.Length, 12));
        return [start, Body.AsMemory(head), Spaces.AsMemory(0, (int)(nonce % 1024))];
    }
}

/// <summary>What an overload run measured: batches offered open-loop, each sent with OpenRLHF's retry loop. P50/P99/MaxRefusalMs:
/// the client-side latency of the "503 overloaded" answers (admission refusals; a deadline 503 is counted in Answers, not
/// here), from before the connection is opened to the whole answer read. AnnouncedBytes: the Content-Length of every try;
/// SentBytes: the body bytes the server took before it answered (a refused upload stops part-way). TriesWhileOffered: tries
/// started within OfferedSeconds.</summary>
public sealed record OverloadReport(
    long Batches, long Succeeded, long GaveUp, long Tries, IReadOnlyDictionary<string, long> Answers,
    double MaxRefusalMs, double P99RefusalMs, double MaxAdmittedSamples, double MaxRssBytes, double OfferedSeconds, double DrainSeconds, double IdleAfterSeconds,
    string? FirstTransportError = null, double P50RefusalMs = 0, long AnnouncedBytes = 0, long SentBytes = 0, long TriesWhileOffered = 0);

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
        var pairs = ReadPairs(jsonlPath);
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

    /// <summary>The pad and EOS tokens OpenRLHF's decode leaves in Qwen queries (pass them as the server's strip tokens).</summary>
    public static readonly string[] QwenStripTokens = ["<|endoftext|>", "<|im_end|>"];

    /// <summary>OpenRLHF-shaped /get_reward bodies, as its experience maker sends them to one server per step:
    /// <paramref name="count"/> bodies of <paramref name="batch"/> samples; each query is left pads (0–31
    /// "&lt;|endoftext|&gt;", as a left-padded batch decode gives), a Qwen chat-templated prompt, a chain-of-thought
    /// response of at least <paramref name="minResponseChars"/> characters and "&lt;|im_end|&gt;"; labels are JSON numbers
    /// where the gold is a plain number (as a JSON dataset's label key can hold), else strings. The response is
    /// the pair's model output, preceded — when shorter than the minimum — by other outputs' lines with their
    /// \boxed removed (earlier reasoning; the final answer and so the verdict stay the pair's). Every body is
    /// distinct (batch number in the prompt) and starts with a "nonce" field the server ignores (LoadPayload.WithNonce).
    /// Deterministic (seed 20251122).</summary>
    public static IReadOnlyList<LoadPayload> BuildOpenRlhf(string jsonlPath, int batch, int count, int minResponseChars = 1100)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "expected ≥ 1");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "expected ≥ 1");
        var pairs = ReadPairs(jsonlPath);
        var random = new Random(20251122);
        var payloads = new List<LoadPayload>(count);
        for (var b = 0; b < count; b++)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                var queries = new string[batch];
                var prompts = new string[batch];
                var golds = new string[batch];
                for (var i = 0; i < batch; i++)
                {
                    var p = pairs[(b * batch + i) % pairs.Count];
                    prompts[i] = $"<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{{}}.<|im_end|>\n" +
                        $"<|im_start|>user\nProblem {p.Id} (batch {b}): solve the problem.<|im_end|>\n<|im_start|>assistant\n";
                    var response = new System.Text.StringBuilder();
                    while (response.Length + p.Response.Length < minResponseChars)
                    {
                        var other = pairs[random.Next(pairs.Count)].Response.Replace("\\boxed", "so", StringComparison.Ordinal);
                        response.Append(other.AsSpan(0, Math.Min(other.Length, minResponseChars - response.Length - p.Response.Length + 1))).Append('\n');
                    }
                    response.Append(p.Response);
                    queries[i] = string.Concat(Enumerable.Repeat(QwenStripTokens[0], random.Next(32))) + prompts[i] + response + QwenStripTokens[1];
                    golds[i] = p.Gold;
                }
                json.WriteStartObject();
                json.WriteString("nonce", "000000000000");
                json.WriteStartArray("query");
                foreach (var q in queries) json.WriteStringValue(q);
                json.WriteEndArray();
                json.WriteStartArray("prompts");
                foreach (var q in prompts) json.WriteStringValue(q);
                json.WriteEndArray();
                json.WriteStartArray("labels");
                foreach (var g in golds)
                {
                    if (System.Text.RegularExpressions.Regex.IsMatch(g, "^-?(0|[1-9][0-9]{0,14})(\\.[0-9]+)?$")) json.WriteRawValue(g);
                    else json.WriteStringValue(g);
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            payloads.Add(new LoadPayload("/get_reward", stream.ToArray(), batch));
        }
        return payloads;
    }

    private static List<(string Id, string Response, string Gold)> ReadPairs(string jsonlPath)
    {
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
        return pairs;
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

    /// <summary>Open-loop overload with OpenRLHF's client behaviour: every 1/<paramref name="batchesPerSecond"/> s
    /// for <paramref name="duration"/> a new "trainer" sends the next payload, and on any non-200 answer or
    /// transport error sleeps <paramref name="retrySleep"/> and tries again, <paramref name="tries"/> times in
    /// all, then gives up. <paramref name="probe"/> (server gauges: admitted samples, resident bytes) is read every
    /// 50 ms. Each trainer's body is made distinct with its nonce (LoadPayload.NonceSegments: the shared body is sent as it
    /// is, no copy per trainer or try). Each try is OpenRLHF's requests.post: a new connection, the whole body sent before
    /// the answer is read, a reset while sending ignored (RawHttpPost). The run ends when every trainer has finished, and
    /// then waits (up to <paramref name="idleWait"/>) for the probe's admitted samples to reach 0. Answers are counted as
    /// "200", "503 overloaded", "503 deadline", "503 other", "HTTP n" or the exception name.</summary>
    public static async Task<OverloadReport> RunOverloadAsync(Uri baseUrl, IReadOnlyList<LoadPayload> payloads, double batchesPerSecond, TimeSpan duration,
        Func<(double Admitted, double Rss)> probe, int tries = 5, TimeSpan retrySleep = default, TimeSpan clientTimeout = default, TimeSpan idleWait = default)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(probe);
        if (!IPAddress.TryParse(baseUrl.Host.Trim('[', ']'), out var ip) || !IPAddress.IsLoopback(ip))
        {
            throw new ArgumentException($"url: '{baseUrl}' is not a loopback address; bench serve only loads 127.0.0.1 / [::1]");
        }
        if (payloads.Count == 0) throw new ArgumentException("no payloads");
        if (!(batchesPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(batchesPerSecond), batchesPerSecond, "expected > 0");
        retrySleep = retrySleep == default ? TimeSpan.FromSeconds(1) : retrySleep;
        clientTimeout = clientTimeout == default ? TimeSpan.FromSeconds(180) : clientTimeout;
        idleWait = idleWait == default ? TimeSpan.FromSeconds(60) : idleWait;
        var endpoint = new IPEndPoint(ip, baseUrl.Port);
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var refusals = new System.Collections.Concurrent.ConcurrentBag<double>();
        string? firstTransportError = null;
        long succeeded = 0, gaveUp = 0, triesMade = 0, announced = 0, sent = 0, triesWhileOffered = 0;
        var offering = 1;
        double maxAdmitted = 0, maxRss = 0;
        using var stopProbe = new CancellationTokenSource();
        var prober = Task.Run(async () =>
        {
            while (!stopProbe.IsCancellationRequested)
            {
                var (admitted, rss) = probe();
                maxAdmitted = Math.Max(maxAdmitted, admitted);
                maxRss = Math.Max(maxRss, rss);
                try { await Task.Delay(50, stopProbe.Token).ConfigureAwait(false); } catch (OperationCanceledException) { break; }
            }
        });
        async Task Trainer(int k)
        {
            // the same pieces for every try (OpenRLHF resends its batch); only the 24-byte start is this trainer's own
            var payload = payloads[k % payloads.Count];
            var body = payload.NonceSegments(k);
            var length = body.Sum(p => (long)p.Length);
            for (var attempt = 0; attempt < tries; attempt++)
            {
                if (attempt > 0) await Task.Delay(retrySleep).ConfigureAwait(false);
                Interlocked.Increment(ref triesMade);
                if (Volatile.Read(ref offering) == 1) Interlocked.Increment(ref triesWhileOffered);
                Interlocked.Add(ref announced, length);
                var started = Stopwatch.GetTimestamp();
                string answer;
                try
                {
                    using var timeout = new CancellationTokenSource(clientTimeout);
                    var r = await RawHttpPost.PostAsync(endpoint, payload.Path, body, timeout.Token).ConfigureAwait(false);
                    Interlocked.Add(ref sent, r.BodyBytesSent);
                    answer = r.Status switch
                    {
                        200 => "200",
                        503 => r.Body.Contains("overloaded", StringComparison.Ordinal) ? "503 overloaded"
                            : r.Body.Contains("deadline", StringComparison.Ordinal) ? "503 deadline" : "503 other",
                        _ => $"HTTP {r.Status}",
                    };
                    if (answer == "503 overloaded") refusals.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    answer = e.GetType().Name;
                    Interlocked.CompareExchange(ref firstTransportError, $"{e.GetType().Name}: {e.Message}", null);
                }
                answers.AddOrUpdate(answer, 1, (_, n) => n + 1);
                if (answer == "200")
                {
                    Interlocked.Increment(ref succeeded);
                    return;
                }
            }
            Interlocked.Increment(ref gaveUp);
        }
        var trainers = new List<Task>();
        var clock = Stopwatch.StartNew();
        var period = TimeSpan.FromSeconds(1 / batchesPerSecond);
        for (var k = 0; clock.Elapsed < duration; k++)
        {
            var due = period * k;
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed).ConfigureAwait(false);
            // a distinct body per trainer (the same one for its retries, as OpenRLHF resends its batch)
            trainers.Add(Trainer(k));
        }
        var offered = clock.Elapsed.TotalSeconds;
        Volatile.Write(ref offering, 0);
        await Task.WhenAll(trainers).ConfigureAwait(false);
        var drained = clock.Elapsed.TotalSeconds;
        while (probe().Admitted > 0 && clock.Elapsed.TotalSeconds - drained < idleWait.TotalSeconds) await Task.Delay(20).ConfigureAwait(false);
        var idle = clock.Elapsed.TotalSeconds - drained;
        await stopProbe.CancelAsync().ConfigureAwait(false);
        await prober.ConfigureAwait(false);
        var waits = refusals.ToArray();
        Array.Sort(waits);
        return new OverloadReport(trainers.Count, succeeded, gaveUp, triesMade, new SortedDictionary<string, long>(answers, StringComparer.Ordinal),
            waits.Length == 0 ? 0 : waits[^1], ServerMetrics.Percentile(waits, 0.99), maxAdmitted, maxRss, offered, drained - offered, idle, firstTransportError,
            ServerMetrics.Percentile(waits, 0.50), announced, sent, triesWhileOffered);
    }

    /// <summary>One POST of <paramref name="payload"/>; its HTTP status (loopback only).</summary>
    public static async Task<int> PostOnceAsync(Uri baseUrl, LoadPayload payload)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(payload);
        if (!IPAddress.TryParse(baseUrl.Host.Trim('[', ']'), out var ip) || !IPAddress.IsLoopback(ip))
        {
            throw new ArgumentException($"url: '{baseUrl}' is not a loopback address; bench serve only loads 127.0.0.1 / [::1]");
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(180) };
        using var content = new ByteArrayContent(payload.Body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri(baseUrl, payload.Path), content).ConfigureAwait(false);
        return (int)response.StatusCode;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

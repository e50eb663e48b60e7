// RewardServer: the reward layer as an HTTP service on Kestrel (minimal APIs, slim builder), bound to
// loopback only. Endpoints:
//   POST /get_reward  OpenRLHF's remote reward protocol as OpenRLHF really sends it: {query[], prompts[],
//                     labels[]} → {rewards[], scores[], extra_logs{success, learned_return, steps, errors}}.
//                     Queries are stripped of pad/EOS tokens and the prompt is located (OpenRlhfQueries);
//                     labels may be numbers; an unscorable sample fails the request (4xx) unless --on-error
//                     gives it a fixed reward (then it is listed in extra_logs.errors).
//   POST /v1/rewards  ReasonRL native v1 (RemoteProtocolMessages.cs), samples may carry step_scores/orm_score
//                     and response_ids (→ token_rewards, TokenRewards.cs).
//   GET  /health (liveness, no paths), GET /metrics (Prometheus text format, ServerMetrics).
// Overload: admission control comes before any work (Admission). A request the backlog cannot take (queue full,
// or its deadline cannot be met at the measured throughput) gets an immediate 503 (Retry-After, Connection: close)
// before its body is read, unless held work has a body of its very length and start (then it may be a retry). When its
// head is in by the time its connection is accepted, the front door (FrontDoor, Triage) refuses it on its own thread,
// before Kestrel sees the connection; else Kestrel reads its head, buffers at most RequestBufferBytes of its body and
// closes the connection after the answer (at once, without draining the body, when its first bytes were read). Else it reserves
// the samples its Content-Length suggests until it is admitted, and its body is read and hashed; it joins
// identical work already running or answered (RequestWork: retries never double the work); else its structure is
// parsed, checked against --max-samples-per-request (413) and admitted with its sample count (else an immediate 503),
// waits for a request slot and is scored with its per-sample work (decoding, prompt location, verification, shaping)
// spread over the VerifierPool. Past its deadline it gets 503; its work is cancelled when no
// retry joins within the retry window. SIGTERM: abandoned work is cancelled at once, the rest after
// --shutdown-seconds × 0.8, so the process exits within --shutdown-seconds.
// Connections: the front door listens with a backlog of 4096 (OpenRLHF opens a connection per try) and hands every
// connection it does not refuse to Kestrel's socket transport; the verifier threads run niced (VerifierPool.Nice).
// Protection: optional bearer token compared in constant time (all but /health), body limit (413),
// malformed JSON / wrong types / missing fields → 400 with a message; an unexpected exception → 500 with its
// kind, logged and counted. Stateless: replicas behind any load balancer give the same answers.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReasonRL.Rewards.Sources;
using ReasonRL.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ReasonRL.Server;

public sealed class RewardServer : IAsyncDisposable
{
    private const string ItemSamples = "reasonrl.samples";
    private const string ItemKind = "reasonrl.kind";
    private const string ItemMessage = "reasonrl.message";
    private const string ItemAccepted = FrontDoor.AcceptedItem;
    private const string ItemCloseNow = "reasonrl.close-now";

    /// <summary>Kestrel's per-connection request buffer (its MaxRequestBufferSize; default 1 MiB): how much of a body it
    /// reads ahead of the endpoint. Of a request refused before its body is read, at most this much is read into the
    /// server (the rest stays in the kernel's socket buffers until the connection closes); with the default 1 MiB,
    /// Kestrel would read most of a 1.2 MB OpenRLHF batch anyway. 64 KiB leaves room for the request headers (32 KiB
    /// limit). Admitted bodies are read through it as they arrive.</summary>
    public const long RequestBufferBytes = 64 * 1024;

    /// <summary>The front door's listen backlog (Kestrel's default is 512; Linux caps it at net.core.somaxconn, 4096 by
    /// default). OpenRLHF's client opens a connection per request and retries a 503 a second later, so an overloaded
    /// server meets hundreds of new connections a second; while the backlog is full the kernel drops them (SYN cookies,
    /// dropped handshakes), and the client sees resets, or connects that wait through SYN retries of 1, 3, 7, 15 s.</summary>
    public const int ListenBacklog = 4096;

    private readonly WebApplication app;
    private readonly RewardService service;
    private readonly VerifierPool pool;
    private readonly BatchingRewardSource? batcher;
    private readonly BatchingRewardSource? outcomeBatcher;
    private ConfiguredRewardModels? ownedModels;
    private readonly SemaphoreSlim requestSlots;
    private readonly Stopwatch uptime = Stopwatch.StartNew();
    private readonly OpenRlhfQueries queries;
    private readonly CancellationTokenSource stopping = new();
    private readonly RequestWork work;
    private readonly byte[]? tokenHash;
    private readonly Admission admission;
    private readonly FrontDoorFactory frontDoor;

    public ServerOptions Options { get; }

    public ServerMetrics Metrics { get; } = new();

    public ServerLog Log { get; }

    /// <summary>The accept backlog the front door listens with (ListenBacklog; for tests).</summary>
    internal int ConfiguredListenBacklog => frontDoor.Backlog;

    /// <summary>Holds (true) or resumes (false) accepting connections (tests: connections then wait in the kernel's accept
    /// queue with their bytes in, as under overload).</summary>
    internal void PauseAccepting(bool paused)
    {
        foreach (var door in frontDoor.Bound) door.Hold(paused);
    }

    /// <summary>The coalescing wrapper around the step model, or null when none is loaded.</summary>
    public BatchingRewardSource? ModelBatcher => batcher;

    /// <summary>The coalescing ORM scorer, when an ORM model is loaded.</summary>
    public BatchingRewardSource? OutcomeBatcher => outcomeBatcher;

    /// <summary>The verifier threads (shared by all requests).</summary>
    public VerifierPool Pool => pool;

    /// <summary>Samples of admitted requests not yet answered (the bounded backlog).</summary>
    public long AdmittedSamples => admission.Admitted;

    /// <summary>Samples reserved by requests whose bodies are being read (estimated from their Content-Length).</summary>
    public long ReservedSamples => admission.Reserved;

    /// <summary>The throughput admission control has measured (samples per second of busy time), or null while unknown.</summary>
    public double? MeasuredSamplesPerSecond => admission.SamplesPerSecond;

    /// <summary>Scoring work held for retries (running, abandoned within the window, or answered).</summary>
    public int HeldWork => work.Count;

    /// <summary>The strings stripped from OpenRLHF queries (tokenizer pad/EOS + --strip-tokens).</summary>
    public IReadOnlyList<string> StripTokens => queries.StripTokens;

    /// <summary>Bound base address, e.g. http://127.0.0.1:41234 (valid after StartAsync).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <param name="options">Listening and protection options (validated here).</param>
    /// <param name="config">Reward config; null = success reward alone with default options.</param>
    /// <param name="judge">Verifier seam.</param>
    /// <param name="stepModel">Batched PRM; calls from concurrent requests are coalesced. null = none loaded
    /// (a shaping config then needs replayed step_scores in each sample).</param>
    /// <param name="logging">Whether Kestrel/ASP.NET log to the console (off for tests and bench).</param>
    /// <param name="outcomeModel">Batched ORM (calls coalesced like the PRM's); null = none loaded (an ORM config then
    /// needs replayed orm_score in each sample).</param>
    /// <param name="log">Where request log lines go (default: stderr), filtered by options.LogLevel.</param>
    /// <param name="modelTokenizers">The served models' tokenizers: when options.TokenizerPath is not given, their pad and
    /// EOS tokens are the ones stripped from OpenRLHF queries (the policy and its PRM share a tokenizer family).</param>
    /// <exception cref="ArgumentException">An option is out of range, or the tokenizer cannot be loaded.</exception>
    public RewardServer(ServerOptions options, Rewards.Offline.RewardConfig? config, SuccessJudge judge, IRewardSource? stepModel = null, bool logging = false,
        IRewardSource? outcomeModel = null, TextWriter? log = null, IReadOnlyList<ITokenizer>? modelTokenizers = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        var address = options.Validate();
        Log = new ServerLog(log ?? Console.Error, options.LogLevel);
        var tokenizer = LoadTokenizer(options.TokenizerPath);
        var strip = new List<string>(options.StripTokens ?? []);
        foreach (var t in tokenizer is not null ? [tokenizer] : modelTokenizers ?? [])
        {
            if (t.PadId is { } pad) strip.Add(t.Decode([pad]));
            foreach (var eos in t.EosIds) strip.Add(t.Decode([eos]));
        }
        queries = new OpenRlhfQueries(strip);
        tokenHash = options.BearerToken is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes("Bearer " + options.BearerToken));
        batcher = stepModel is null ? null : new BatchingRewardSource(stepModel, options.MaxModelBatch, options.EffectiveBatchWindow);
        outcomeBatcher = outcomeModel is null ? null : new BatchingRewardSource(outcomeModel, options.MaxModelBatch, options.EffectiveBatchWindow);
        pool = new VerifierPool(options.EffectiveVerifierThreads);
        service = new RewardService(config ?? RewardService.DefaultConfig, judge, batcher, pool, outcomeBatcher,
            tokenizer is null ? null : new TokenRewards(tokenizer));
        requestSlots = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
        work = new RequestWork(options.EffectiveRetryWindow, stopping.Token);
        admission = new Admission(options.MaxQueuedSamples, options.EffectiveTimeout);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        if (!logging) builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.EffectiveShutdownTimeout);
        // the front door accepts, and answers what admission refuses on the bytes already received, before Kestrel
        frontDoor = new FrontDoorFactory(Triage, ListenBacklog, RequestBufferBytes);
        builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory>(frontDoor);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.Limits.MaxRequestBufferSize = RequestBufferBytes;
            // the time a connection was accepted: a request's time to answer counts from there when it is the first on
            // its connection (OpenRLHF's client opens one per request), so a wait for a thread to read its headers counts
            k.Listen(address, options.Port, listen => listen.Use(next => connection =>
            {
                connection.Items.TryAdd(ItemAccepted, Stopwatch.GetTimestamp()); // the front door's accept time, else now
                return next(connection);
            }));
        });
        builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.TypeInfoResolverChain.Insert(0, ServerJson.Default));
        app = builder.Build();
        app.Lifetime.ApplicationStopping.Register(OnStopping);
        app.Use(AuthorizeAndMeasure);
        app.MapGet("/health", () => Results.Json(new HealthOut("ok", uptime.Elapsed.TotalSeconds), ServerJson.Default.HealthOut));
        app.MapGet("/metrics", () => Results.Text(Metrics.Render(AdmittedSamples, pool.Pending, batcher), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapPost("/get_reward", (Delegate)((HttpContext ctx) => HandleAsync(ctx, PrepareOpenRlhf)));
        app.MapPost("/v1/rewards", (Delegate)((HttpContext ctx) => HandleAsync(ctx, PrepareNative)));
    }

    private static ITokenizer? LoadTokenizer(string? path)
    {
        if (path is null) return null;
        try
        {
            return TokenizerLoader.Load(path);
        }
        catch (Exception e) when (e is IOException or TokenizerFormatException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            throw new ArgumentException($"tokenizer: cannot load '{path}': {e.Message}", e);
        }
    }

    public string ConfigDescription => service.Config.Describe();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address");
        Address = new Uri(bound);
    }

    /// <summary>Runs until Ctrl+C / SIGTERM (requests in flight get up to the shutdown timeout).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => HostingAbstractionsHostExtensions.WaitForShutdownAsync(app, cancellationToken);

    /// <summary>Stops as SIGTERM does: abandoned work is cancelled now, work in flight after 0.8 × the shutdown timeout.</summary>
    public Task StopAsync() => app.StopAsync();

    private void OnStopping()
    {
        Log.Event(ServerLogLevel.Info, $"stopping: {AdmittedSamples} admitted sample(s); cancelling abandoned work now, the rest after {Options.EffectiveShutdownTimeout.TotalSeconds * 0.8:0.#} s");
        work.CancelAbandoned();
        try
        {
            stopping.CancelAfter(Options.EffectiveShutdownTimeout * 0.8);
        }
        catch (ObjectDisposedException)
        {
            // already disposed
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await stopping.CancelAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        if (batcher is not null) await batcher.DisposeAsync().ConfigureAwait(false);
        if (outcomeBatcher is not null) await outcomeBatcher.DisposeAsync().ConfigureAwait(false);
        pool.Dispose();
        work.Dispose();
        ownedModels?.Dispose();
        requestSlots.Dispose();
        stopping.Dispose();
    }

    /// <summary>A server for a reward.yaml: the verifier with the config's `verifier:` options, and the PRM /
    /// ORM its `prm:` / `orm:` sections name (in-process directories or remote services), opened here,
    /// batched across concurrent requests and disposed with the server. null config = success reward alone. Without
    /// options.TokenizerPath, the in-process models' tokenizers name the pad/EOS tokens stripped from OpenRLHF queries.
    /// The config's serve: section is not applied here: the caller merges it with its flags (ServeSettings.ApplyTo).</summary>
    /// <exception cref="InvalidOperationException">A configured model cannot be opened (the message names the section).</exception>
    /// <exception cref="ArgumentException">An option is out of range (ServerOptions.Validate).</exception>
    public static RewardServer FromConfig(ServerOptions options, Rewards.Offline.RewardConfig? config, bool logging = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var models = config is null ? null : ConfiguredRewardModels.Open(config);
        try
        {
            return new RewardServer(options, config, MathVerifierJudge.Create(config?.Verify), models?.Prm, logging, models?.Orm, modelTokenizers: models?.Tokenizers)
            {
                ownedModels = models,
            };
        }
        catch
        {
            models?.Dispose();
            throw;
        }
    }

    private bool Authorized(HttpContext ctx) => Authorized(ctx.Request.Headers.Authorization.ToString());

    private bool Authorized(string? authorization)
    {
        if (tokenHash is null) return true;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(authorization ?? ""));
        return CryptographicOperations.FixedTimeEquals(given, tokenHash);
    }

    private async Task AuthorizeAndMeasure(HttpContext ctx, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        if (ctx.Features.Get<IConnectionItemsFeature>()?.Items is { } connectionItems && connectionItems.Remove(ItemAccepted, out var accepted) && accepted is long acceptedAt)
        {
            started = acceptedAt; // the first request on its connection
        }
        var path = ctx.Request.Path.Value ?? "";
        Metrics.Request(path);
        if (path != "/health" && !Authorized(ctx))
        {
            ctx.Items[ItemKind] = "unauthorized";
            await WriteAsync(ctx, Failure(401, "unauthorized", "missing or wrong bearer token: send 'Authorization: Bearer <token>'")).ConfigureAwait(false);
        }
        else
        {
            try
            {
                await next(ctx).ConfigureAwait(false);
            }
            catch (Exception e) when (!ctx.Response.HasStarted && e is not OperationCanceledException)
            {
                // never a bare 500: the kind and message go to the client, the log and /metrics
                var reply = Failure(500, "internal", $"internal error ({e.GetType().Name}): {e.Message}");
                Note(ctx, reply);
                await WriteAsync(ctx, reply).ConfigureAwait(false);
            }
        }
        // time to answer: from the connection's accept (first request on it) or the request's headers, to the answer written
        Answered(ctx.Request.Method, path, ctx.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalSeconds,
            ctx.Items[ItemSamples] as int?, ctx.Items[ItemKind] as string, ctx.Items[ItemMessage] as string);
    }

    /// <summary>Counts and logs an answered request (its /metrics response, error kind and latency, and its log line), whether
    /// Kestrel or the front door answered it.</summary>
    private void Answered(string method, string path, int status, double seconds, int? samples, string? kind, string? message)
    {
        Metrics.Response(path, status, seconds);
        if (status >= 400) Metrics.RequestError(kind ?? (status >= 500 ? "internal" : "bad_request"), seconds);
        Log.Request(method, ServerMetrics.PathLabel(path), status, seconds * 1000, samples, kind, message);
    }

    private static Reply Failure(int status, string kind, string message) =>
        new(status, JsonSerializer.SerializeToUtf8Bytes(new ErrorOut(message), ServerJson.Default.ErrorOut), kind, message);

    private static void Note(HttpContext ctx, Reply reply)
    {
        if (reply.ErrorKind is not null) ctx.Items[ItemKind] = reply.ErrorKind;
        if (reply.Message is not null) ctx.Items[ItemMessage] = reply.Message;
    }

    private static async Task WriteAsync(HttpContext ctx, Reply reply)
    {
        ctx.Response.StatusCode = reply.Status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = reply.Body.Length;
        await ctx.Response.Body.WriteAsync(reply.Body).ConfigureAwait(false);
    }

    /// <summary>A parsed request: its sample count and the scoring to run, or an immediate answer (a 4xx).</summary>
    private sealed record Prepared(int Samples, Func<CancellationToken, Task<Reply>>? Score, Reply? Immediate = null);

    /// <summary>Body limit, parsing, sample limit, retry join / admission, deadline: shared by both scoring endpoints.</summary>
    private async Task HandleAsync(HttpContext ctx, Func<byte[], Prepared> prepare)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        deadline.CancelAfter(Options.EffectiveTimeout);
        var reply = await AnswerAsync(ctx, prepare, deadline.Token).ConfigureAwait(false);
        if (reply is null) return; // client gone
        Note(ctx, reply);
        if (reply.Status == 503 && reply.ErrorKind == "overloaded") ctx.Response.Headers.RetryAfter = "1";
        if (ctx.Items.Remove(ItemCloseNow) && TryAnswerAndClose(ctx, reply)) return;
        await WriteAsync(ctx, reply).ConfigureAwait(false);
    }

    // An answer written on the connection's socket itself, then the connection closed at once: for a refusal after the body's
    // first bytes were read, whose rest Kestrel would otherwise drain (read and drop, up to 5 s) before closing. Nothing else
    // has been written on the connection (no response started, no 100 Continue asked for), so the answer goes out whole and
    // first; the close then resets the connection (unread data), after the answer, which the client reads as it would a
    // RefuseUnread answer. False (nothing written) where the transport gives no socket.
    private static bool TryAnswerAndClose(HttpContext ctx, Reply reply)
    {
        if (ctx.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket || ctx.Response.HasStarted) return false;
        var answer = RawAnswer(reply, ctx.Response.Headers.RetryAfter.Count > 0 ? ctx.Response.Headers.RetryAfter.ToString() : null);
        try
        {
            for (var sent = 0; sent < answer.Length;) sent += socket.Send(answer, sent, answer.Length - sent, System.Net.Sockets.SocketFlags.None);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // the client went away: nothing to answer
        }
        ctx.Response.StatusCode = reply.Status; // for the log and /metrics: the response itself is never written
        ctx.Abort();
        return true;
    }

    // A request refused before its body was read: its body is never read. The answer says Connection: close, and a body
    // limit of 0 makes Kestrel give up its drain of the unread body at once (it would otherwise read and drop it for up
    // to 5 s, "to avoid RSTs") and close the connection once the answer has gone out. A client still uploading then
    // meets a reset; one that reads its answer after sending (Python's requests/urllib3, as OpenRLHF and verl use)
    // ignores the reset on send and reads the 503, which is in its socket before the reset. .NET's HttpClient does
    // not: it reports the failed upload, unless it sends Expect: 100-continue (then no body is sent before the answer).
    private Reply RefuseUnread(HttpContext ctx, string message)
    {
        ctx.Response.Headers.Connection = "close";
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = 0;
        Metrics.RefusedUnread();
        return Overloaded(message);
    }

    // A request refused after only the first bytes of its body were read (they matched no held work of its length): the
    // rest is never copied into the server's memory, hashed or parsed. The body limit can no longer change once reading has
    // begun, so after the answer Kestrel drains the rest (reads and drops it, for at most 5 s) before it closes the
    // connection; a client that sends its whole body before reading (OpenRLHF's) has its answer by then.
    private Reply RefuseAfterHead(HttpContext ctx, string message)
    {
        ctx.Response.Headers.Connection = "close";
        ctx.Items[ItemCloseNow] = true;
        Metrics.RefusedAfterHead();
        return Overloaded(message);
    }

    /// <summary>The answer to a failed body read: (true, reply) for a short body, a body over the limit, another bad
    /// request, or a deadline (a null reply: the client went away); (false, null) for any other exception.</summary>
    private (bool Handled, Reply? Reply) ReadFailure(HttpContext ctx, Exception e) => e switch
    {
        EndOfStreamException => (true, Failure(400, "bad_request", "bad request: the body ended before its Content-Length")),
        BadHttpRequestException { StatusCode: 413 } => (true, Failure(413, "too_large",
            $"request body larger than the limit of {Options.MaxBodyBytes} bytes; raise --max-body-bytes or send fewer samples per request")),
        BadHttpRequestException bad => (true, Failure(bad.StatusCode, "bad_request", $"bad request: {bad.Message}")),
        OperationCanceledException => (true, ctx.RequestAborted.IsCancellationRequested ? null : Failure(503, "timeout", DeadlineMessage)),
        _ => (false, null),
    };

    // The front door's triage (FrontDoor, on its accept thread): a request AnswerAsync would refuse on its headers, or on its
    // body's first bytes, is refused here on the bytes received before its connection is handed to Kestrel — the same
    // rules (a length and start held work has may be a retry: never refused here), with admission asked without reserving.
    // Anything this does not refuse (or cannot read: an incomplete or unusual head, a wrong token, a body over the limit,
    // chunked, Expect) goes to Kestrel and AnswerAsync, which decides again.
    private byte[]? Triage(ReadOnlySpan<byte> received, long acceptedAt)
    {
        if (!RequestHead.TryParse(received, out var head) || head is not { Method: "POST", ContentLength: { } length, Chunked: false, ExpectContinue: false }
            || head.Target is not ("/get_reward" or "/v1/rewards") || length > Options.MaxBodyBytes || !Authorized(head.Authorization))
        {
            return null;
        }
        var path = head.Target;
        var afterHead = false;
        if (work.MayHold(path, length))
        {
            var body = received[head.Length..];
            var want = (int)Math.Min(length, RequestWork.HeadBytes);
            if (body.Length < want || work.MayHold(path, length, body[..want])) return null;
            afterHead = true;
        }
        if (admission.Refusal(admission.EstimateSamples(length, Options.MaxSamplesPerRequest)) is not { } message) return null;
        var reply = Overloaded(message);
        Metrics.Request(path);
        if (afterHead) Metrics.RefusedAfterHead();
        else Metrics.RefusedUnread();
        Metrics.RefusedAtAccept();
        Answered("POST", path, reply.Status, Stopwatch.GetElapsedTime(acceptedAt).TotalSeconds, null, reply.ErrorKind, reply.Message);
        return RawAnswer(reply, retryAfter: "1");
    }

    /// <summary>A whole HTTP/1.1 answer (status line, headers, body) that closes its connection, for writing on a socket.</summary>
    private static byte[] RawAnswer(Reply reply, string? retryAfter)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var head = Encoding.ASCII.GetBytes("HTTP/1.1 " + reply.Status.ToString(inv) + " " + ReasonPhrases.GetReasonPhrase(reply.Status) +
            "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + reply.Body.Length.ToString(inv) +
            "\r\nConnection: close\r\n" + (retryAfter is null ? "" : "Retry-After: " + retryAfter + "\r\n") + "\r\n");
        var answer = new byte[head.Length + reply.Body.Length];
        head.CopyTo(answer, 0);
        reply.Body.CopyTo(answer, head.Length);
        return answer;
    }

    /// <summary>Samples a request reserved before its body was read, until admission takes them or they are given back.</summary>
    private sealed class Reservation
    {
        public int Samples;
    }

    private async Task<Reply?> AnswerAsync(HttpContext ctx, Func<byte[], Prepared> prepare, CancellationToken deadline)
    {
        var path = ctx.Request.Path.Value ?? "";
        // admission before the body: a request the backlog cannot take is refused before it is uploaded, hashed or
        // parsed, unless held work has a body of this very length and start (a retry of it must be able to join). One that passes
        // reserves its estimated samples while its body is read, so requests arriving meanwhile see them as backlog
        var held = new Reservation();
        byte[]? head = null;
        if (ctx.Request.ContentLength is { } announced)
        {
            var mayHold = work.MayHold(path, announced);
            if (mayHold && announced > 0 && announced <= Math.Min(Options.MaxBodyBytes, Array.MaxLength))
            {
                // a length held work has: its first bytes tell a retry of that work from a distinct batch of the same
                // size, which is then refused without reading the rest, allocating or hashing it
                head = new byte[Math.Min(announced, RequestWork.HeadBytes)];
                try
                {
                    await ctx.Request.Body.ReadExactlyAsync(head, deadline).ConfigureAwait(false);
                }
                catch (Exception e) when (ReadFailure(ctx, e) is var failure && failure.Handled)
                {
                    return failure.Reply;
                }
                mayHold = work.MayHold(path, announced, head);
            }
            if (!mayHold)
            {
                var estimate = admission.EstimateSamples(announced, Options.MaxSamplesPerRequest);
                if (!admission.TryReserve(estimate, out var early)) return head is null ? RefuseUnread(ctx, early!) : RefuseAfterHead(ctx, early!);
                held.Samples = estimate;
            }
        }
        try
        {
            return await AnswerReadingAsync(ctx, path, prepare, head, held, deadline).ConfigureAwait(false);
        }
        finally
        {
            if (held.Samples > 0) admission.CancelReservation(held.Samples);
        }
    }

    private async Task<Reply?> AnswerReadingAsync(HttpContext ctx, string path, Func<byte[], Prepared> prepare, byte[]? head, Reservation held, CancellationToken deadline)
    {
        byte[] body;
        try
        {
            if (ctx.Request.ContentLength is { } length && length <= Math.Min(Options.MaxBodyBytes, Array.MaxLength))
            {
                // read straight into its one array (a large body is a large-object-heap allocation: one, not two), after
                // the first bytes when they were read already
                body = new byte[length];
                var start = head?.Length ?? 0;
                head?.CopyTo(body, 0);
                await ctx.Request.Body.ReadExactlyAsync(body.AsMemory(start), deadline).ConfigureAwait(false);
            }
            else
            {
                // no Content-Length (chunked), or one past the limit: Kestrel refuses a longer body as it is read
                using var buffer = new MemoryStream();
                await ctx.Request.Body.CopyToAsync(buffer, deadline).ConfigureAwait(false);
                body = buffer.ToArray();
            }
        }
        catch (Exception e) when (ReadFailure(ctx, e) is var failure && failure.Handled)
        {
            return failure.Reply;
        }
        // a retry joins its work before anything else; a new request on a full queue is refused before it is parsed
        var key = RequestWork.Key(path, body);
        var entry = work.TryJoin(key);
        var joined = entry is not null;
        if (entry is null)
        {
            // checked on the headers already when it holds a reservation (counted in the backlog: it would refuse itself)
            if (held.Samples == 0 && admission.Refusal(0) is { } full) return Overloaded(full);
            Prepared prepared;
            try
            {
                prepared = prepare(body);
            }
            catch (JsonException e)
            {
                return Failure(400, "bad_request", $"malformed JSON or wrong type: {e.Message}");
            }
            ctx.Items[ItemSamples] = prepared.Samples;
            admission.NoteBody(body.Length, prepared.Samples);
            if (prepared.Immediate is { } immediate) return immediate;
            if (prepared.Samples > Options.MaxSamplesPerRequest)
            {
                return Failure(413, "too_many_samples", $"{prepared.Samples} samples in one request; the limit is {Options.MaxSamplesPerRequest} (--max-samples-per-request): split the batch");
            }
            var n = prepared.Samples;
            string? refusal = null;
            (entry, joined) = work.JoinOrStart(key, path, body,
                admit: () =>
                {
                    var reservation = held.Samples;
                    held.Samples = 0; // TryAdmit ends the reservation either way
                    return admission.TryAdmit(n, out refusal, reservation);
                },
                start: ct => ScoreInSlotAsync(prepared.Score!, ct),
                release: answered => admission.Release(n, answered));
            if (entry is null) return Overloaded(refusal!);
        }
        if (held.Samples > 0)
        {
            // it joined work already held: its reservation is not needed while it waits
            admission.CancelReservation(held.Samples);
            held.Samples = 0;
        }
        if (joined) Metrics.RetryJoined();
        try
        {
            return await entry.Task.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested && !entry.Task.IsCanceled)
        {
            return Failure(503, "timeout", DeadlineMessage);
        }
        catch (OperationCanceledException) when (entry.Task.IsCanceled && !ctx.RequestAborted.IsCancellationRequested)
        {
            return Failure(503, "shutting_down", "the server is shutting down; retry on another replica");
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            work.Leave(entry);
        }
    }

    private static Reply Overloaded(string message) => Failure(503, "overloaded", message);

    private string DeadlineMessage => $"deadline of {Options.EffectiveTimeout.TotalSeconds:0.###} s exceeded (server busy or request too large); retry later";

    private async Task<Reply> ScoreInSlotAsync(Func<CancellationToken, Task<Reply>> score, CancellationToken ct)
    {
        await requestSlots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await score(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Failure(500, "internal", $"internal error ({e.GetType().Name}): {e.Message}");
        }
        finally
        {
            requestSlots.Release();
        }
    }

    // Only the body's structure is read here (OpenRlhfBody); each sample is decoded, stripped and its prompt located by
    // the verifier thread that scores it, so that work is spread over the threads too.
    private Prepared PrepareOpenRlhf(byte[] body)
    {
        var request = OpenRlhfBody.Parse(body);
        if (request is null) return Bad("body is JSON null; expected {\"query\": [...], \"prompts\": [...], \"labels\": [...]}");
        if (!request.HasQuery) return Bad("missing field 'query' (list of prompt+response strings)");
        var n = request.Count;
        if (request.PromptCount is { } p && p != n) return Bad($"'prompts' has {p} item(s) but 'query' has {n}; expected one prompt per query");
        if (request.LabelCount is { } l && l != n) return Bad($"'labels' has {l} item(s) but 'query' has {n}; expected one label per query");
        return new Prepared(n, async ct =>
        {
            var results = await service.ScoreAsync(n, i =>
            {
                var prompt = request.Prompt(i);
                return new ServiceSample(prompt, queries.Response(request.Query(i), prompt, i), request.Label(i));
            }, ct).ConfigureAwait(false);
            foreach (var r in results) Metrics.Sample(r);
            var errors = new List<SampleErrorOut>();
            var rewards = new double[n];
            // OpenRLHF has no per-sample error field: without --on-error a reward is never invented, and the request fails
            // naming the first sample whose prompt is not in its query (400), else the first that could not be scored (422)
            if (Options.OnErrorReward is null && results.FirstOrDefault(r => r.ErrorKind == "prompt_not_found") is { } absent)
            {
                return Failure(400, absent.ErrorKind!, absent.Result.Error!);
            }
            for (var i = 0; i < n; i++)
            {
                var r = results[i];
                if (r.Diagnostics is { } d)
                {
                    rewards[i] = d.TotalReturn;
                    continue;
                }
                if (Options.OnErrorReward is not { } fallback) return Failure(422, r.ErrorKind ?? "scoring", $"sample {i}: {r.Result.Error}");
                rewards[i] = fallback;
                errors.Add(new SampleErrorOut(i, r.Result.Error ?? "unknown"));
            }
            var logs = new OpenRlhfLogs(
                results.Select(r => r.Diagnostics?.Success ?? 0).ToArray(),
                results.Select(r => r.Diagnostics?.LearnedReturn ?? 0).ToArray(),
                results.Select(r => (double)(r.Diagnostics?.StepCount ?? 0)).ToArray(),
                errors);
            return new Reply(200, JsonSerializer.SerializeToUtf8Bytes(new OpenRlhfOut(rewards, rewards, logs), ServerJson.Default.OpenRlhfOut));
        });
    }

    private static Prepared Bad(string message) => new(0, null, Failure(400, "bad_request", message));

    private Prepared PrepareNative(byte[] body)
    {
        var request = JsonSerializer.Deserialize(body, ServerJson.Default.NativeRequestIn);
        if (request is null) return Bad("body is JSON null; expected {\"version\": 1, \"samples\": [...]}");
        if (request.Version is not 1) return Bad($"'version' is {request.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}; expected 1");
        if (request.Samples is null) return Bad("missing field 'samples' (list of {prompt, response, gold})");
        var n = request.Samples.Count;
        var results = new NativeResultOut?[n];
        var valid = new List<(int Index, ServiceSample Sample)>();
        for (var i = 0; i < n; i++)
        {
            var s = request.Samples[i];
            if (s is null || (s.Response is null && s.ResponseIds is null))
            {
                results[i] = NativeResultOut.From(Rewards.Sources.Remote.NativeResults.Failure($"samples[{i}] has no 'response' string (or 'response_ids')"), null);
                Metrics.SampleError("bad_sample");
            }
            else
            {
                valid.Add((i, new ServiceSample(s.Prompt ?? "", s.Response ?? "", s.Gold, s.StepScores, s.OrmScore, s.ResponseIds)));
            }
        }
        return new Prepared(n, async ct =>
        {
            var scored = await service.ScoreAsync(valid.Select(v => v.Sample).ToArray(), ct).ConfigureAwait(false);
            var all = results.ToArray();
            for (var j = 0; j < scored.Length; j++)
            {
                all[valid[j].Index] = NativeResultOut.From(scored[j].Result, scored[j].TokenRewards);
                Metrics.Sample(scored[j]);
            }
            return new Reply(200, JsonSerializer.SerializeToUtf8Bytes(new NativeResponseOut(1, all!), ServerJson.Default.NativeResponseOut));
        });
    }
}

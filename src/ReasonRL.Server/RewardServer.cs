// RewardServer: the reward layer as an HTTP service on Kestrel (minimal APIs, slim builder), bound to
// loopback only. Endpoints:
//   POST /get_reward  OpenRLHF's remote reward protocol: {query[], prompts[], labels[]} → {rewards[],
//                     scores[], extra_logs{}}; one scalar per sample = success + learned return (+ ORM,
//                     format and length terms: the sample's total return). query = prompt + response; a
//                     missing prompts field means the whole query is the response; missing labels = no gold.
//   POST /v1/rewards  ReasonRL native v1 (RemoteProtocolMessages.cs), samples may carry step_scores/orm_score.
//   GET  /health, GET /metrics.
// Protection: optional bearer token (all but /health), body size limit (413), per-request deadline and
// request concurrency limit (503), malformed JSON / wrong types / missing fields → 400 with a message.
// Stateless: replicas behind any load balancer give the same answers. Not scoring (RewardService).
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Sources.Remote;

namespace ReasonRL.Server;

public sealed class RewardServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly RewardService service;
    private readonly BatchingRewardSource? batcher;
    private readonly BatchingRewardSource? outcomeBatcher;
    private ConfiguredRewardModels? ownedModels;
    private readonly SemaphoreSlim requestSlots;
    private readonly Stopwatch uptime = Stopwatch.StartNew();

    public ServerOptions Options { get; }

    public ServerMetrics Metrics { get; } = new();

    /// <summary>The coalescing wrapper around the step model, or null when none is loaded.</summary>
    public BatchingRewardSource? ModelBatcher => batcher;

    /// <summary>The coalescing ORM scorer, when an ORM model is loaded.</summary>
    public BatchingRewardSource? OutcomeBatcher => outcomeBatcher;

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
    public RewardServer(ServerOptions options, Rewards.Offline.RewardConfig? config, SuccessJudge judge, IRewardSource? stepModel = null, bool logging = false,
        IRewardSource? outcomeModel = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        var address = options.Validate();
        batcher = stepModel is null ? null : new BatchingRewardSource(stepModel, options.MaxModelBatch, options.EffectiveBatchWindow);
        outcomeBatcher = outcomeModel is null ? null : new BatchingRewardSource(outcomeModel, options.MaxModelBatch, options.EffectiveBatchWindow);
        service = new RewardService(config ?? RewardService.DefaultConfig, judge, batcher, options.EffectiveVerifierThreads, outcomeBatcher);
        requestSlots = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        if (!logging) builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.Listen(address, options.Port);
        });
        builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.TypeInfoResolverChain.Insert(0, ServerJson.Default));
        app = builder.Build();
        app.Use(AuthorizeAndMeasure);
        app.MapGet("/health", () => Results.Json(new HealthOut("ok", service.Config.Describe(), uptime.Elapsed.TotalSeconds), ServerJson.Default.HealthOut));
        app.MapGet("/metrics", () => Results.Json(Metrics.Snapshot(batcher), ServerJson.Default.MetricsOut));
        app.MapPost("/get_reward", (Delegate)((HttpContext ctx) => Guarded(ctx, OpenRlhfAsync)));
        app.MapPost("/v1/rewards", (Delegate)((HttpContext ctx) => Guarded(ctx, NativeAsync)));
    }

    public string ConfigDescription => service.Config.Describe();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address");
        Address = new Uri(bound);
    }

    /// <summary>Runs until Ctrl+C / SIGTERM (graceful: in-flight requests finish).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(app, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        if (batcher is not null) await batcher.DisposeAsync().ConfigureAwait(false);
        if (outcomeBatcher is not null) await outcomeBatcher.DisposeAsync().ConfigureAwait(false);
        ownedModels?.Dispose();
        requestSlots.Dispose();
    }

    /// <summary>A server for a reward.yaml: the verifier with the config's `verifier:` options, and the PRM /
    /// ORM its `prm:` / `orm:` sections name (in-process directories or remote services), opened here,
    /// batched across concurrent requests and disposed with the server. null config = success reward alone.</summary>
    /// <exception cref="InvalidOperationException">A configured model cannot be opened (the message names the section).</exception>
    /// <exception cref="ArgumentException">An option is out of range (ServerOptions.Validate).</exception>
    public static RewardServer FromConfig(ServerOptions options, Rewards.Offline.RewardConfig? config, bool logging = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var models = config is null ? null : ConfiguredRewardModels.Open(config);
        try
        {
            return new RewardServer(options, config, MathVerifierJudge.Create(config?.Verify), models?.Prm, logging, models?.Orm) { ownedModels = models };
        }
        catch
        {
            models?.Dispose();
            throw;
        }
    }

    private async Task AuthorizeAndMeasure(HttpContext ctx, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var path = ctx.Request.Path.Value ?? "";
        Metrics.Request(path);
        if (Options.BearerToken is { } token && path != "/health"
            && !string.Equals(ctx.Request.Headers.Authorization.ToString(), "Bearer " + token, StringComparison.Ordinal))
        {
            await Results.Json(new ErrorOut("missing or wrong bearer token: send 'Authorization: Bearer <token>'"), ServerJson.Default.ErrorOut, statusCode: 401).ExecuteAsync(ctx).ConfigureAwait(false);
        }
        else
        {
            await next(ctx).ConfigureAwait(false);
        }
        Metrics.Response(ctx.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static IResult Error(int status, string message) => Results.Json(new ErrorOut(message), ServerJson.Default.ErrorOut, statusCode: status);

    /// <summary>Deadline, concurrency slot and the 4xx mapping shared by both scoring endpoints.</summary>
    private async Task<IResult> Guarded(HttpContext ctx, Func<HttpContext, CancellationToken, Task<IResult>> handler)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        deadline.CancelAfter(Options.EffectiveTimeout);
        var slot = false;
        try
        {
            await requestSlots.WaitAsync(deadline.Token).ConfigureAwait(false);
            slot = true;
            return await handler(ctx, deadline.Token).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            return Error(e.StatusCode, e.StatusCode == 413
                ? $"request body larger than the limit of {Options.MaxBodyBytes} bytes"
                : $"bad request: {e.Message}");
        }
        catch (JsonException e)
        {
            return Error(400, $"malformed JSON or wrong type: {e.Message}");
        }
        catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            return Error(503, $"deadline of {Options.EffectiveTimeout.TotalSeconds:0.###} s exceeded (server busy or request too large); retry later");
        }
        finally
        {
            if (slot) requestSlots.Release();
        }
    }

    private async Task<IResult> OpenRlhfAsync(HttpContext ctx, CancellationToken ct)
    {
        var request = await JsonSerializer.DeserializeAsync(ctx.Request.Body, ServerJson.Default.OpenRlhfIn, ct).ConfigureAwait(false);
        if (request is null) return Error(400, "body is JSON null; expected {\"query\": [...], \"prompts\": [...], \"labels\": [...]}");
        if (request.Query is null) return Error(400, "missing field 'query' (list of prompt+response strings)");
        var n = request.Query.Count;
        if (request.Prompts is { } p && p.Count != n) return Error(400, $"'prompts' has {p.Count} item(s) but 'query' has {n}; expected one prompt per query");
        if (request.Labels is { } l && l.Count != n) return Error(400, $"'labels' has {l.Count} item(s) but 'query' has {n}; expected one label per query");
        var samples = new ServiceSample[n];
        for (var i = 0; i < n; i++)
        {
            var query = request.Query[i] ?? throw new JsonException($"query[{i}] is null; expected a string");
            var prompt = request.Prompts?[i] ?? "";
            if (!query.StartsWith(prompt, StringComparison.Ordinal))
            {
                return Error(400, $"query[{i}] does not start with prompts[{i}]; OpenRLHF's query is prompt + response");
            }
            samples[i] = new ServiceSample(prompt, query[prompt.Length..], request.Labels?[i]);
        }
        var results = await service.ScoreAsync(samples, ct).ConfigureAwait(false);
        foreach (var r in results) Metrics.Sample(r);
        var failed = Array.FindIndex(results, r => r.Diagnostics is null);
        if (failed >= 0)
        {
            // OpenRLHF has no per-sample error field; a reward is never invented, so the batch fails.
            return Error(422, $"sample {failed}: {results[failed].Result.Error}");
        }
        var rewards = results.Select(r => r.Diagnostics!.TotalReturn).ToArray();
        var logs = new SortedDictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal)
        {
            ["success"] = results.Select(r => r.Diagnostics!.Success).ToArray(),
            ["learned_return"] = results.Select(r => r.Diagnostics!.LearnedReturn).ToArray(),
            ["steps"] = results.Select(r => (double)r.Diagnostics!.StepCount).ToArray(),
        };
        return Results.Json(new OpenRlhfOut(rewards, rewards, logs), ServerJson.Default.OpenRlhfOut);
    }

    private async Task<IResult> NativeAsync(HttpContext ctx, CancellationToken ct)
    {
        var request = await JsonSerializer.DeserializeAsync(ctx.Request.Body, ServerJson.Default.NativeRequestIn, ct).ConfigureAwait(false);
        if (request is null) return Error(400, "body is JSON null; expected {\"version\": 1, \"samples\": [...]}");
        if (request.Version is not 1) return Error(400, $"'version' is {request.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}; expected 1");
        if (request.Samples is null) return Error(400, "missing field 'samples' (list of {prompt, response, gold})");
        var results = new NativeResult?[request.Samples.Count];
        var valid = new List<(int Index, ServiceSample Sample)>();
        for (var i = 0; i < results.Length; i++)
        {
            var s = request.Samples[i];
            if (s?.Response is null) results[i] = NativeResults.Failure($"samples[{i}] has no 'response' string");
            else valid.Add((i, new ServiceSample(s.Prompt ?? "", s.Response, s.Gold, s.StepScores, s.OrmScore)));
        }
        var scored = await service.ScoreAsync(valid.Select(v => v.Sample).ToArray(), ct).ConfigureAwait(false);
        for (var j = 0; j < scored.Length; j++)
        {
            results[valid[j].Index] = scored[j].Result;
            Metrics.Sample(scored[j]);
        }
        return Results.Json(new NativeResponse(1, results!), RemoteProtocolJson.Default.NativeResponse);
    }
}

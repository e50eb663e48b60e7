// ServerOptions: how `reasonrl serve` listens and protects itself (immutable config): loopback host
// and port, optional bearer token, body size limit, per-request deadline, request and verifier
// concurrency limits, and the coalescing window of batched model scoring.
// Not the reward config (that is reward.yaml, read by ReasonRL.Rewards' RewardConfigLoader).
using System.Net;

namespace ReasonRL.Server;

/// <param name="Host">Loopback address to bind; only loopback addresses are accepted (default 127.0.0.1).</param>
/// <param name="Port">TCP port; 0 = any free port (tests), read back from <see cref="RewardServer.Address"/>.</param>
/// <param name="BearerToken">When set, every endpoint except /health needs "Authorization: Bearer TOKEN".</param>
/// <param name="MaxBodyBytes">Request body limit; larger bodies get 413 (default 64 MiB).</param>
/// <param name="RequestTimeout">Per-request deadline, including the wait for a slot; exceeded = 503.</param>
/// <param name="MaxConcurrentRequests">Requests scored at once; others wait for a slot within their deadline.</param>
/// <param name="VerifierThreads">Verifier calls (CPU-bound) running at once (default: core count).</param>
/// <param name="MaxModelBatch">Most samples one coalesced model-scoring call carries.</param>
/// <param name="ModelBatchWindow">How long the batcher waits for more concurrent requests before scoring.</param>
/// <param name="StripTokens">Extra token strings stripped from the start (pads) and end (EOS/pads) of an OpenRLHF
/// query, besides the pad and EOS tokens of <paramref name="TokenizerPath"/>'s tokenizer.</param>
/// <param name="OnErrorReward">null = a sample that cannot be scored fails its /get_reward request (4xx); a value =
/// that sample gets this reward and its index and reason go to extra_logs.errors.</param>
/// <param name="TokenizerPath">The policy's tokenizer (tokenizer.json[.gz], .gguf or model folder): its pad/EOS
/// tokens are stripped from OpenRLHF queries and /v1/rewards uses it for token_rewards.</param>
/// <param name="MaxSamplesPerRequest">Most samples one request may carry (more = 413).</param>
/// <param name="MaxQueuedSamples">Most samples admitted (queued or being scored) at once; a request that would pass
/// it gets an immediate 503.</param>
/// <param name="ShutdownTimeout">How long SIGTERM waits for requests in flight before cancelling them.</param>
/// <param name="RetryWindow">How long a request's work is kept for a retry of the same body: abandoned work (its
/// caller timed out or disconnected) before it is cancelled, and a finished answer (RequestWork).</param>
/// <param name="LogLevel">Request logging to stderr: debug/info (every request), warn (failed requests), error (5xx), off.</param>
public sealed record ServerOptions(
    string Host = "127.0.0.1",
    int Port = 8000,
    string? BearerToken = null,
    long MaxBodyBytes = ServerOptions.DefaultMaxBodyBytes,
    TimeSpan RequestTimeout = default,
    int MaxConcurrentRequests = 64,
    int VerifierThreads = 0,
    int MaxModelBatch = 64,
    TimeSpan ModelBatchWindow = default,
    IReadOnlyList<string>? StripTokens = null,
    double? OnErrorReward = null,
    string? TokenizerPath = null,
    int MaxSamplesPerRequest = 8192,
    int MaxQueuedSamples = 65536,
    TimeSpan ShutdownTimeout = default,
    TimeSpan RetryWindow = default,
    ServerLogLevel LogLevel = ServerLogLevel.Warn)
{
    /// <summary>64 MiB: 512 long chain-of-thought samples as JSON with room to spare.</summary>
    public const long DefaultMaxBodyBytes = 64L * 1024 * 1024;

    public TimeSpan EffectiveShutdownTimeout => ShutdownTimeout == default ? TimeSpan.FromSeconds(10) : ShutdownTimeout;

    public TimeSpan EffectiveRetryWindow => RetryWindow == default ? TimeSpan.FromSeconds(10) : RetryWindow;

    public TimeSpan EffectiveTimeout => RequestTimeout == default ? TimeSpan.FromSeconds(30) : RequestTimeout;

    public int EffectiveVerifierThreads => VerifierThreads > 0 ? VerifierThreads : Environment.ProcessorCount;

    public TimeSpan EffectiveBatchWindow => ModelBatchWindow == default ? TimeSpan.FromMilliseconds(2) : ModelBatchWindow;

    /// <summary>The address to bind, after checking every field.</summary>
    /// <exception cref="ArgumentException">A non-loopback host or an out-of-range value, naming the field.</exception>
    public IPAddress Validate()
    {
        if (!IPAddress.TryParse(Host, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"host: '{Host}' is not a loopback address; the reward service binds to loopback only (e.g. 127.0.0.1). Put a proxy in front of it to expose it.");
        }
        if (Port is < 0 or > 65535) throw new ArgumentException($"port: {Port}; expected 0..65535");
        if (MaxBodyBytes < 1024) throw new ArgumentException($"max body bytes: {MaxBodyBytes}; expected ≥ 1024");
        if (EffectiveTimeout <= TimeSpan.Zero) throw new ArgumentException($"request timeout: {RequestTimeout}; expected > 0");
        if (MaxConcurrentRequests < 1) throw new ArgumentException($"max concurrent requests: {MaxConcurrentRequests}; expected ≥ 1");
        if (MaxModelBatch < 1) throw new ArgumentException($"max model batch: {MaxModelBatch}; expected ≥ 1");
        if (MaxSamplesPerRequest < 1) throw new ArgumentException($"max samples per request: {MaxSamplesPerRequest}; expected ≥ 1");
        if (MaxQueuedSamples < MaxSamplesPerRequest) throw new ArgumentException($"max queued samples: {MaxQueuedSamples}; expected ≥ max samples per request ({MaxSamplesPerRequest})");
        if (EffectiveShutdownTimeout <= TimeSpan.Zero) throw new ArgumentException($"shutdown timeout: {ShutdownTimeout}; expected > 0");
        if (EffectiveRetryWindow < TimeSpan.Zero) throw new ArgumentException($"retry window: {RetryWindow}; expected ≥ 0");
        if (OnErrorReward is { } r && !double.IsFinite(r)) throw new ArgumentException($"on_error reward: {r}; expected a finite number");
        if (StripTokens is { } st && st.Any(string.IsNullOrEmpty)) throw new ArgumentException("strip tokens: an empty token; expected non-empty token strings");
        if (BearerToken is { Length: 0 }) throw new ArgumentException("bearer token: empty; omit it or give a non-empty token");
        return address;
    }
}

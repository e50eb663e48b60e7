// ServerOptions: how `reasonrl serve` listens and protects itself (immutable config): loopback host
// and port, optional bearer token, body size limit, per-request deadline, request and verifier
// concurrency limits, and the coalescing window of batched model scoring.
// Not the reward config (that is reward.yaml, read by ReasonRL.Rewards' RewardConfigLoader).
using System.Net;

namespace ReasonRL.Server;

/// <param name="Host">Loopback address to bind; only loopback addresses are accepted (default 127.0.0.1).</param>
/// <param name="Port">TCP port; 0 = any free port (tests), read back from <see cref="RewardServer.Address"/>.</param>
/// <param name="BearerToken">When set, every endpoint except /health needs "Authorization: Bearer TOKEN".</param>
/// <param name="MaxBodyBytes">Request body limit; larger bodies get 413 (default 8 MiB).</param>
/// <param name="RequestTimeout">Per-request deadline, including the wait for a slot; exceeded = 503.</param>
/// <param name="MaxConcurrentRequests">Requests scored at once; others wait for a slot within their deadline.</param>
/// <param name="VerifierThreads">Verifier calls (CPU-bound) running at once (default: core count).</param>
/// <param name="MaxModelBatch">Most samples one coalesced model-scoring call carries.</param>
/// <param name="ModelBatchWindow">How long the batcher waits for more concurrent requests before scoring.</param>
public sealed record ServerOptions(
    string Host = "127.0.0.1",
    int Port = 8000,
    string? BearerToken = null,
    long MaxBodyBytes = 8 * 1024 * 1024,
    TimeSpan RequestTimeout = default,
    int MaxConcurrentRequests = 64,
    int VerifierThreads = 0,
    int MaxModelBatch = 64,
    TimeSpan ModelBatchWindow = default)
{
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
        if (BearerToken is { Length: 0 }) throw new ArgumentException("bearer token: empty; omit it or give a non-empty token");
        return address;
    }
}

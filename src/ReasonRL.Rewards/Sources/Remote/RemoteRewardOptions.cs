// RemoteRewardOptions: where and how to call a remote reward service (immutable config).
// Not the client (RemoteRewardSource).
namespace ReasonRL.Rewards.Sources.Remote;

/// <summary>Which wire protocol the service speaks.</summary>
public enum RemoteProtocol
{
    /// <summary>OpenRLHF's: one sequence-level reward per sample.</summary>
    OpenRlhf,
    /// <summary>ReasonRL's native v1: verdict, steps, raw and shaped step rewards, per-sample error.</summary>
    Native,
}

/// <param name="Endpoint">Full URL of the POST endpoint, e.g. http://127.0.0.1:5000/get_reward.</param>
/// <param name="Protocol">Wire protocol.</param>
/// <param name="Timeout">Per-attempt timeout; e.g. 30 s (a 7B PRM over a batch of 64 takes seconds).</param>
/// <param name="MaxAttempts">Attempts in all (1 = no retry); e.g. 3.</param>
/// <param name="InitialBackoff">Wait before the 2nd attempt; doubled before each later one; e.g. 0.5 s.</param>
public sealed record RemoteRewardOptions(
    Uri Endpoint,
    RemoteProtocol Protocol,
    TimeSpan Timeout,
    int MaxAttempts = 3,
    TimeSpan InitialBackoff = default)
{
    public static RemoteRewardOptions For(Uri endpoint, RemoteProtocol protocol) =>
        new(endpoint, protocol, TimeSpan.FromSeconds(30), 3, TimeSpan.FromMilliseconds(500));

    /// <summary>Wait before attempt number <paramref name="attempt"/> (2, 3, …): InitialBackoff·2^(attempt−2).</summary>
    public TimeSpan BackoffBefore(int attempt) =>
        attempt <= 1 ? TimeSpan.Zero : InitialBackoff * Math.Pow(2, attempt - 2);

    public void Validate()
    {
        if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"remote endpoint must be an absolute http(s) URL, got '{Endpoint}'");
        }
        if (MaxAttempts < 1) throw new ArgumentException($"remote max attempts must be ≥ 1, got {MaxAttempts}");
        if (Timeout <= TimeSpan.Zero) throw new ArgumentException($"remote timeout must be > 0, got {Timeout}");
        if (InitialBackoff < TimeSpan.Zero) throw new ArgumentException($"remote backoff must be ≥ 0, got {InitialBackoff}");
    }
}

// RemoteRewardSource: an IRewardSource that asks an HTTP reward service (OpenRLHF's protocol or
// ReasonRL's native one, see RemoteProtocolMessages.cs) to score a batch.
// Failure policy — a failed call is an explicit outcome, never a silent 0:
//   * each attempt has its own timeout (RemoteRewardOptions.Timeout);
//   * connection errors, timeouts, HTTP 408/429 and 5xx are retried up to MaxAttempts, waiting
//     InitialBackoff·2^(attempt−2) before attempt ≥ 2 (exponential backoff);
//   * other 4xx, malformed JSON and a wrong number of results are not retried (retrying cannot fix them);
//   * when the batch fails, every sample gets ScoreStatus.Failed with the reason and attempt count;
//     a native result with "error" set fails that sample alone.
// Not a server (that is `reasonrl serve`), not a load balancer.
using ReasonRL.Rewards.Steps;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReasonRL.Rewards.Sources.Remote;

public sealed class RemoteRewardSource : IRewardSource, IDisposable
{
    private readonly HttpClient http;
    private readonly bool ownsClient;
    private readonly Func<TimeSpan, CancellationToken, Task> delay;

    public RemoteRewardOptions Options { get; }

    public string Name => Options.Protocol == RemoteProtocol.OpenRlhf ? "remote:openrlhf" : "remote:native";

    /// <param name="options">Endpoint, protocol, timeout, retries.</param>
    /// <param name="httpClient">Shared client (not disposed here); null creates one owned by this source.</param>
    /// <param name="delay">Backoff wait (tests inject a recorder); null = Task.Delay.</param>
    public RemoteRewardSource(RemoteRewardOptions options, HttpClient? httpClient = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        ownsClient = httpClient is null;
        // The per-attempt timeout is enforced with a linked token, so the client's own must not cut first.
        http = httpClient ?? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        this.delay = delay ?? Task.Delay;
    }

    public void Dispose()
    {
        if (ownsClient) http.Dispose();
    }

    public async Task<IReadOnlyList<SampleScore>> ScoreAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return [];
        string? lastError = null;
        for (var attempt = 1; attempt <= Options.MaxAttempts; attempt++)
        {
            if (attempt > 1) await delay(Options.BackoffBefore(attempt), cancellationToken).ConfigureAwait(false);
            var outcome = await AttemptAsync(batch, cancellationToken).ConfigureAwait(false);
            if (outcome.Scores is not null) return outcome.Scores;
            lastError = outcome.Error;
            if (!outcome.Retryable)
            {
                return FailAll(batch.Count, $"{Name} {Options.Endpoint}: {lastError} (attempt {attempt}, not retryable)");
            }
        }
        return FailAll(batch.Count, $"{Name} {Options.Endpoint}: {lastError} (gave up after {Options.MaxAttempts} attempt(s))");
    }

    private readonly record struct Attempt(IReadOnlyList<SampleScore>? Scores, string? Error, bool Retryable);

    private async Task<Attempt> AttemptAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.Timeout);
        try
        {
            using var content = BuildContent(batch);
            using var response = await http.PostAsync(Options.Endpoint, content, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var code = (int)response.StatusCode;
                var retryable = code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
                return new Attempt(null, $"HTTP {code} {response.ReasonPhrase}", retryable);
            }
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                return new Attempt(Parse(body, batch.Count), null, false);
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                return new Attempt(null, $"bad response body: {e.Message}", false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Attempt(null, $"timed out after {Options.Timeout.TotalSeconds:0.###} s", true);
        }
        catch (HttpRequestException e)
        {
            return new Attempt(null, $"request failed: {e.Message}", true);
        }
    }

    private HttpContent BuildContent(IReadOnlyList<RewardSample> batch)
    {
        if (Options.Protocol == RemoteProtocol.OpenRlhf)
        {
            var request = new OpenRlhfRequest(
                batch.Select(s => s.Prompt + s.Response).ToArray(),
                batch.Select(s => s.Prompt).ToArray(),
                batch.Select(s => s.Gold ?? string.Empty).ToArray());
            return JsonContent.Create(request, RemoteProtocolJson.Default.OpenRlhfRequest);
        }
        var native = new NativeRequest(1, batch.Select(s => new NativeSample(s.Prompt, s.Response, s.Gold)).ToArray());
        return JsonContent.Create(native, RemoteProtocolJson.Default.NativeRequest);
    }

    private IReadOnlyList<SampleScore> Parse(string body, int expected) =>
        Options.Protocol == RemoteProtocol.OpenRlhf ? ParseOpenRlhf(body, expected) : ParseNative(body, expected);

    /// <summary>OpenRLHF body → one Outcome per sample ("rewards", else "scores").</summary>
    internal static IReadOnlyList<SampleScore> ParseOpenRlhf(string body, int expected)
    {
        var response = JsonSerializer.Deserialize(body, RemoteProtocolJson.Default.OpenRlhfResponse)
            ?? throw new FormatException("body is JSON null; expected {\"rewards\": [...]}");
        var values = response.Rewards ?? response.Scores
            ?? throw new FormatException("body has neither \"rewards\" nor \"scores\"");
        if (values.Count != expected) throw new FormatException($"{values.Count} reward(s) for {expected} sample(s)");
        var scores = new SampleScore[expected];
        for (var i = 0; i < expected; i++)
        {
            scores[i] = double.IsFinite(values[i])
                ? new SampleScore { Outcome = values[i] }
                : SampleScore.Fail($"reward {i} is not finite ({values[i]})");
        }
        return scores;
    }

    /// <summary>Native v1 body → per-sample verdict, steps, raw and shaped step rewards, or per-sample error.</summary>
    internal static IReadOnlyList<SampleScore> ParseNative(string body, int expected)
    {
        var response = JsonSerializer.Deserialize(body, RemoteProtocolJson.Default.NativeResponse)
            ?? throw new FormatException("body is JSON null; expected {\"version\": 1, \"results\": [...]}");
        if (response.Version != 1) throw new FormatException($"native protocol version {response.Version}; expected 1");
        var results = response.Results ?? throw new FormatException("body has no \"results\"");
        if (results.Count != expected) throw new FormatException($"{results.Count} result(s) for {expected} sample(s)");
        var scores = new SampleScore[expected];
        for (var i = 0; i < expected; i++) scores[i] = FromNative(results[i], i);
        return scores;
    }

    private static SampleScore FromNative(NativeResult r, int index)
    {
        if (r.Error is not null) return SampleScore.Fail($"sample {index}: server error: {r.Error}");
        var verdict = SuccessVerdicts.TryParse(r.Verdict);
        if (verdict is null) return SampleScore.Fail($"sample {index}: verdict '{r.Verdict}' is not correct/incorrect/unverifiable");
        if (r.Success is not double success) return SampleScore.Fail($"sample {index}: no \"success\" value");
        var steps = (r.Steps ?? []).Select(s => new StepSpan(s.Start, s.End)).ToArray();
        var stepRewards = r.StepRewards ?? [];
        if (stepRewards.Count != steps.Length)
        {
            return SampleScore.Fail($"sample {index}: {stepRewards.Count} step reward(s) for {steps.Length} step(s)");
        }
        if (r.RawStepScores is { } raw && raw.Count != steps.Length)
        {
            return SampleScore.Fail($"sample {index}: {raw.Count} raw step score(s) for {steps.Length} step(s)");
        }
        return new SampleScore
        {
            Outcome = success,
            Verdict = new SuccessJudgement(verdict.Value),
            Steps = steps,
            StepScores = r.RawStepScores,
            StepRewards = stepRewards,
        };
    }

    private static SampleScore[] FailAll(int count, string error)
    {
        var scores = new SampleScore[count];
        Array.Fill(scores, SampleScore.Fail(error));
        return scores;
    }
}

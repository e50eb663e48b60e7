// Test helpers: start a RewardServer on 127.0.0.1:0 with the real verifier, and fake batched
// PRMs (deterministic scores; one records batch sizes, one can be held to prove coalescing).
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Sources;
using ReasonRL.Server;
using System.Collections.Concurrent;

namespace ReasonRL.Server.Tests;

internal static class TestServers
{
    public static async Task<RewardServer> StartAsync(RewardConfig? config = null, IRewardSource? model = null, ServerOptions? options = null)
    {
        var server = new RewardServer(options ?? new ServerOptions(Port: 0), config, MathVerifierJudge.Create(), model);
        await server.StartAsync();
        return server;
    }

    /// <summary>A server with a fake judge and no request log (the overload and admission tests).</summary>
    public static async Task<RewardServer> StartAsync(SuccessJudge judge, ServerOptions options)
    {
        var server = new RewardServer(options, null, judge, log: TextWriter.Null);
        await server.StartAsync();
        return server;
    }

    /// <summary>Polls <paramref name="condition"/> every 10 ms; fails the test when it is not reached within <paramref name="seconds"/>.</summary>
    public static async Task WaitUntil(Func<bool> condition, double seconds = 10)
    {
        var until = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && until.Elapsed.TotalSeconds < seconds) await Task.Delay(10);
        Xunit.Assert.True(condition(), $"condition not reached within {seconds} s");
    }

    public static RewardConfig ClipDelta { get; } = RewardConfigLoader.Parse("shaping: { kind: clip_delta, alpha: 1.0, eta: 0.5 }\n", "test.yaml");
}

/// <summary>A deterministic PRM: step k of a response scores 0.1·(k+1) + 0.01·(response length mod 7).
/// Records the size of every batch it is called with; when Hold is set, each call waits for it.</summary>
internal sealed class RecordingPrm : IRewardSource
{
    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public TaskCompletionSource? Hold { get; set; }

    public TimeSpan Delay { get; init; }

    public string Name => "fake-prm";

    public static double ScoreOf(string response, int k) => 0.1 * (k + 1) + 0.01 * (response.Length % 7);

    public async Task<IReadOnlyList<SampleScore>> ScoreAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken = default)
    {
        BatchSizes.Enqueue(batch.Count);
        if (Hold is { } hold) await hold.Task.ConfigureAwait(false);
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken).ConfigureAwait(false);
        return batch.Select(s => new SampleScore { StepScores = s.Steps.Select((_, k) => ScoreOf(s.Response, k)).ToArray() }).ToArray();
    }
}

/// <summary>Samples a server's admitted samples every 5 ms until stopped; StopAsync returns the largest seen.</summary>
internal sealed class BacklogWatch
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task<long> loop;

    public BacklogWatch(RewardServer server) => loop = Task.Run(async () =>
    {
        long max = 0;
        while (!stop.IsCancellationRequested)
        {
            max = Math.Max(max, server.AdmittedSamples);
            await Task.Delay(5);
        }
        return max;
    });

    public async Task<long> StopAsync()
    {
        await stop.CancelAsync();
        var max = await loop;
        stop.Dispose();
        return max;
    }
}

// Overload behaviour: a timed-out request's unstarted samples are dropped, a retry of a timed-out batch joins
// the work instead of queueing it again (OpenRLHF: 5 tries, 1 s apart), the backlog is bounded (fast 503),
// shutdown is prompt with a backlog, one request spreads over the verifier threads, and the limits answer
// 413 with a message. The judge is a slow fake (it sleeps per sample and counts calls) so the tests measure
// the server's scheduling, not the verifier.
using ReasonRL.Rewards.Sources;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class OverloadTests
{
    /// <summary>A judge that sleeps per call and records calls and threads; "correct" when response == gold.</summary>
    private sealed class SlowJudge(TimeSpan perCall)
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public ConcurrentDictionary<int, bool> Threads { get; } = new();

        public ManualResetEventSlim? Gate { get; init; }

        public SuccessJudgement Judge(string response, string gold)
        {
            Interlocked.Increment(ref calls);
            Threads[Environment.CurrentManagedThreadId] = true;
            Gate?.Wait(TimeSpan.FromSeconds(30));
            Thread.Sleep(perCall);
            return new SuccessJudgement(response == gold ? SuccessVerdict.Correct : SuccessVerdict.Incorrect);
        }
    }

    private static string Batch(int n, string tag) => JsonSerializer.Serialize(new Dictionary<string, string[]>
    {
        ["query"] = Enumerable.Range(0, n).Select(i => $"{tag}{i}").ToArray(),
        ["labels"] = Enumerable.Range(0, n).Select(i => $"{tag}{i}").ToArray(),
    });

    [Fact]
    public async Task TimedOutRequest_ItsUnstartedSamplesAreDropped()
    {
        var judge = new SlowJudge(TimeSpan.FromMilliseconds(50));
        await using var server = await TestServers.StartAsync(judge.Judge, new ServerOptions(Port: 0, VerifierThreads: 1, RequestTimeout: TimeSpan.FromMilliseconds(300),
            RetryWindow: TimeSpan.FromMilliseconds(100)));
        using var http = new HttpClient();
        var (status, body) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), Batch(100, "a")); // 5 s of work
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("deadline", body!["error"]!.GetValue<string>());
        await TestServers.WaitUntil(() => server.AdmittedSamples == 0, 5);
        var calls = judge.Calls;
        Assert.True(calls < 30, $"{calls} of 100 samples were verified after the request timed out; expected the unstarted ones dropped");
        await Task.Delay(300);
        Assert.Equal(calls, judge.Calls); // nothing runs after the cancellation
        Assert.True(server.Pool.Skipped >= 100 - calls - 1, $"skipped {server.Pool.Skipped}");
    }

    [Fact]
    public async Task RetriesOfATimedOutBatch_JoinTheWork_BacklogDoesNotGrow_NoSampleIsVerifiedTwice()
    {
        var judge = new SlowJudge(TimeSpan.FromMilliseconds(15));
        await using var server = await TestServers.StartAsync(judge.Judge, new ServerOptions(Port: 0, VerifierThreads: 1, RequestTimeout: TimeSpan.FromMilliseconds(400),
            RetryWindow: TimeSpan.FromSeconds(5)));
        using var http = new HttpClient();
        var body = Batch(100, "r"); // 1.5 s of work on one thread: the first tries time out
        var backlog = new BacklogWatch(server);
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 8; attempt++) // OpenRLHF's loop: try, on error sleep, try again (300 ms here, 1 s there)
        {
            var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), body);
            statuses.Add(status);
            if (status == HttpStatusCode.OK)
            {
                Assert.All(json!["rewards"]!.AsArray(), r => Assert.Equal(1.0, r!.GetValue<double>()));
                break;
            }
            await Task.Delay(300);
        }
        var maxAdmitted = await backlog.StopAsync();
        Assert.Equal(HttpStatusCode.OK, statuses[^1]);
        Assert.True(statuses.Count >= 2, "the first try should have timed out");
        Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
        Assert.Equal(100, judge.Calls);     // every sample verified once, whatever the number of tries
        Assert.Equal(100, maxAdmitted);     // the retries never queued the batch again
        var metrics = await http.GetStringAsync(new Uri(server.Address, "/metrics"));
        Assert.Contains($"reasonrl_retry_joins_total {statuses.Count - 1}", metrics);
    }

    [Fact]
    public async Task QueueFull_NewWorkGetsAFast503_ThenIsServedOnceItDrains()
    {
        var gate = new ManualResetEventSlim(false);
        var judge = new SlowJudge(TimeSpan.Zero) { Gate = gate };
        await using var server = await TestServers.StartAsync(judge.Judge, new ServerOptions(Port: 0, VerifierThreads: 1, MaxSamplesPerRequest: 10, MaxQueuedSamples: 10));
        using var http = new HttpClient();
        var url = new Uri(server.Address, "/get_reward");
        var held = ProtocolTests.PostAsync(http, url, Batch(10, "h"));
        await TestServers.WaitUntil(() => server.AdmittedSamples == 10);
        var clock = Stopwatch.StartNew();
        var (status, body) = await ProtocolTests.PostAsync(http, url, Batch(1, "x"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the overload answer took {clock.Elapsed}");
        Assert.Contains("--max-queued-samples", body!["error"]!.GetValue<string>());
        gate.Set();
        Assert.Equal(HttpStatusCode.OK, (await held).Status);
        Assert.Equal(HttpStatusCode.OK, (await ProtocolTests.PostAsync(http, url, Batch(1, "x"))).Status);
    }

    [Fact]
    public async Task Shutdown_WithABacklog_IsPrompt()
    {
        var judge = new SlowJudge(TimeSpan.FromMilliseconds(100));
        var server = await TestServers.StartAsync(judge.Judge, new ServerOptions(Port: 0, VerifierThreads: 1, RequestTimeout: TimeSpan.FromSeconds(60),
            ShutdownTimeout: TimeSpan.FromSeconds(1)));
        using var http = new HttpClient();
        var url = new Uri(server.Address, "/get_reward");
        var posts = Enumerable.Range(0, 3).Select(i => ProtocolTests.PostAsync(http, url, Batch(100, $"s{i}"))).ToArray(); // 30 s of work
        await TestServers.WaitUntil(() => server.AdmittedSamples == 300);
        var clock = Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"shutdown took {clock.Elapsed} with a 1 s shutdown timeout");
        var calls = judge.Calls;
        Assert.True(calls < 40, $"{calls} samples verified; the backlog should have been cancelled");
        await Task.Delay(300);
        Assert.True(judge.Calls <= calls + 1, "verification went on after shutdown");
        foreach (var p in posts)
        {
            try
            {
                var (status, _) = await p;
                Assert.NotEqual(HttpStatusCode.OK, status);
            }
            catch (HttpRequestException)
            {
                // the connection was closed: also a prompt end
            }
        }
    }

    [Fact]
    public async Task OneRequest_SpreadsOverTheVerifierThreads()
    {
        var judge = new SlowJudge(TimeSpan.FromMilliseconds(20));
        await using var server = await TestServers.StartAsync(judge.Judge, new ServerOptions(Port: 0, VerifierThreads: 3));
        using var http = new HttpClient();
        var (status, _) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), Batch(30, "p"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(30, judge.Calls);
        Assert.Equal(3, judge.Threads.Count);
    }

    [Fact]
    public async Task ListenBacklog_IsWideEnoughForAConnectionPerTryStorm()
    {
        // OpenRLHF opens a connection per try; with Kestrel's default 512 an overloaded server's accept queue overflowed
        // (the kernel dropped handshakes: resets and SYN retries at the client, docs/serve.md)
        await using var server = await TestServers.StartAsync(new SlowJudge(TimeSpan.Zero).Judge, new ServerOptions(Port: 0));
        Assert.Equal(RewardServer.ListenBacklog, server.ConfiguredListenBacklog);
        Assert.True(RewardServer.ListenBacklog >= 4096);
    }

    [Fact]
    public async Task TooManySamples_Gets413NamingTheLimit()
    {
        var judge = new SlowJudge(TimeSpan.Zero);
        await using var server = await TestServers.StartAsync(judge.Judge, new ServerOptions(Port: 0, MaxSamplesPerRequest: 4));
        using var http = new HttpClient();
        var (status, body) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), Batch(5, "m"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("--max-samples-per-request", body!["error"]!.GetValue<string>());
        Assert.Equal(0, judge.Calls);
        var (ok, _) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), Batch(4, "m"));
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task DefaultBodyLimit_TakesA512SampleChainOfThoughtBatch()
    {
        Assert.True(new ServerOptions().MaxBodyBytes >= 64L * 1024 * 1024);
        var judge = new SlowJudge(TimeSpan.Zero);
        await using var server = await TestServers.StartAsync(judge.Judge, new ServerOptions(Port: 0));
        using var http = new HttpClient();
        // 512 samples of 24 KB each (≈ 12 MiB, above the old 8 MiB default)
        var queries = Enumerable.Range(0, 512).Select(i => new string('x', 24 * 1024) + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var body = JsonSerializer.Serialize(new Dictionary<string, string[]> { ["query"] = queries, ["labels"] = queries });
        Assert.True(body.Length > 8 * 1024 * 1024);
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), body);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(512, json!["rewards"]!.AsArray().Count);
    }
}

// VerifierPool's partitioned loop and RewardService on it: one request's per-sample work — making the sample (for
// /get_reward: decoding it, stripping the query, locating the prompt), splitting, verifying — runs on more than one
// verifier thread, every index once, results in sample order and equal to one thread's; a cancelled loop drops its
// unstarted samples; a throwing body fails the loop. "More than one thread" is forced, not timed: the first sample
// waits until a second verifier thread has started a sample, which only a pool that spreads one request can do.
using ReasonRL.Rewards.Sources;
using System.Collections.Concurrent;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class VerifierPoolTests
{
    /// <summary>Records the threads that enter it; each entry waits (up to 30 s) until two distinct threads have entered.</summary>
    private sealed class TwoThreadGate
    {
        private readonly ManualResetEventSlim two = new(false);

        public ConcurrentDictionary<string, int> Threads { get; } = new();

        public void Enter()
        {
            Threads.AddOrUpdate(Thread.CurrentThread.Name ?? "unnamed", 1, (_, n) => n + 1);
            if (Threads.Count >= 2) two.Set();
            two.Wait(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task ForAsync_RunsEveryIndexOnce_OnMoreThanOneVerifierThread()
    {
        using var pool = new VerifierPool(2);
        var gate = new TwoThreadGate();
        var runs = new int[100];
        await pool.ForAsync(runs.Length, i =>
        {
            gate.Enter();
            Interlocked.Increment(ref runs[i]);
        }, CancellationToken.None);
        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.Equal(2, gate.Threads.Count);
        Assert.All(gate.Threads.Keys, name => Assert.StartsWith(VerifierPool.ThreadNamePrefix, name));
        Assert.Equal(0, pool.Pending);
    }

    [Fact]
    public async Task OneRequest_SampleMakingAndVerifying_RunOnMoreThanOneThread_ResultsInOrderAndAsOnOneThread()
    {
        // OpenRLHF-shaped samples: sampleAt strips and locates the prompt, as /get_reward's does
        var queries = new OpenRlhfQueries(["<|endoftext|>", "<|im_end|>"]);
        var gold = Enumerable.Range(0, 64).Select(i => (i * 7 % 13).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        string Prompt(int i) => $"<|im_start|>user\nProblem {i}<|im_end|>\n<|im_start|>assistant\n";
        string Query(int i) => "<|endoftext|><|endoftext|>" + Prompt(i) + $"step one\nso \\boxed{{{(i % 3 == 0 ? "99" : gold[i])}}}<|im_end|>";
        var gate = new TwoThreadGate();
        ServiceSample Make(int i, bool wait)
        {
            if (wait) gate.Enter();
            return new ServiceSample(Prompt(i), queries.Response(Query(i), Prompt(i), i), gold[i]);
        }
        using var many = new VerifierPool(3);
        using var one = new VerifierPool(1);
        var spread = await new RewardService(RewardService.DefaultConfig, MathVerifierJudge.Create(), null, many)
            .ScoreAsync(gold.Length, i => Make(i, wait: true), CancellationToken.None);
        var single = await new RewardService(RewardService.DefaultConfig, MathVerifierJudge.Create(), null, one)
            .ScoreAsync(gold.Length, i => Make(i, wait: false), CancellationToken.None);
        Assert.True(gate.Threads.Count >= 2, $"samples were made on {gate.Threads.Count} thread(s)");
        Assert.All(gate.Threads.Keys, name => Assert.StartsWith(VerifierPool.ThreadNamePrefix, name));
        Assert.Equal(gold.Length, gate.Threads.Values.Sum());
        for (var i = 0; i < gold.Length; i++)
        {
            Assert.Null(spread[i].ErrorKind);
            Assert.Equal(i % 3 == 0 ? 0.0 : 1.0, spread[i].Diagnostics!.TotalReturn);
            Assert.Equal(single[i].Diagnostics!.TotalReturn, spread[i].Diagnostics!.TotalReturn);
            Assert.Equal(2, spread[i].Diagnostics!.StepCount);
        }
    }

    [Fact]
    public async Task VerifierThreads_RunNicerThanTheProcess_OnLinux()
    {
        // the request path must win the cores from scoring when both want them (an overloaded server refuses fast)
        var processNice = ThreadNice.CurrentThreadNice();
        using var pool = new VerifierPool(2);
        var seen = new ConcurrentBag<int?>();
        await pool.ForAsync(64, _ => seen.Add(ThreadNice.CurrentThreadNice()), CancellationToken.None);
        if (OperatingSystem.IsLinux())
        {
            Assert.NotNull(processNice);
            Assert.All(seen, n => Assert.Equal(Math.Min(19, processNice!.Value + VerifierPool.Nice), n));
        }
        else
        {
            Assert.All(seen, n => Assert.Null(n));
        }
    }

    [Fact]
    public async Task CancelledBeforeAThreadTakesIt_EverySampleIsDropped()
    {
        using var pool = new VerifierPool(2);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var ran = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pool.ForAsync(50, _ => Interlocked.Increment(ref ran), cancelled.Token));
        Assert.Equal(0, ran);
        Assert.Equal(50, pool.Skipped);
        Assert.Equal(0, pool.Pending);
    }

    [Fact]
    public async Task ABodyThatThrows_FailsTheLoopWithItsException()
    {
        using var pool = new VerifierPool(2);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => pool.ForAsync(20, i =>
        {
            if (i == 7) throw new InvalidOperationException("sample 7");
        }, CancellationToken.None));
        Assert.Equal("sample 7", e.Message);
        Assert.Equal(0, pool.Pending);
    }
}

// BatchingRewardSource: concurrent requests are coalesced into one model call, and each caller gets
// its own slice back in order — directly and through the HTTP server.
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using System.Text.Json.Nodes;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class BatchingTests
{
    private static RewardSample Sample(string response) => new("", response, null, new StepSplitter(StepSplitOptions.Lines).Split(response));

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition(), "condition not reached within 10 s");
    }

    [Fact]
    public async Task ConcurrentCalls_QueuedWhileModelBusy_AreScoredInOneBatch_EachGetsItsSlice()
    {
        var prm = new RecordingPrm { Hold = new TaskCompletionSource() };
        await using var batcher = new BatchingRewardSource(prm, maxBatch: 64, window: TimeSpan.Zero);
        var first = batcher.ScoreAsync([Sample("a")]);
        await WaitUntil(() => prm.BatchSizes.Count == 1); // model is now busy with the first call
        var rest = Enumerable.Range(0, 7).Select(i => batcher.ScoreAsync([Sample(new string('x', i + 1)), Sample("p\nq")])).ToArray();
        await WaitUntil(() => batcher.Queued == 7);
        prm.Hold.SetResult();
        await first;
        var results = await Task.WhenAll(rest);
        Assert.Equal([1, 14], prm.BatchSizes.ToArray()); // 7 requests × 2 samples coalesced into one model call
        for (var i = 0; i < 7; i++)
        {
            var response = new string('x', i + 1);
            Assert.Equal([RecordingPrm.ScoreOf(response, 0)], results[i][0].StepScores);
            Assert.Equal([RecordingPrm.ScoreOf("p\nq", 0), RecordingPrm.ScoreOf("p\nq", 1)], results[i][1].StepScores);
        }
        Assert.Equal(2, batcher.Batches);
        Assert.Equal(15, batcher.BatchedSamples);
    }

    [Fact]
    public async Task MaxBatch_SplitsQueuedCallsAcrossModelCalls()
    {
        var prm = new RecordingPrm { Hold = new TaskCompletionSource() };
        await using var batcher = new BatchingRewardSource(prm, maxBatch: 3, window: TimeSpan.Zero);
        var first = batcher.ScoreAsync([Sample("a")]);
        await WaitUntil(() => prm.BatchSizes.Count == 1);
        var rest = Enumerable.Range(0, 6).Select(_ => batcher.ScoreAsync([Sample("b")])).ToArray();
        await WaitUntil(() => batcher.Queued == 6);
        prm.Hold.SetResult();
        await first;
        await Task.WhenAll(rest);
        Assert.Equal([1, 3, 3], prm.BatchSizes.ToArray());
    }

    [Fact]
    public async Task CallerCancelledWhileQueued_CostsNoModelTime_OthersAreScored()
    {
        var prm = new RecordingPrm { Hold = new TaskCompletionSource() };
        await using var batcher = new BatchingRewardSource(prm, maxBatch: 64, window: TimeSpan.Zero);
        var first = batcher.ScoreAsync([Sample("a")]);
        await WaitUntil(() => prm.BatchSizes.Count == 1);
        using var gone = new CancellationTokenSource();
        var abandoned = batcher.ScoreAsync([Sample("b"), Sample("c")], gone.Token);
        var kept = batcher.ScoreAsync([Sample("d")]);
        await WaitUntil(() => batcher.Queued == 2);
        await gone.CancelAsync();
        prm.Hold.SetResult();
        await first;
        Assert.Single(await kept);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal([1, 1], prm.BatchSizes.ToArray()); // the abandoned two samples never reached the model
    }

    [Fact]
    public async Task InnerFailure_FailsEveryCallerOfThatBatch_LaterBatchesStillWork()
    {
        var failing = new ThrowOnceSource();
        await using var batcher = new BatchingRewardSource(failing, 8, TimeSpan.Zero);
        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.ScoreAsync([Sample("a")]));
        var ok = await batcher.ScoreAsync([Sample("a")]);
        Assert.Equal(ScoreStatus.Ok, Assert.Single(ok).Status);
    }

    [Fact]
    public async Task ConcurrentHttpRequests_AreCoalescedIntoFewerModelCalls()
    {
        var prm = new RecordingPrm { Hold = new TaskCompletionSource() };
        await using var server = await TestServers.StartAsync(TestServers.ClipDelta, prm, new ServerOptions(Port: 0, ModelBatchWindow: TimeSpan.FromMilliseconds(1)));
        using var http = new HttpClient();
        var url = new Uri(server.Address, "/v1/rewards");
        Task<(System.Net.HttpStatusCode, JsonNode?)> Post(int i) => ProtocolTests.PostAsync(http, url,
            $$"""{"version": 1, "samples": [{"prompt": "", "response": "step {{i}}\n\\boxed{{{i}}}", "gold": "{{i}}"}]}""");
        var first = Post(0);
        await WaitUntil(() => prm.BatchSizes.Count == 1);
        var rest = Enumerable.Range(1, 8).Select(Post).ToArray();
        await WaitUntil(() => QueuedOf(server) == 8);
        prm.Hold.SetResult();
        var all = await Task.WhenAll(rest.Prepend(first));
        Assert.All(all, r => Assert.Equal(System.Net.HttpStatusCode.OK, r.Item1));
        Assert.Equal([1, 8], prm.BatchSizes.ToArray());
        for (var i = 0; i < all.Length; i++)
        {
            var result = all[i].Item2!["results"]![0]!;
            Assert.Equal("correct", result["verdict"]!.GetValue<string>());
            var response = $"step {i}\n\\boxed{{{i}}}";
            Assert.Equal(RecordingPrm.ScoreOf(response, 1), result["raw_step_scores"]![1]!.GetValue<double>());
        }
    }

    private static int QueuedOf(RewardServer server) => server.ModelBatcher!.Queued;

    private sealed class ThrowOnceSource : IRewardSource
    {
        private int calls;

        public string Name => "throw-once";

        public Task<IReadOnlyList<SampleScore>> ScoreAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("model crashed")
                : Task.FromResult<IReadOnlyList<SampleScore>>(batch.Select(_ => new SampleScore { StepScores = [0.5] }).ToArray());
    }
}

// BatchingRewardSource: coalesces concurrent ScoreAsync calls into one call of an inner batched
// scorer (a PRM/ORM: one forward pass over many responses is far cheaper than many small ones,
// docs/reward-methods.md §8). A single loop takes the first waiting request, then keeps taking requests
// already queued or arriving within the window until MaxBatch samples, scores them in one inner call
// and hands each caller its slice, in order. An inner failure fails every caller of that batch. A caller
// cancelled while queued is dropped before the model call.
// Not a model: the inner IRewardSource is pluggable (tests use a fake that records batch sizes).
using ReasonRL.Rewards.Sources;
using System.Threading.Channels;

namespace ReasonRL.Server;

public sealed class BatchingRewardSource : IRewardSource, IAsyncDisposable
{
    private sealed record Pending(IReadOnlyList<RewardSample> Samples, TaskCompletionSource<IReadOnlyList<SampleScore>> Done, CancellationToken Token);

    private readonly IRewardSource inner;
    private readonly int maxBatch;
    private readonly TimeSpan window;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;
    private int queued;
    private long batches;
    private long batchedSamples;

    /// <param name="inner">The batched scorer called once per coalesced batch.</param>
    /// <param name="maxBatch">Most samples per inner call (a single larger request is still sent whole).</param>
    /// <param name="window">How long to wait for more requests after the first; e.g. 2 ms.</param>
    public BatchingRewardSource(IRewardSource inner, int maxBatch, TimeSpan window)
    {
        this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
        if (maxBatch < 1) throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "expected ≥ 1");
        if (window < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(window), window, "expected ≥ 0");
        this.maxBatch = maxBatch;
        this.window = window;
        loop = Task.Run(RunAsync);
    }

    public string Name => $"batched:{inner.Name}";

    /// <summary>Requests waiting for the next batch (tests use it to know all callers are queued).</summary>
    public int Queued => Volatile.Read(ref queued);

    public long Batches => Interlocked.Read(ref batches);

    public long BatchedSamples => Interlocked.Read(ref batchedSamples);

    public Task<IReadOnlyList<SampleScore>> ScoreAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return Task.FromResult<IReadOnlyList<SampleScore>>([]);
        var done = new TaskCompletionSource<IReadOnlyList<SampleScore>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref queued);
        if (!queue.Writer.TryWrite(new Pending(batch, done, cancellationToken)))
        {
            Interlocked.Decrement(ref queued);
            throw new ObjectDisposedException(nameof(BatchingRewardSource));
        }
        // The caller may stop waiting: while still queued its samples are dropped (ScoreGroupAsync); once its
        // batch is being scored, that batch is still scored for the others.
        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var group = new List<Pending>();
            var count = 0;
            while (count < maxBatch && reader.TryRead(out var next))
            {
                group.Add(next);
                count += next.Samples.Count;
            }
            if (count < maxBatch && window > TimeSpan.Zero)
            {
                using var wait = new CancellationTokenSource(window);
                try
                {
                    while (count < maxBatch && await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                    {
                        while (count < maxBatch && reader.TryRead(out var next))
                        {
                            group.Add(next);
                            count += next.Samples.Count;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // window over: score what we have
                }
            }
            Interlocked.Add(ref queued, -group.Count);
            await ScoreGroupAsync(group, count).ConfigureAwait(false);
        }
    }

    private async Task ScoreGroupAsync(List<Pending> group, int count)
    {
        // callers cancelled while queued (timed out, disconnected) cost no model time
        foreach (var p in group.Where(p => p.Token.IsCancellationRequested)) p.Done.TrySetCanceled(p.Token);
        group.RemoveAll(p => p.Token.IsCancellationRequested);
        count = group.Sum(p => p.Samples.Count);
        if (count == 0) return;
        var all = new List<RewardSample>(count);
        foreach (var p in group) all.AddRange(p.Samples);
        try
        {
            var scores = await inner.ScoreAsync(all).ConfigureAwait(false);
            if (scores.Count != all.Count)
            {
                throw new InvalidOperationException($"batched scorer '{inner.Name}' returned {scores.Count} score(s) for {all.Count} sample(s)");
            }
            Interlocked.Increment(ref batches);
            Interlocked.Add(ref batchedSamples, all.Count);
            var offset = 0;
            foreach (var p in group)
            {
                var slice = new SampleScore[p.Samples.Count];
                for (var i = 0; i < slice.Length; i++) slice[i] = scores[offset + i];
                offset += slice.Length;
                p.Done.TrySetResult(slice);
            }
        }
        catch (Exception e)
        {
            foreach (var p in group) p.Done.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }
}

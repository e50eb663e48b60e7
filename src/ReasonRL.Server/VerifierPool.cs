// VerifierPool: a fixed set of dedicated threads that run CPU-bound per-sample work (step split + verifier)
// from one FIFO queue, so one large request (OpenRLHF sends one per server per step) spreads across every
// verifier thread, and concurrent requests share them fairly in arrival order.
// Cancellation: an item whose token is cancelled before a thread takes it is dropped without running
// (a timed-out or abandoned request's samples that have not started cost nothing); a running item finishes.
// Not admission control (RewardServer bounds how many samples may be queued) and not batching of model calls.
using System.Threading.Channels;

namespace ReasonRL.Server;

public sealed class VerifierPool : IDisposable
{
    private sealed record Item(Action Work, CancellationToken Token, TaskCompletionSource Done);

    private readonly Channel<Item> queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Thread[] threads;
    private long pending;
    private long skipped;

    /// <param name="threads">Worker threads (≥ 1).</param>
    public VerifierPool(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "expected ≥ 1");
        this.threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            this.threads[i] = new Thread(Run) { IsBackground = true, Name = $"reasonrl-verifier-{i}" };
            this.threads[i].Start();
        }
    }

    public int Threads => threads.Length;

    /// <summary>Items queued and not yet taken by a thread.</summary>
    public long Pending => Interlocked.Read(ref pending);

    /// <summary>Items dropped unrun because their request was cancelled first.</summary>
    public long Skipped => Interlocked.Read(ref skipped);

    /// <summary>Runs each work item on the pool; completes when all have run (or throws
    /// OperationCanceledException when the token was cancelled before some started).</summary>
    public Task RunAllAsync(IReadOnlyList<Action> work, CancellationToken cancellationToken)
    {
        var tasks = new Task[work.Count];
        for (var i = 0; i < work.Count; i++)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            tasks[i] = done.Task;
            Interlocked.Increment(ref pending);
            if (!queue.Writer.TryWrite(new Item(work[i], cancellationToken, done)))
            {
                Interlocked.Decrement(ref pending);
                done.SetException(new ObjectDisposedException(nameof(VerifierPool)));
            }
        }
        return Task.WhenAll(tasks);
    }

    private void Run()
    {
        var reader = queue.Reader;
        while (true)
        {
            Item? item;
            try
            {
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) return;
            }
            catch (ChannelClosedException)
            {
                return;
            }
            while (reader.TryRead(out item))
            {
                Interlocked.Decrement(ref pending);
                if (item.Token.IsCancellationRequested)
                {
                    Interlocked.Increment(ref skipped);
                    item.Done.TrySetCanceled(item.Token);
                    continue;
                }
                try
                {
                    item.Work();
                    item.Done.TrySetResult();
                }
                catch (Exception e)
                {
                    item.Done.TrySetException(e);
                }
            }
        }
    }

    public void Dispose() => queue.Writer.TryComplete();
}

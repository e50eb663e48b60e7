// VerifierPool: a fixed set of dedicated threads that run the CPU-bound per-sample work of requests (decode the
// sample, strip the query and locate the prompt, split steps, verify, shape) as partitioned loops over the samples,
// taken from one FIFO queue. A request's loop is offered to every thread; each thread claims the next chunk of
// sample indices until none is left, so one large request (OpenRLHF sends one per server per step) keeps every
// verifier thread busy, and concurrent requests share the threads in arrival order.
// Why chunks, not one queue item per sample: at ~10 µs of verification per OpenRLHF sample, a queue item, a task
// and a wake-up per sample cost as much as the work itself (issue 16, profiled: 512 samples, 5.5 ms of split +
// verify took 14–20 ms of CPU as 512 items).
// Cancellation: a sample whose loop's token is cancelled before a thread starts it is dropped without running
// (a timed-out or abandoned request's samples that have not started cost nothing); a running sample finishes.
// Not admission control (RewardServer bounds how many samples may be queued) and not batching of model calls.
using System.Threading.Channels;

namespace ReasonRL.Server;

public sealed class VerifierPool : IDisposable
{
    /// <summary>One request's loop: body(i) for i in [0, Count), claimed in chunks by whichever threads take it.</summary>
    private sealed class Loop(int count, int chunk, Action<int> body, CancellationToken token)
    {
        private int next;
        private int finished;
        private Exception? failure;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Claims and runs chunks until none is left, keeping the pool's Pending and Skipped counts.</summary>
        public void Work(VerifierPool pool)
        {
            while (true)
            {
                var start = Interlocked.Add(ref next, chunk) - chunk;
                if (start >= count) return;
                var end = Math.Min(count, start + chunk);
                Interlocked.Add(ref pool.pending, start - end);
                var i = start;
                for (; i < end && !token.IsCancellationRequested && Volatile.Read(ref failure) is null; i++)
                {
                    try
                    {
                        body(i);
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                    }
                }
                if (i < end) Interlocked.Add(ref pool.skipped, end - i);
                if (Interlocked.Add(ref finished, end - start) == count) Complete();
            }
        }

        private void Complete()
        {
            if (failure is { } e) Done.TrySetException(e);
            else if (token.IsCancellationRequested) Done.TrySetCanceled(token);
            else Done.TrySetResult();
        }
    }

    private readonly Channel<Loop> queue = Channel.CreateUnbounded<Loop>(new UnboundedChannelOptions { SingleReader = false });
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
            this.threads[i] = new Thread(Run) { IsBackground = true, Name = $"{ThreadNamePrefix}{i}" };
            this.threads[i].Start();
        }
    }

    /// <summary>The name of every verifier thread starts with this.</summary>
    public const string ThreadNamePrefix = "reasonrl-verifier-";

    public int Threads => threads.Length;

    /// <summary>Samples queued and not yet taken by a thread.</summary>
    public long Pending => Interlocked.Read(ref pending);

    /// <summary>Samples dropped unrun because their request was cancelled first (or an earlier sample of the loop threw).</summary>
    public long Skipped => Interlocked.Read(ref skipped);

    /// <summary>Runs <paramref name="body"/>(i) for every i in [0, <paramref name="count"/>) on the pool's threads, each
    /// index once, spread over every thread; completes when all have run, or throws OperationCanceledException when the
    /// token was cancelled before some started, or the first exception a body threw (the samples not yet started are
    /// then dropped). A body writes its result to index i of its own arrays, so results stay in sample order.</summary>
    public Task ForAsync(int count, Action<int> body, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(body);
        if (count == 0) return Task.CompletedTask;
        // about 8 chunks per thread: small enough that the threads finish together, large enough that claiming is rare
        var chunk = Math.Clamp(count / (8 * threads.Length), 1, 64);
        var loop = new Loop(count, chunk, body, cancellationToken);
        Interlocked.Add(ref pending, count);
        var offers = Math.Min(threads.Length, (count + chunk - 1) / chunk);
        for (var k = 0; k < offers; k++)
        {
            if (!queue.Writer.TryWrite(loop))
            {
                Interlocked.Add(ref pending, -count);
                return Task.FromException(new ObjectDisposedException(nameof(VerifierPool)));
            }
        }
        return loop.Done.Task;
    }

    /// <summary>How much nicer than the process every verifier thread runs on Linux (ThreadNice): when scoring keeps every
    /// core busy, the request path (accepts, headers, admission's fast 503, answers) runs first. 10 nice levels make a
    /// thread weigh about a tenth of the others in Linux's scheduler; with nothing else to run, the verifier threads still
    /// get whole cores. Measured (docs/serve.md, overload at 3x capacity): with the listen backlog, the slowest refusal at
    /// the client went from 7.0 s to 3.5 s.</summary>
    public const int Nice = 10;

    private void Run()
    {
        ThreadNice.TryLowerCurrentThread(Nice);
        var reader = queue.Reader;
        while (true)
        {
            try
            {
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) return;
            }
            catch (ChannelClosedException)
            {
                return;
            }
            while (reader.TryRead(out var loop))
            {
                loop.Work(this);
            }
        }
    }

    public void Dispose() => queue.Writer.TryComplete();
}

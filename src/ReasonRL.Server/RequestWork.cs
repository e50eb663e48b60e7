// RequestWork: scoring work keyed by (path, body hash), so a retry never doubles the work.
// OpenRLHF retries a failed POST 5 times, 1 s apart, with the same body; verl retries likewise. Rules:
//   * a request whose identical body is being scored joins that work (no new samples are queued);
//   * a finished answer (status < 500) is kept for the retry window, so a retry after a 503 timeout gets
//     the answer the first try paid for;
//   * when the last waiter leaves (its deadline passed or its client disconnected) the work is kept for the
//     retry window for a retry to join, then cancelled: its samples that have not started are dropped
//     (VerifierPool skips them), so abandoned work never piles up behind new requests;
//   * admission is decided under the same lock, so a retry that joins is never refused as overload;
//   * MayHold says, from the body's length alone, whether a request could be a retry of held work, so the server can
//     refuse every other request before it reads the body; for a request of a held length, from its first HeadBytes
//     too, so one that only shares a length with held work (distinct batches of one size) is refused after reading
//     those bytes instead of its whole body and a SHA-256 of it.
// Not HTTP: the caller maps the outcomes to statuses.
using System.Security.Cryptography;

namespace ReasonRL.Server;

/// <summary>A finished answer: HTTP status, JSON body, and for a failure its kind and message.</summary>
public sealed record Reply(int Status, byte[] Body, string? ErrorKind = null, string? Message = null);

public sealed class RequestWork : IDisposable
{
    public sealed class Entry
    {
        internal Entry(CancellationTokenSource cancel, string path, long length, byte[] head)
        {
            Cancel = cancel;
            Path = path;
            Length = length;
            Head = head;
        }

        internal CancellationTokenSource Cancel { get; }

        /// <summary>The request's path (a retry resends to the same path).</summary>
        internal string Path { get; }

        /// <summary>The body's length in bytes (a retry resends the identical body).</summary>
        internal long Length { get; }

        /// <summary>The body's first <see cref="HeadBytes"/> bytes (all of a shorter body).</summary>
        internal byte[] Head { get; }

        internal int Waiters;

        internal long ExpiresAt = long.MaxValue;

        public Task<Reply> Task { get; internal set; } = null!;
    }

    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly TimeSpan window;
    private readonly CancellationToken stopping;

    /// <param name="window">How long abandoned work waits for a retry, and a finished answer is kept.</param>
    /// <param name="stopping">Cancels all work (server shutdown).</param>
    public RequestWork(TimeSpan window, CancellationToken stopping)
    {
        this.window = window;
        this.stopping = stopping;
    }

    /// <summary>Work items held (running, abandoned within the window, or finished and cached).</summary>
    public int Count
    {
        get
        {
            lock (gate) return entries.Count;
        }
    }

    /// <summary>Bytes of a body's start kept with its work: a request whose first bytes differ cannot be a retry of it.
    /// Distinct batches differ within them (OpenRLHF's queries start with their prompts after any left padding; a
    /// 512-sample batch is about 1 MB).</summary>
    public const int HeadBytes = 16 * 1024;

    public static string Key(string path, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return path + ":" + Convert.ToHexString(hash);
    }

    /// <summary>True when held work (running, or answered within the window) on <paramref name="path"/> has a body of
    /// <paramref name="length"/> bytes that starts with <paramref name="head"/> (any start when empty), so a request with
    /// that Content-Length and those first bytes may be a retry that joins it.</summary>
    public bool MayHold(string path, long length, ReadOnlySpan<byte> head = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (gate)
        {
            Prune();
            foreach (var e in entries.Values)
            {
                if (e.Length == length && !e.Cancel.IsCancellationRequested && string.Equals(e.Path, path, StringComparison.Ordinal)
                    && e.Head.AsSpan().StartsWith(head)) return true;
            }
            return false;
        }
    }

    /// <summary>Joins the work for <paramref name="key"/> when there is some (running, or answered within the window);
    /// null otherwise. Call <see cref="Leave"/> once the caller stops waiting.</summary>
    public Entry? TryJoin(string key)
    {
        lock (gate)
        {
            Prune();
            if (!entries.TryGetValue(key, out var existing) || existing.Cancel.IsCancellationRequested) return null;
            existing.Waiters++;
            return existing;
        }
    }

    /// <summary>Joins the work for <paramref name="key"/>, or (when none) asks <paramref name="admit"/> and starts
    /// <paramref name="start"/>. Returns null when a new start was refused (overload); Joined says whether it
    /// joined existing work. <paramref name="release"/> runs when started work ends, told whether it finished with an
    /// answer (status &lt; 500). Call <see cref="Leave"/> once the caller stops waiting.</summary>
    public (Entry? Entry, bool Joined) JoinOrStart(string key, string path, ReadOnlySpan<byte> body, Func<bool> admit, Func<CancellationToken, Task<Reply>> start, Action<bool> release)
    {
        ArgumentNullException.ThrowIfNull(path);
        Entry entry;
        lock (gate)
        {
            Prune();
            if (entries.TryGetValue(key, out var existing) && !existing.Cancel.IsCancellationRequested)
            {
                existing.Waiters++;
                return (existing, true);
            }
            if (!admit()) return (null, false);
            entry = new Entry(CancellationTokenSource.CreateLinkedTokenSource(stopping), path, body.Length, body[..Math.Min(body.Length, HeadBytes)].ToArray()) { Waiters = 1 };
            entries[key] = entry;
            entry.Task = RunAsync(key, entry, start, release); // returns at its first await (Task.Yield)
        }
        return (entry, false);
    }

    private async Task<Reply> RunAsync(string key, Entry entry, Func<CancellationToken, Task<Reply>> start, Action<bool> release)
    {
        await Task.Yield();
        var answered = false;
        try
        {
            var reply = await start(entry.Cancel.Token).ConfigureAwait(false);
            answered = reply.Status < 500;
            lock (gate)
            {
                if (reply.Status >= 500) Remove(key, entry);
                else entry.ExpiresAt = Environment.TickCount64 + (long)window.TotalMilliseconds;
            }
            return reply;
        }
        catch
        {
            lock (gate) Remove(key, entry);
            throw;
        }
        finally
        {
            release(answered);
            // unregisters the linked source from the server's stopping token (one registration per request otherwise
            // stays for the server's lifetime); a late CancelIfAbandoned meets ObjectDisposedException and ignores it
            entry.Cancel.Dispose();
        }
    }

    /// <summary>The caller stopped waiting; when no one waits for unfinished work, it is cancelled after the window.</summary>
    public void Leave(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (gate)
        {
            entry.Waiters--;
            if (entry.Waiters > 0 || entry.Task.IsCompleted) return;
        }
        if (window <= TimeSpan.Zero)
        {
            CancelIfAbandoned(entry);
            return;
        }
        _ = System.Threading.Tasks.Task.Delay(window, stopping).ContinueWith(_ => CancelIfAbandoned(entry), TaskScheduler.Default);
    }

    /// <summary>Cancels every unfinished work nobody waits for (shutdown: no retry will come).</summary>
    public void CancelAbandoned()
    {
        Entry[] all;
        lock (gate) all = entries.Values.ToArray();
        foreach (var e in all) CancelIfAbandoned(e);
    }

    private void CancelIfAbandoned(Entry entry)
    {
        // under the lock, so a retry cannot join between the check and the cancellation (Lock is reentrant
        // should a cancellation callback come back here on this thread)
        lock (gate)
        {
            if (entry.Waiters > 0 || entry.Task.IsCompleted) return;
            try
            {
                entry.Cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // finished meanwhile
            }
        }
    }

    private void Remove(string key, Entry entry)
    {
        if (entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry)) entries.Remove(key);
    }

    // Drops finished answers past their window (called under the lock).
    private void Prune()
    {
        var now = Environment.TickCount64;
        List<string>? expired = null;
        foreach (var (key, e) in entries)
        {
            if (e.ExpiresAt <= now) (expired ??= []).Add(key);
        }
        if (expired is null) return;
        foreach (var key in expired) entries.Remove(key);
    }

    public void Dispose()
    {
        lock (gate) entries.Clear();
    }
}

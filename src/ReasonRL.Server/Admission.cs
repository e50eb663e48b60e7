// Admission: the bounded backlog of `reasonrl serve` and the decision, made before any work starts, to take a
// request or refuse it with an immediate 503. A request is refused when
//   * the samples already admitted (queued or being scored) plus its own would pass --max-queued-samples, or
//   * its deadline cannot be met: at the measured throughput the backlog plus its own samples would take more than
//     DeadlineShare (0.5) × --timeout-seconds. Admitting it would only make it wait and then time out (a slow 503).
// Throughput: samples of finished work per second of busy time (time with samples admitted). Both sums decay
// exponentially over busy time (τ = RateWindow), so the estimate follows the machine's current speed. Idle time
// does not age it. It is unknown until MinBusy of busy time and one finished request; until then only the queue
// bound applies. RewardServer asks twice: before reading a body, with the sample count its Content-Length suggests
// (EstimateSamples: by the smallest bytes per sample of the last bodies parsed), so a refused request costs no upload or parse,
// and with the parsed sample count (TryAdmit). Under overload the backlog sits at the refusal threshold; without the
// estimate most requests would pass the first check and be refused only after their upload and parse. The first check
// also reserves the estimate (TryReserve) until the second: reserved samples count as backlog, so when room opens, the
// requests whose bodies are being read fill it, and the others are refused on their headers instead of all passing the
// first check together and being refused after their uploads (measured: a fifth of the refusals under 3× offered load).
// At the second check a request whose reservation covers its samples is held to ReservedDeadlineShare (0.75) of the
// deadline instead of 0.5: it passed the stricter check before its upload.
// Thread-safe (one lock; a few operations per request).
// Not scheduling (VerifierPool) and not retries (RequestWork).
using System.Diagnostics;
using System.Globalization;

namespace ReasonRL.Server;

public sealed class Admission
{
    /// <summary>The share of the timeout the estimated wait may take. The estimate is the recent mean rate: on a shared
    /// machine the rate can halve while a request waits (measured: load average 26 → 47 during one bench run), and
    /// the upload and parse also count against the deadline, so half the timeout keeps admitted requests inside it.</summary>
    public const double DeadlineShare = 0.5;

    /// <summary>The time constant of the throughput estimate (busy time).</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    /// <summary>Busy time needed before the estimate is used.</summary>
    public static readonly TimeSpan MinBusy = TimeSpan.FromSeconds(0.5);

    private readonly Lock gate = new();
    private readonly long maxQueued;
    private readonly TimeSpan timeout;
    private long admitted;
    private long reserved;
    private long lastEvent = Stopwatch.GetTimestamp();
    private double busySeconds;
    private double completedSamples;
    private readonly double[] recentBytesPerSample = new double[EstimateWindow];
    private long noted;

    /// <param name="maxQueued">Most samples admitted at once (--max-queued-samples).</param>
    /// <param name="timeout">The per-request deadline (--timeout-seconds).</param>
    public Admission(long maxQueued, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueued, 1);
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "expected > 0");
        this.maxQueued = maxQueued;
        this.timeout = timeout;
    }

    /// <summary>Samples admitted and not yet released (the backlog).</summary>
    public long Admitted => Interlocked.Read(ref admitted);

    /// <summary>The measured throughput in samples per second of busy time, or null while unknown.</summary>
    public double? SamplesPerSecond
    {
        get
        {
            lock (gate)
            {
                Advance();
                return Rate();
            }
        }
    }

    /// <summary>How many recent bodies <see cref="EstimateSamples"/> looks back over.</summary>
    public const int EstimateWindow = 16;

    /// <summary>Learns the body size of a sample from a parsed request (one of the last <see cref="EstimateWindow"/>).</summary>
    public void NoteBody(long bytes, int samples)
    {
        if (samples <= 0 || bytes <= 0) return;
        var perSample = (double)bytes / samples;
        lock (gate)
        {
            recentBytesPerSample[noted % EstimateWindow] = perSample;
            noted++;
        }
    }

    /// <summary>The samples a body of <paramref name="bytes"/> bytes may hold (at most <paramref name="cap"/>); 0 before any
    /// body was parsed. It divides by the smallest bytes per sample of the last <see cref="EstimateWindow"/> bodies, so it
    /// rather over- than under-counts: a request reserves at least the samples it turns out to have (with an average, about
    /// half of the batches, those of shorter samples, would reserve fewer), so the second check finds its reservation
    /// covering it (TryAdmit: the queue bound cannot then refuse it, and the deadline check allows
    /// <see cref="ReservedDeadlineShare"/>). The cost: while bodies are read, a few percent more samples are held back.</summary>
    public int EstimateSamples(long bytes, int cap)
    {
        lock (gate)
        {
            if (noted == 0) return 0;
            var smallest = double.MaxValue;
            for (var i = 0; i < Math.Min(noted, EstimateWindow); i++) smallest = Math.Min(smallest, recentBytesPerSample[i]);
            return (int)Math.Clamp(Math.Ceiling(bytes / smallest), 0, cap);
        }
    }

    /// <summary>Why a request of <paramref name="samples"/> samples would be refused now (0 = its count is not known
    /// yet: is there room at all?), or null when it would be admitted.</summary>
    public string? Refusal(int samples)
    {
        lock (gate)
        {
            Advance();
            return RefusalLocked(samples);
        }
    }

    /// <summary>Samples reserved by requests whose bodies are being read (they count as backlog).</summary>
    public long Reserved
    {
        get
        {
            lock (gate) return reserved;
        }
    }

    /// <summary>Reserves <paramref name="samples"/> (a request's estimated count, before its body is read) when a request of
    /// that many would be admitted now, or gives the reason it would not (nothing is reserved then). Hand the reservation
    /// to <see cref="TryAdmit"/>, or give it back with <see cref="CancelReservation"/>.</summary>
    public bool TryReserve(int samples, out string? refusal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 0);
        lock (gate)
        {
            Advance();
            refusal = RefusalLocked(samples);
            if (refusal is not null) return false;
            reserved += samples;
            return true;
        }
    }

    /// <summary>Gives back a reservation that was not handed to <see cref="TryAdmit"/>.</summary>
    public void CancelReservation(int samples)
    {
        lock (gate) reserved = Math.Max(0, reserved - samples);
    }

    /// <summary>The deadline share a request is held to when it is admitted after its upload, when the reservation it made
    /// before the upload covers its samples: it passed the <see cref="DeadlineShare"/> check then, and refusing it now, on a
    /// throughput estimate that has moved since, would waste the upload and answer a slow 503 (measured: at 3× offered load
    /// about 1.5 % of the refusals came after the upload, all on this check, predicting 15.0–15.1 s against 15 s, and up to
    /// 2.5 s after the connection was accepted). The queue bound is not relaxed.</summary>
    public const double ReservedDeadlineShare = 0.75;

    /// <summary>Admits <paramref name="samples"/> samples, or gives the reason it cannot (nothing is admitted then). The
    /// request's own reservation (<paramref name="reservation"/>, from TryReserve) ends here either way; when it covers the
    /// samples, the deadline check allows <see cref="ReservedDeadlineShare"/> of the timeout.</summary>
    public bool TryAdmit(int samples, out string? refusal, int reservation = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 0);
        lock (gate)
        {
            Advance();
            reserved = Math.Max(0, reserved - reservation);
            refusal = RefusalLocked(samples, reservation > 0 && reservation >= samples ? ReservedDeadlineShare : DeadlineShare);
            if (refusal is not null) return false;
            Interlocked.Add(ref admitted, samples);
            return true;
        }
    }

    /// <summary>Releases admitted samples; <paramref name="completed"/>: they were scored (they count toward the
    /// throughput), rather than cancelled or failed.</summary>
    public void Release(int samples, bool completed)
    {
        lock (gate)
        {
            Advance();
            Interlocked.Add(ref admitted, -samples);
            if (completed) completedSamples += samples;
        }
    }

    // Ages the sums by the busy time since the last event (called under the lock).
    private void Advance()
    {
        var now = Stopwatch.GetTimestamp();
        var dt = Stopwatch.GetElapsedTime(lastEvent, now).TotalSeconds;
        lastEvent = now;
        if (admitted <= 0 || dt <= 0) return;
        var decay = Math.Exp(-dt / RateWindow.TotalSeconds);
        completedSamples *= decay;
        busySeconds = busySeconds * decay + dt;
    }

    private double? Rate() => busySeconds >= MinBusy.TotalSeconds && completedSamples > 0 ? completedSamples / busySeconds : null;

    private string? RefusalLocked(int samples, double deadlineShare = DeadlineShare)
    {
        var backlog = admitted + reserved;
        if (backlog + Math.Max(samples, 1) > maxQueued)
        {
            var coming = reserved > 0 ? $" (+{reserved} in bodies being read)" : "";
            return $"server overloaded: {admitted} sample(s) queued{coming}, limit {maxQueued} (--max-queued-samples); retry later";
        }
        if (Rate() is not { } rate) return null;
        var wait = (backlog + samples) / rate;
        if (wait <= deadlineShare * timeout.TotalSeconds) return null;
        var inv = CultureInfo.InvariantCulture;
        return $"server overloaded: {backlog + samples} sample(s) at the measured {rate.ToString("F0", inv)} samples/s need about " +
            $"{wait.ToString("F1", inv)} s, past the deadline of {timeout.TotalSeconds.ToString("0.###", inv)} s (--timeout-seconds); retry later";
    }
}

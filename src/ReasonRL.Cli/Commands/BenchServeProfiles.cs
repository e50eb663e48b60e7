// `reasonrl bench serve --profile openrlhf|overload`: the acceptance profiles of issue 16 (docs/serve.md,
// "Load benchmark").
//   openrlhf: closed loop, N clients each sending batches of --batch OpenRLHF-shaped samples (~2 KB: left pads,
//             chat template, chain of thought, EOS; numeric labels) — samples/s, p50/p99 per batch, errors,
//             and the CPU use of one large request alone (process CPU time / wall time, in cores), on one verifier
//             thread and on --verifier-threads (default: every core).
//   overload: measures capacity (closed loop, 8 clients, a quarter of --seconds, at most 15 s), then offers
//             --overload × capacity open loop for --seconds with OpenRLHF's retry loop against a fresh server whose
//             queue is bounded (--max-queued-samples) — answers by kind, 503 latencies, maximum admitted samples,
//             the server's own RSS and how long the server takes to be idle after the load. Both servers are
//             `reasonrl serve` child processes (ServeProcess), so the RSS is the server's alone.
// openrlhf: client and server share the process; every profile shares this machine's cores. Thin: the load
// generators are ServeLoad's.
using ReasonRL.Benchmarks;
using ReasonRL.Rewards.Sources;
using ReasonRL.Server;
using System.Diagnostics;
using System.Globalization;

namespace ReasonRL.Cli.Commands;

internal static partial class BenchServeProfiles
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string profile, string file, Uri? url, int batch, int clients, TimeSpan duration, double factor, int maxQueued, int verifierThreads,
        TextWriter output, TextWriter error, double givenCapacity = 0)
    {
        if (!(givenCapacity >= 0))
        {
            error.WriteLine($"bench serve: --capacity {givenCapacity}; expected ≥ 0 (0 = measure it)");
            return 2;
        }
        if (url is not null)
        {
            error.WriteLine($"bench serve: --profile {profile} runs its own in-process server (it measures CPU and reads gauges); drop --url");
            return 2;
        }
        if (profile == "overload" && !(factor > 0))
        {
            error.WriteLine($"bench serve: --overload {factor}; expected > 0");
            return 2;
        }
        output.WriteLine($"bench serve --profile {profile}: batch={batch} clients={clients} seconds={duration.TotalSeconds.ToString(Inv)} cores={Environment.ProcessorCount} " +
            $"os={System.Runtime.InteropServices.RuntimeInformation.OSDescription} runtime={System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        output.WriteLine(profile == "openrlhf"
            ? "client and server share this process and machine (a shared 2-core box: other work competes for the cores)."
            : "the servers are `reasonrl serve` child processes (their RSS is their own); client and server share the machine's cores.");
        // 2 × clients distinct bodies: client c sends only payloads c and c + clients, so no two clients send the same body
        var payloads = ServeLoad.BuildOpenRlhf(file, batch, Math.Max(2, 2 * clients));
        output.WriteLine($"payloads: {payloads.Count} bodies, {payloads.Average(p => p.Body.Length) / batch:F0} bytes per sample on average");
        return profile == "openrlhf"
            ? Closed(payloads, clients, duration, verifierThreads, output, error)
            : Overload(payloads, batch, clients, duration, factor, maxQueued, verifierThreads, givenCapacity, output, error);
    }

    // The closed-loop servers cycle through their payloads, so a repeated body must be scored again: a 1 ms retry window.
    private static RewardServer Start(int clients, int verifierThreads)
    {
        var options = new ServerOptions(Port: 0, MaxConcurrentRequests: Math.Max(64, clients), VerifierThreads: verifierThreads, StripTokens: ServeLoad.QwenStripTokens,
            RetryWindow: TimeSpan.FromMilliseconds(1), LogLevel: ServerLogLevel.Off);
        var server = new RewardServer(options, null, MathVerifierJudge.Create());
        server.StartAsync().GetAwaiter().GetResult();
        return server;
    }

    private static int Closed(IReadOnlyList<LoadPayload> payloads, int clients, TimeSpan duration, int verifierThreads, TextWriter output, TextWriter error)
    {
        // how many cores does one large request use? With one verifier thread, then with --verifier-threads
        var threads = new ServerOptions(VerifierThreads: verifierThreads).EffectiveVerifierThreads;
        foreach (var t in threads > 1 ? new[] { 1, threads } : [threads])
        {
            var alone = Start(clients, t);
            try
            {
                OneRequestAtATime(alone, payloads, t, output);
            }
            finally
            {
                alone.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        var server = Start(clients, verifierThreads);
        try
        {
            var r = ServeLoad.RunAsync(server.Address, payloads, clients, duration).GetAwaiter().GetResult();
            var m = server.Metrics;
            output.WriteLine($"openrlhf: {r.Requests} batches in {r.Seconds:F1} s, {r.SamplesPerSecond:F0} samples/s, {r.RequestsPerSecond:F2} batches/s, " +
                $"p50 {r.P50Ms:F0} ms, p99 {r.P99Ms:F0} ms, max {r.MaxMs:F0} ms per batch, errors {r.Errors}");
            output.WriteLine($"server: correct={m.Verdicts(SuccessVerdict.Correct)} incorrect={m.Verdicts(SuccessVerdict.Incorrect)} " +
                $"unverifiable={m.Verdicts(SuccessVerdict.Unverifiable)} sample_errors={m.SampleErrors}");
            if (r.Errors > 0) error.WriteLine($"bench serve: {r.Errors} error(s); first: {r.FirstError}");
            return r.Errors > 0 || m.SampleErrors > 0 ? 1 : 0;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    // One large request at a time, 20 in a row after 20 warm-up ones (tiered JIT still compiles the verifier's rarer paths
    // during the first requests, on its own thread): the CPU time of the process (client and server) over the wall time
    // of each request, in cores; and the verifier threads' share of that CPU (from /proc/self/task), which bounds what
    // an idle machine could give: with share s spread over T threads and the rest serial, at most 1 / ((1 − s) + s / T) cores.
    private static void OneRequestAtATime(RewardServer server, IReadOnlyList<LoadPayload> payloads, int threads, TextWriter output)
    {
        const int warmUp = 20, measured = 20;
        for (var i = 0; i < warmUp; i++) ServeLoad.PostOnceAsync(server.Address, payloads[i % payloads.Count]).GetAwaiter().GetResult();
        using var process = Process.GetCurrentProcess();
        var cores = new List<double>();
        var statuses = new SortedSet<int>();
        process.Refresh();
        var (verifier0, all0) = (VerifierCpuSeconds(), process.TotalProcessorTime.TotalSeconds);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < measured; i++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            statuses.Add(ServeLoad.PostOnceAsync(server.Address, payloads[i % payloads.Count]).GetAwaiter().GetResult());
            wall.Stop();
            process.Refresh();
            cores.Add((process.TotalProcessorTime - cpu0).TotalSeconds / wall.Elapsed.TotalSeconds);
        }
        process.Refresh();
        var all = process.TotalProcessorTime.TotalSeconds - all0;
        var share = all > 0 ? (VerifierCpuSeconds() - verifier0) / all : double.NaN;
        cores.Sort();
        var mean = cores.Average();
        output.WriteLine($"one request of {payloads[0].Samples} samples at a time ({measured} in a row after {warmUp}), verifier_threads={threads}: " +
            $"{total.Elapsed.TotalMilliseconds / measured:F0} ms each; CPU per request (process CPU time / wall time) mean {mean:F2}, median {cores[measured / 2]:F2}, " +
            $"max {cores[^1]:F2} of {Environment.ProcessorCount} cores ({100 * mean / Environment.ProcessorCount:F0}%); statuses {string.Join(",", statuses)}");
        output.WriteLine($"  verifier threads did {100 * share:F0}% of that CPU ({all / measured * 1000:F1} ms per request, client included): " +
            $"on an idle machine at most {1 / ((1 - share) + share / threads):F2} cores per request");
    }

    // CPU seconds of this process's verifier threads (Linux /proc, in 10 ms ticks; NaN elsewhere). They live as long as
    // their server, so none is missed; the process's total comes from TotalProcessorTime, which keeps ended threads' time.
    private static double VerifierCpuSeconds()
    {
        double verifier = 0;
        try
        {
            // a thread's comm is its name cut to 15 characters
            var prefix = VerifierPool.ThreadNamePrefix[..Math.Min(15, VerifierPool.ThreadNamePrefix.Length)];
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(prefix, StringComparison.Ordinal)) continue;
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    verifier += (double.Parse(fields[11], Inv) + double.Parse(fields[12], Inv)) / 100; // utime + stime, USER_HZ = 100
                }
                catch (IOException)
                {
                    // the thread ended (another server's)
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
        return verifier;
    }

    private static int Overload(IReadOnlyList<LoadPayload> payloads, int batch, int clients, TimeSpan duration, double factor, int maxQueued, int verifierThreads,
        double givenCapacity, TextWriter output, TextWriter error)
    {
        var capacity = givenCapacity;
        if (capacity > 0) output.WriteLine($"capacity: {capacity:F0} samples/s (given with --capacity, not measured)");
        else if (MeasureCapacity(payloads, duration, verifierThreads, output, error) is { } measured) capacity = measured;
        else return 1;
        return OfferOverload(payloads, batch, clients, duration, factor, maxQueued, verifierThreads, capacity, output, error);
    }

    // the closed-loop capacity (8 clients, a quarter of the run, 3 to 15 s) of a `reasonrl serve` child; null when it failed
    private static double? MeasureCapacity(IReadOnlyList<LoadPayload> payloads, TimeSpan duration, int verifierThreads, TextWriter output, TextWriter error)
    {
        double capacity;
        var probeSeconds = Math.Min(15, Math.Max(3, duration.TotalSeconds / 4));
        // the closed-loop capacity server cycles through its payloads, so a repeated body must be scored again: a 1 ms retry window
        var measuring = StartChild(8, verifierThreads, 65536, retryWindowSeconds: 0.001);
        try
        {
            var c = ServeLoad.RunAsync(measuring.Address, payloads, 8, TimeSpan.FromSeconds(probeSeconds)).GetAwaiter().GetResult();
            capacity = c.SamplesPerSecond;
            output.WriteLine($"capacity: {capacity:F0} samples/s (closed loop, 8 clients, {c.Seconds:F1} s, errors {c.Errors})");
            if (c.Errors > 0 || capacity <= 0)
            {
                error.WriteLine($"bench serve: the capacity run failed: {c.FirstError}");
                return null;
            }
        }
        finally
        {
            measuring.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return capacity;
    }

    private static int OfferOverload(IReadOnlyList<LoadPayload> payloads, int batch, int clients, TimeSpan duration, double factor, int maxQueued, int verifierThreads,
        double capacity, TextWriter output, TextWriter error)
    {
        var timeout = new ServerOptions().EffectiveTimeout;
        if (maxQueued <= 0) maxQueued = Math.Max(batch, (int)(capacity * timeout.TotalSeconds / 3 / batch) * batch);
        var rate = factor * capacity / batch;
        output.WriteLine($"overload: offering {rate:F2} batches/s ({factor.ToString(Inv)}× capacity) for {duration.TotalSeconds.ToString(Inv)} s; " +
            $"server max_queued_samples={maxQueued} timeout={timeout.TotalSeconds.ToString(Inv)} s; each batch tried up to 5 times, 1 s apart");
        // the overload server's trainers send distinct bodies (nonces): the default retry window, so a retry joins its earlier try's work
        var server = StartChild(clients, verifierThreads, maxQueued, retryWindowSeconds: null);
        try
        {
            double admitted = 0;
            int acceptMax = 0, acceptSamples = 0;
            long acceptSum = 0;
            var overflows0 = KernelTcp.ListenOverflows();
            (double, double) Probe()
            {
                if (KernelTcp.AcceptQueue(server.Address.Port) is { } waiting)
                {
                    acceptMax = Math.Max(acceptMax, waiting);
                    acceptSum += waiting;
                    acceptSamples++;
                }
                try
                {
                    admitted = server.MetricAsync("reasonrl_admitted_samples").GetAwaiter().GetResult() ?? admitted;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // a slow /metrics answer: keep the last value
                }
                return (admitted, server.Memory().Rss);
            }
            var (serverUser0, serverSystem0) = server.CpuSeconds();
            var (selfUser0, selfSystem0) = ServeProcess.CpuSecondsOf("/proc/self/stat");
            var r = ServeLoad.RunOverloadAsync(server.Address, payloads, rate, duration, Probe).GetAwaiter().GetResult();
            var (serverUser, serverSystem) = server.CpuSeconds();
            var (selfUser, selfSystem) = ServeProcess.CpuSecondsOf("/proc/self/stat");
            var (_, serverPeak) = server.Memory();
            output.WriteLine($"batches offered {r.Batches}, answered 200 {r.Succeeded}, gave up after 5 tries {r.GaveUp}, tries {r.Tries}");
            output.WriteLine($"offered load: {r.Batches / r.OfferedSeconds:F2} new batches/s, {r.TriesWhileOffered / r.OfferedSeconds:F1} tries/s while offering; " +
                $"bodies announced {r.AnnouncedBytes / 1e6:F0} MB ({r.AnnouncedBytes / 1e6 / (r.OfferedSeconds + r.DrainSeconds):F0} MB/s over the run), " +
                $"handed to the client's socket before the answer {r.SentBytes / 1e6:F0} MB ({100.0 * r.SentBytes / Math.Max(1, r.AnnouncedBytes):F0}%; " +
                "on loopback a 1.2 MB body fits the socket buffers, whether or not the server reads it)");
            output.WriteLine("answers: " + string.Join(", ", r.Answers.Select(a => $"{a.Key}: {a.Value}")) +
                (r.FirstTransportError is { } transport ? $" (first transport error: {transport})" : ""));
            output.WriteLine($"refusals (503 overloaded) as the client saw them (connect to answer read): p50 {r.P50RefusalMs:F0} ms, p99 {r.P99RefusalMs:F0} ms, " +
                $"max {r.MaxRefusalMs:F0} ms; max admitted samples {r.MaxAdmittedSamples:F0} (limit {maxQueued})");
            output.WriteLine($"CPU during the run: server {serverUser - serverUser0:F1} s user + {serverSystem - serverSystem0:F1} s system; " +
                $"load generator (this process) {selfUser - selfUser0:F1} s user + {selfSystem - selfSystem0:F1} s system; " +
                $"{(r.OfferedSeconds + r.DrainSeconds + r.IdleAfterSeconds):F1} s wall on {Environment.ProcessorCount} cores");
            output.WriteLine($"server process (pid {server.Pid}, its own): max RSS seen {r.MaxRssBytes / (1024 * 1024):F0} MiB, peak RSS (VmHWM) {serverPeak / (1024 * 1024)} MiB; " +
                $"this load-generator process: peak RSS {SelfPeakRss() / (1024 * 1024)} MiB");
            var overflows = KernelTcp.ListenOverflows() - overflows0;
            output.WriteLine(acceptSamples == 0 ? "the server's accept queue: not readable here (/proc/net/tcp)"
                : $"the server's accept queue (connections the kernel completed and the server had not accepted yet; a client's wait there is in its " +
                  $"figures, not the server's; /proc/net/tcp every 50 ms): max {acceptMax}, mean {(double)acceptSum / acceptSamples:F0} (this build's backlog {RewardServer.ListenBacklog}); " +
                  $"handshakes dropped on a full accept queue during the run (machine-wide ListenOverflows): {overflows?.ToString(Inv) ?? "unknown"}");
            var served = server.Requests("/get_reward");
            double Slowest(Func<ServedRequest, bool> which) => served.Where(which).Select(q => q.Milliseconds).DefaultIfEmpty(0).Max();
            var unread = server.MetricAsync("reasonrl_refused_unread_total").GetAwaiter().GetResult();
            var afterHead = server.MetricAsync("reasonrl_refused_after_head_total").GetAwaiter().GetResult();
            var atAccept = server.MetricAsync("reasonrl_refused_at_accept_total").GetAwaiter().GetResult();
            // a refusal after the body was parsed logs its sample count; one on the headers alone does not
            foreach (var (label, which) in new (string, Func<ServedRequest, bool>)[]
            {
                ("all", _ => true), ("on the headers or the body's first bytes (body not parsed)", q => q.Samples is null), ("after reading and parsing the body", q => q.Samples is not null),
            })
            {
                var ms = served.Where(q => q.Kind == "overloaded" && which(q)).Select(q => q.Milliseconds).Order().ToArray();
                output.WriteLine($"refusals as the server measured them (connection accepted, or headers in, to answer written; its log), {label}: {ms.Length}, " +
                    $"p50 {ServerMetrics.Percentile(ms, 0.5):F1} ms, p99 {ServerMetrics.Percentile(ms, 0.99):F1} ms, max {(ms.Length == 0 ? 0 : ms[^1]):F1} ms");
            }
            output.WriteLine($"refused on the headers alone (the server's reasonrl_refused_unread_total): {unread?.ToString(Inv) ?? "not reported (an older server)"}; " +
                $"after the body's first bytes only (reasonrl_refused_after_head_total): {afterHead?.ToString(Inv) ?? "not reported (an older server)"}; " +
                $"of both, by the front door as their connections were accepted (reasonrl_refused_at_accept_total): {atAccept?.ToString(Inv) ?? "not reported (an older server)"}");
            var afterUpload = served.Where(q => q.Kind == "overloaded" && q.Samples is not null).ToArray();
            var onDeadline = afterUpload.Count(q => q.Line.Contains("past the deadline", StringComparison.Ordinal));
            output.WriteLine($"refusals after a whole upload and parse, by cause: {onDeadline} on the deadline check (the measured throughput), " +
                $"{afterUpload.Length - onDeadline} on the queue bound");
            var throughput = served.Select(q => MeasuredRate().Match(q.Line)).LastOrDefault(m => m.Success) is { } rated
                ? $"{rated.Groups[1].Value} samples/s (its last deadline refusal)" : "not reported (every refusal was queue-full)";
            output.WriteLine($"as the server measured them (request headers in to answer out; its log): slowest refusal {Slowest(q => q.Kind == "overloaded"):F0} ms, " +
                $"slowest deadline 503 {Slowest(q => q.Kind == "timeout"):F0} ms, slowest 200 {Slowest(q => q.Status == 200):F0} ms; the client's figures also " +
                $"hold its own upload and its wait for a core; admission's measured throughput {throughput}");
            var queue = server.MetricAsync("reasonrl_verifier_queue").GetAwaiter().GetResult();
            output.WriteLine($"offered for {r.OfferedSeconds:F1} s; last trainer done {r.DrainSeconds:F1} s later; server idle (0 admitted) {r.IdleAfterSeconds:F2} s after that; " +
                $"verifier queue now {queue?.ToString(Inv) ?? "unknown"}");
            // fast: relative to the deadline the trainer would otherwise wait out (a refusal that waited for work takes ~ the timeout)
            var bad = r.Answers.Where(a => a.Key is not ("200" or "503 overloaded")).Sum(a => a.Value);
            var slow = r.MaxRefusalMs > timeout.TotalMilliseconds * 0.1;
            if (bad > 0 || slow)
            {
                error.WriteLine($"bench serve: {bad} answer(s) other than 200 / 503 overloaded; slowest refusal {r.MaxRefusalMs:F0} ms (fast: under 10% of the {timeout.TotalSeconds:0} s timeout)");
            }
            return bad > 0 || slow || r.IdleAfterSeconds > timeout.TotalSeconds ? 1 : 0;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    // `reasonrl serve` as a child process of this one (the same executable, or `dotnet reasonrl.dll`), so its memory is its own
    private static ServeProcess StartChild(int clients, int verifierThreads, int maxQueued, double? retryWindowSeconds)
    {
        // REASONRL_BENCH_SERVE_EXE: another build's executable as the server (to compare servers under the same load generator)
        var self = Environment.GetEnvironmentVariable("REASONRL_BENCH_SERVE_EXE") is { Length: > 0 } other ? other
            : Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this process's executable");
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") arguments.Add(typeof(BenchServeProfiles).Assembly.Location);
        arguments.AddRange(["serve", "--port", "0", "--log-level", "info", "--max-concurrent", Math.Max(64, clients).ToString(Inv),
            "--verifier-threads", verifierThreads.ToString(Inv), "--strip-tokens", string.Join(',', ServeLoad.QwenStripTokens),
            "--max-queued-samples", maxQueued.ToString(Inv), "--max-samples-per-request", Math.Min(8192, maxQueued).ToString(Inv)]);
        if (retryWindowSeconds is { } window) arguments.AddRange(["--retry-window-seconds", window.ToString(Inv)]);
        return ServeProcess.StartAsync(self, arguments, TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();
    }

    private static long SelfPeakRss()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : 1024 * long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], Inv);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"measured ([0-9.]+) samples/s")]
    private static partial System.Text.RegularExpressions.Regex MeasuredRate();
}

// `reasonrl bench serve --profile openrlhf|overload`: the acceptance profiles of issue 16 (docs/serve.md,
// "Load benchmark").
//   openrlhf: closed loop, N clients each sending batches of --batch OpenRLHF-shaped samples (~2 KB: left pads,
//             chat template, chain of thought, EOS; numeric labels) — samples/s, p50/p99 per batch, errors,
//             and the CPU use of one large request alone (process CPU time / wall time, in cores), on one verifier
//             thread and on --verifier-threads (default: every core).
//   overload: measures capacity (closed loop, 8 clients, a quarter of --seconds, at most 15 s), then offers
//             --overload × capacity open loop for --seconds with OpenRLHF's retry loop against a fresh server whose
//             queue is bounded (--max-queued-samples) — answers by kind, 503 latencies, maximum admitted samples
//             and RSS, and how long the server takes to be idle after the load. In-process only (it reads gauges).
// Client and server share the process and this machine's cores. Thin: the load generators are ServeLoad's.
using ReasonRL.Benchmarks;
using ReasonRL.Rewards.Sources;
using ReasonRL.Server;
using System.Diagnostics;
using System.Globalization;

namespace ReasonRL.Cli.Commands;

internal static class BenchServeProfiles
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string profile, string file, Uri? url, int batch, int clients, TimeSpan duration, double factor, int maxQueued, int verifierThreads,
        TextWriter output, TextWriter error)
    {
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
        output.WriteLine("client and server share this process and machine (a shared 2-core box: other work competes for the cores).");
        // 2 × clients distinct bodies: client c sends only payloads c and c + clients, so no two clients send the same body
        var payloads = ServeLoad.BuildOpenRlhf(file, batch, Math.Max(2, 2 * clients));
        output.WriteLine($"payloads: {payloads.Count} bodies, {payloads.Average(p => p.Body.Length) / batch:F0} bytes per sample on average");
        return profile == "openrlhf"
            ? Closed(payloads, clients, duration, verifierThreads, output, error)
            : Overload(payloads, batch, clients, duration, factor, maxQueued, verifierThreads, output, error);
    }

    // maxQueued > 0: the overload server, whose trainers send distinct bodies (nonces), so it keeps the default retry
    // window (a retry joins its earlier try's work, as for OpenRLHF). The closed-loop servers cycle through their
    // payloads, so a repeated body must be scored again: a 1 ms window.
    private static RewardServer Start(int clients, int verifierThreads, int maxQueued = 0)
    {
        var options = new ServerOptions(Port: 0, MaxConcurrentRequests: Math.Max(64, clients), VerifierThreads: verifierThreads, StripTokens: ServeLoad.QwenStripTokens,
            RetryWindow: maxQueued > 0 ? default : TimeSpan.FromMilliseconds(1), LogLevel: ServerLogLevel.Off,
            MaxQueuedSamples: maxQueued > 0 ? maxQueued : 65536, MaxSamplesPerRequest: Math.Min(8192, maxQueued > 0 ? maxQueued : 8192));
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

    // One large request at a time (after a warm-up one), 10 in a row: the CPU time of the process (client and server)
    // over the wall time of each request, in cores.
    private static void OneRequestAtATime(RewardServer server, IReadOnlyList<LoadPayload> payloads, int threads, TextWriter output)
    {
        ServeLoad.PostOnceAsync(server.Address, payloads[^1]).GetAwaiter().GetResult();
        using var process = Process.GetCurrentProcess();
        var cores = new List<double>();
        var statuses = new SortedSet<int>();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            statuses.Add(ServeLoad.PostOnceAsync(server.Address, payloads[i % payloads.Count]).GetAwaiter().GetResult());
            wall.Stop();
            process.Refresh();
            cores.Add((process.TotalProcessorTime - cpu0).TotalSeconds / wall.Elapsed.TotalSeconds);
        }
        cores.Sort();
        var mean = cores.Average();
        output.WriteLine($"one request of {payloads[0].Samples} samples at a time (10 in a row), verifier_threads={threads}: " +
            $"{total.Elapsed.TotalMilliseconds / 10:F0} ms each; CPU per request (process CPU time / wall time) mean {mean:F2}, median {cores[4]:F2}, " +
            $"max {cores[^1]:F2} of {Environment.ProcessorCount} cores ({100 * mean / Environment.ProcessorCount:F0}%); statuses {string.Join(",", statuses)}");
    }

    private static int Overload(IReadOnlyList<LoadPayload> payloads, int batch, int clients, TimeSpan duration, double factor, int maxQueued, int verifierThreads,
        TextWriter output, TextWriter error)
    {
        double capacity;
        var probeSeconds = Math.Min(15, Math.Max(3, duration.TotalSeconds / 4));
        var measuring = Start(8, verifierThreads);
        try
        {
            var c = ServeLoad.RunAsync(measuring.Address, payloads, 8, TimeSpan.FromSeconds(probeSeconds)).GetAwaiter().GetResult();
            capacity = c.SamplesPerSecond;
            output.WriteLine($"capacity: {capacity:F0} samples/s (closed loop, 8 clients, {c.Seconds:F1} s, errors {c.Errors})");
            if (c.Errors > 0 || capacity <= 0)
            {
                error.WriteLine($"bench serve: the capacity run failed: {c.FirstError}");
                return 1;
            }
        }
        finally
        {
            measuring.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        var timeout = new ServerOptions().EffectiveTimeout;
        if (maxQueued <= 0) maxQueued = Math.Max(batch, (int)(capacity * timeout.TotalSeconds / 3 / batch) * batch);
        var rate = factor * capacity / batch;
        output.WriteLine($"overload: offering {rate:F2} batches/s ({factor.ToString(Inv)}× capacity) for {duration.TotalSeconds.ToString(Inv)} s; " +
            $"server max_queued_samples={maxQueued} timeout={timeout.TotalSeconds.ToString(Inv)} s; each batch tried up to 5 times, 1 s apart");
        var server = Start(clients, verifierThreads, maxQueued);
        try
        {
            using var process = Process.GetCurrentProcess();
            (double, double) Probe()
            {
                process.Refresh();
                return (server.AdmittedSamples, process.WorkingSet64);
            }
            var r = ServeLoad.RunOverloadAsync(server.Address, payloads, rate, duration, Probe).GetAwaiter().GetResult();
            output.WriteLine($"batches offered {r.Batches}, answered 200 {r.Succeeded}, gave up after 5 tries {r.GaveUp}, tries {r.Tries}");
            output.WriteLine("answers: " + string.Join(", ", r.Answers.Select(a => $"{a.Key}: {a.Value}")) +
                (r.FirstTransportError is { } transport ? $" (first transport error: {transport})" : ""));
            output.WriteLine($"refusals (503 overloaded) as the client saw them: max {r.MaxRefusalMs:F0} ms, p99 {r.P99RefusalMs:F0} ms; " +
                $"max admitted samples {r.MaxAdmittedSamples:F0} (limit {maxQueued}); max RSS {r.MaxRssBytes / (1024 * 1024):F0} MiB (client + server process)");
            var m = server.Metrics;
            output.WriteLine($"as the server measured them (request headers in to answer out): slowest refusal {m.MaxSecondsForKind("overloaded") * 1000:F0} ms, " +
                $"slowest deadline 503 {m.MaxSecondsForKind("timeout") * 1000:F0} ms, slowest 200 {m.MaxSecondsFor(200) * 1000:F0} ms; the client's figures also " +
                $"hold its own upload and its wait for a core; admission's measured throughput {server.MeasuredSamplesPerSecond?.ToString("F0", Inv) ?? "unknown"} samples/s");
            output.WriteLine($"offered for {r.OfferedSeconds:F1} s; last trainer done {r.DrainSeconds:F1} s later; server idle (0 admitted) {r.IdleAfterSeconds:F2} s after that; " +
                $"verifier queue now {server.Pool.Pending}");
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
}

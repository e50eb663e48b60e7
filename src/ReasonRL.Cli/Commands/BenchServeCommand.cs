// `reasonrl bench serve`: bounded loopback load on the reward service — a verifier-only configuration
// (OpenRLHF /get_reward) and a verifier + PRM configuration (native /v1/rewards with replayed step_scores,
// Clip-Delta shaping), payloads from ../shared/verifier-eval/real2000.jsonl. Starts the server in-process
// on 127.0.0.1:0, or targets --url (loopback only). There is no external reference figure.
// Thin: the measurement is ReasonRL.Server.ServeLoad.
using ReasonRL.Benchmarks;
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Server;
using Spectre.Console;
using System.CommandLine;
using System.Globalization;

namespace ReasonRL.Cli.Commands;

internal static class BenchServeCommand
{
    private const string PrmYaml = "shaping: { kind: clip_delta, alpha: 1.0, eta: 0.5 }\n";

    public static Command Create()
    {
        var file = new Option<FileInfo>("--file") { Description = "JSONL of pairs (fields model_output, gold).", DefaultValueFactory = _ => new FileInfo(DefaultFile()) };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per configuration (1..600).", DefaultValueFactory = _ => 10 };
        var clients = new Option<int>("--clients") { Description = "Concurrent closed-loop clients (1..256).", DefaultValueFactory = _ => 32 };
        var perRequest = new Option<int>("--samples-per-request") { Description = "Samples per request (1..256).", DefaultValueFactory = _ => 4 };
        var which = new Option<string>("--configs") { Description = "verifier, prm or both.", DefaultValueFactory = _ => "both" };
        var url = new Option<Uri?>("--url") { Description = "Base URL of a running server on loopback (e.g. http://127.0.0.1:8000); default: start one in-process." };
        var profile = new Option<string>("--profile") { Description = "mixed (small requests, both configs), openrlhf (batches of --batch ~2 KB OpenRLHF-shaped samples, closed loop) or overload (open loop at --overload× capacity with OpenRLHF's 5 tries 1 s apart, against `reasonrl serve` child processes whose RSS is measured apart).", DefaultValueFactory = _ => "mixed" };
        var batch = new Option<int>("--batch") { Description = "openrlhf/overload: samples per request (1..8192).", DefaultValueFactory = _ => 512 };
        var factor = new Option<double>("--overload") { Description = "overload: offered load as a multiple of the measured capacity.", DefaultValueFactory = _ => 3 };
        var queued = new Option<int>("--max-queued-samples") { Description = "overload: the server's --max-queued-samples (0 = capacity × timeout / 3, whole batches).", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--verifier-threads") { Description = "openrlhf/overload: the server's --verifier-threads (0 = core count); openrlhf also measures one request on 1 thread.", DefaultValueFactory = _ => 0 };
        var capacityOption = new Option<double>("--capacity") { Description = "overload: the capacity in samples/s the offered load is a multiple of (0 = measure it first). Given, runs on a busy machine offer the same load as a quiet machine's measured capacity.", DefaultValueFactory = _ => 0 };
        var cmd = new Command("serve", "Loopback load on `reasonrl serve`: req/s, samples/s, p50/p99/max latency, errors; OpenRLHF-shaped and overload profiles.");
        foreach (var o in new Option[] { file, seconds, clients, perRequest, which, url, profile, batch, factor, queued, threads, capacityOption }) cmd.Options.Add(o);
        cmd.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var f = parseResult.GetValue(file)!;
            if (!f.Exists)
            {
                error.WriteLine($"bench serve: file not found: {f.FullName} (expected ../shared/verifier-eval/real2000.jsonl beside the repository)");
                return 2;
            }
            var profileName = parseResult.GetValue(profile);
            if (profileName is "openrlhf" or "overload")
            {
                return BenchServeProfiles.Run(profileName, f.FullName, parseResult.GetValue(url), Math.Clamp(parseResult.GetValue(batch), 1, 8192),
                    Math.Clamp(parseResult.GetValue(clients), 1, 256), TimeSpan.FromSeconds(Math.Clamp(parseResult.GetValue(seconds), 1, 600)),
                    parseResult.GetValue(factor), parseResult.GetValue(queued), Math.Max(0, parseResult.GetValue(threads)), output, error,
                    parseResult.GetValue(capacityOption));
            }
            if (profileName != "mixed")
            {
                error.WriteLine($"bench serve: --profile '{profileName}'; expected mixed, openrlhf or overload");
                return 2;
            }
            var configs = parseResult.GetValue(which) switch
            {
                "verifier" => new[] { false },
                "prm" => new[] { true },
                "both" => new[] { false, true },
                _ => null,
            };
            if (configs is null)
            {
                error.WriteLine($"bench serve: --configs '{parseResult.GetValue(which)}'; expected verifier, prm or both");
                return 2;
            }
            var duration = TimeSpan.FromSeconds(Math.Clamp(parseResult.GetValue(seconds), 1, 600));
            var n = Math.Clamp(parseResult.GetValue(clients), 1, 256);
            var k = Math.Clamp(parseResult.GetValue(perRequest), 1, 256);
            var inv = CultureInfo.InvariantCulture;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            var table = new Table().AddColumn("configuration").AddColumn("requests").AddColumn("req/s").AddColumn("samples/s")
                .AddColumn("p50 ms").AddColumn("p99 ms").AddColumn("max ms").AddColumn("errors");
            var failed = false;
            foreach (var prm in configs)
            {
                var config = prm ? RewardConfigLoader.Parse(PrmYaml, "bench-prm.yaml") : RewardService.DefaultConfig;
                var payloads = ServeLoad.Build(f.FullName, k, prm ? new StepSplitter(config.Steps) : null);
                LoadReport r;
                string verdicts;
                try
                {
                    (r, verdicts) = Run(parseResult.GetValue(url), config, payloads, n, duration);
                }
                catch (ArgumentException e)
                {
                    error.WriteLine($"bench serve: {e.Message}");
                    return 2;
                }
                var label = prm ? "verifier+PRM" : "verifier";
                output.WriteLine($"{label}: {(prm ? "POST /v1/rewards, replayed step_scores, clip_delta shaping" : "POST /get_reward (OpenRLHF), success reward alone")}; server verdicts: {verdicts}");
                table.AddRow(label,
                    r.Requests.ToString(inv), r.RequestsPerSecond.ToString("F0", inv), r.SamplesPerSecond.ToString("F0", inv),
                    r.P50Ms.ToString("F2", inv), r.P99Ms.ToString("F2", inv), r.MaxMs.ToString("F1", inv), r.Errors.ToString(inv));
                if (r.Errors > 0)
                {
                    failed = true;
                    error.WriteLine($"bench serve: {r.Errors} error(s); first: {r.FirstError}");
                }
            }
            console.Write(table);
            output.WriteLine($"file={f.FullName} clients={n} samples_per_request={k} seconds_per_config={duration.TotalSeconds.ToString(inv)} " +
                $"target={(parseResult.GetValue(url)?.ToString() ?? "in-process 127.0.0.1:0")} cores={Environment.ProcessorCount} " +
                $"os={System.Runtime.InteropServices.RuntimeInformation.OSDescription} runtime={System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            output.WriteLine("reference: none (no external figure exists for this service); client and server share this machine's cores.");
            return failed ? 1 : 0;
        });
        return cmd;
    }

    private static (LoadReport Report, string Verdicts) Run(Uri? url, RewardConfig config, IReadOnlyList<LoadPayload> payloads, int clients, TimeSpan duration)
    {
        if (url is not null) return (ServeLoad.RunAsync(url, payloads, clients, duration).GetAwaiter().GetResult(), "see the server's /metrics");
        // a 1 ms retry window: the bench cycles through its payloads, and a repeated body must be scored again, not
        // answered from RequestWork's retry cache
        var server = new RewardServer(new ServerOptions(Port: 0, MaxConcurrentRequests: Math.Max(64, clients), RetryWindow: TimeSpan.FromMilliseconds(1)),
            config, MathVerifierJudge.Create());
        try
        {
            server.StartAsync().GetAwaiter().GetResult();
            var report = ServeLoad.RunAsync(server.Address, payloads, clients, duration).GetAwaiter().GetResult();
            var m = server.Metrics;
            return (report, string.Join(" ", new[] { SuccessVerdict.Correct, SuccessVerdict.Incorrect, SuccessVerdict.Unverifiable }
                .Select(v => $"{SuccessVerdicts.NameOf(v)}={m.Verdicts(v)}")) + $" sample_errors={m.SampleErrors}");
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static string DefaultFile()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReasonRL.slnx"))) return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "verifier-eval", "real2000.jsonl"));
        }
        return Path.GetFullPath(Path.Combine("..", "shared", "verifier-eval", "real2000.jsonl"));
    }
}

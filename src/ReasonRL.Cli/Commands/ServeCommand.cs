// `reasonrl serve`: runs the reward layer as an HTTP service (ReasonRL.Server.RewardServer) on loopback
// until Ctrl+C / SIGTERM (exit within --shutdown-seconds). Thin: options → ServerOptions, --config → RewardConfigLoader,
// its serve: section → ServeSettings (flags given on the command line win), then RewardServer.FromConfig (the config's
// verifier options, and its in-process or remote PRM / ORM, whose tokenizers name pad/EOS when --tokenizer is absent).
using ReasonRL.Rewards.Offline;
using ReasonRL.Server;
using System.CommandLine;

namespace ReasonRL.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "reward.yaml (steps, verifier, success, shaping, prm, orm, format, length); without it: success reward alone." };
        var host = new Option<string>("--host") { Description = "Loopback address to bind (only loopback is accepted).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port).", DefaultValueFactory = _ => 8000 };
        var token = new Option<string?>("--token") { Description = "Require 'Authorization: Bearer TOKEN' (all endpoints but /health). Default: env REASONRL_SERVE_TOKEN, else none." };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Request body limit in bytes (larger = 413).", DefaultValueFactory = _ => ServerOptions.DefaultMaxBodyBytes };
        var timeout = new Option<double>("--timeout-seconds") { Description = "Per-request deadline in seconds (exceeded = 503).", DefaultValueFactory = _ => 30 };
        var concurrent = new Option<int>("--max-concurrent") { Description = "Requests scored at once; the rest wait within their deadline.", DefaultValueFactory = _ => 64 };
        var verifierThreads = new Option<int>("--verifier-threads") { Description = "Verifier calls at once (0 = core count).", DefaultValueFactory = _ => 0 };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "The policy's tokenizer (tokenizer.json[.gz], .gguf or model folder): its pad/EOS tokens are stripped from OpenRLHF queries, and /v1/rewards answers samples' response_ids with token_rewards." };
        var strip = new Option<string?>("--strip-tokens") { Description = "Comma-separated token strings stripped from the start (pads) and end (EOS/pads) of OpenRLHF queries, e.g. '<|endoftext|>,<|im_end|>' (added to the --tokenizer's pad/EOS)." };
        var onError = new Option<string>("--on-error") { Description = "/get_reward sample that cannot be scored: 'fail' (the request fails, 4xx) or a number (that reward; index and reason in extra_logs.errors).", DefaultValueFactory = _ => "fail" };
        var maxSamples = new Option<int>("--max-samples-per-request") { Description = "Most samples in one request (more = 413).", DefaultValueFactory = _ => 8192 };
        var maxQueued = new Option<int>("--max-queued-samples") { Description = "Most samples admitted at once (queued or being scored); a request past it gets an immediate 503.", DefaultValueFactory = _ => 65536 };
        var shutdown = new Option<double>("--shutdown-seconds") { Description = "SIGTERM/Ctrl+C: exit within this many seconds (work in flight is cancelled after 80% of it).", DefaultValueFactory = _ => 10 };
        var retryWindow = new Option<double>("--retry-window-seconds") { Description = "A timed-out request's work is kept this long for a retry of the same body to join (then cancelled); an answer is kept as long.", DefaultValueFactory = _ => 10 };
        var logLevel = new Option<string>("--log-level") { Description = "Request log on stderr: debug|info (every request), warn (failed requests), error (5xx), off.", DefaultValueFactory = _ => "warn" };
        var cmd = new Command("serve", "Serve rewards over HTTP: POST /get_reward (OpenRLHF), POST /v1/rewards (native), GET /health, GET /metrics (Prometheus).");
        var maxModelGib = MaxModelGibOption.Create();
        foreach (var o in new Option[] { config, host, port, token, maxBody, timeout, concurrent, verifierThreads, tokenizer, strip, onError, maxSamples, maxQueued, shutdown, retryWindow, logLevel, maxModelGib }) cmd.Options.Add(o);
        cmd.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!MaxModelGibOption.TryGetBytes(parseResult, maxModelGib, "serve", error, out long? maxBytes)) return 2;
            RewardConfig? rewardConfig = null;
            if (parseResult.GetValue(config) is { } file)
            {
                if (!file.Exists)
                {
                    error.WriteLine($"serve: config not found: {file.FullName}");
                    return 2;
                }
                try
                {
                    rewardConfig = RewardConfigLoader.LoadFile(file.FullName);
                }
                catch (RewardConfigException e)
                {
                    error.WriteLine($"serve: {e.Message}");
                    return 2;
                }
                MaxModelGibOption.CheckDirectories(maxBytes, rewardConfig.Prm?.Path, rewardConfig.Orm?.Path);
            }
            double? onErrorReward = null;
            var onErrorText = parseResult.GetValue(onError)!;
            if (onErrorText != "fail")
            {
                if (!double.TryParse(onErrorText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var r) || !double.IsFinite(r))
                {
                    error.WriteLine($"serve: --on-error: '{onErrorText}'; expected 'fail' or a finite number (the reward of a sample that cannot be scored)");
                    return 2;
                }
                onErrorReward = r;
            }
            if (!ServerLog.TryParse(parseResult.GetValue(logLevel)!, out var level))
            {
                error.WriteLine($"serve: --log-level: '{parseResult.GetValue(logLevel)}'; expected one of debug, info, warn, error, off");
                return 2;
            }
            var stripTokens = parseResult.GetValue(strip)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var shutdownSeconds = parseResult.GetValue(shutdown);
            var retrySeconds = parseResult.GetValue(retryWindow);
            if (!(shutdownSeconds > 0) || !(retrySeconds >= 0))
            {
                error.WriteLine($"serve: --shutdown-seconds {shutdownSeconds} / --retry-window-seconds {retrySeconds}; expected > 0 / ≥ 0");
                return 2;
            }
            ServerOptions options = new(
                parseResult.GetValue(host)!,
                parseResult.GetValue(port),
                parseResult.GetValue(token) ?? Environment.GetEnvironmentVariable("REASONRL_SERVE_TOKEN"),
                parseResult.GetValue(maxBody),
                TimeSpan.FromSeconds(parseResult.GetValue(timeout)),
                parseResult.GetValue(concurrent),
                parseResult.GetValue(verifierThreads),
                StripTokens: stripTokens,
                OnErrorReward: onErrorReward,
                TokenizerPath: parseResult.GetValue(tokenizer),
                MaxSamplesPerRequest: parseResult.GetValue(maxSamples),
                MaxQueuedSamples: parseResult.GetValue(maxQueued),
                ShutdownTimeout: TimeSpan.FromSeconds(shutdownSeconds),
                RetryWindow: retrySeconds == 0 ? TimeSpan.FromTicks(1) : TimeSpan.FromSeconds(retrySeconds),
                LogLevel: level);
            RewardServer server;
            try
            {
                // the config's serve: section (strip_tokens, on_error, max_queued_samples); a flag given on the command line wins
                if (rewardConfig is not null && ServeSettings.From(rewardConfig) is { } settings)
                {
                    var given = new List<string>();
                    if (parseResult.GetResult(strip) is { Implicit: false }) given.Add(ServeSettings.StripTokensKey);
                    if (parseResult.GetResult(onError) is { Implicit: false }) given.Add(ServeSettings.OnErrorKey);
                    if (parseResult.GetResult(maxQueued) is { Implicit: false }) given.Add(ServeSettings.MaxQueuedSamplesKey);
                    options = settings.ApplyTo(options, given);
                }
                server = RewardServer.FromConfig(options, rewardConfig, logging: false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or RewardConfigException)
            {
                error.WriteLine($"serve: {e.Message}");
                return 2;
            }
            try
            {
                server.StartAsync().GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                error.WriteLine($"serve: cannot listen on {options.Host}:{options.Port}: {e.Message} (port in use? pick another with --port)");
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                return 2;
            }
            output.WriteLine($"reasonrl serve: listening on {server.Address} ({server.ConfigDescription}); " +
                $"token={(options.BearerToken is null ? "off" : "on")} max_body={options.MaxBodyBytes} timeout={options.EffectiveTimeout.TotalSeconds}s " +
                $"max_concurrent={options.MaxConcurrentRequests} verifier_threads={options.EffectiveVerifierThreads} max_samples={options.MaxSamplesPerRequest} " +
                $"max_queued={options.MaxQueuedSamples} on_error={(options.OnErrorReward is { } r0 ? r0.ToString(System.Globalization.CultureInfo.InvariantCulture) : "fail")} " +
                $"strip=[{string.Join(",", server.StripTokens)}] tokenizer={(options.TokenizerPath is null ? "none" : "loaded")}; Ctrl+C stops");
            server.WaitForShutdownAsync().GetAwaiter().GetResult();
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            output.WriteLine("reasonrl serve: stopped");
            return 0;
        });
        return cmd;
    }
}

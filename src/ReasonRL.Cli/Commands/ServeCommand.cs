// `reasonrl serve`: runs the reward layer as an HTTP service (ReasonRL.Server.RewardServer) on loopback
// until Ctrl+C. Thin: options → ServerOptions, --config → RewardConfigLoader, then RewardServer.FromConfig
// (the config's verifier options, and its in-process or remote PRM / ORM).
using System.CommandLine;
using ReasonRL.Rewards.Offline;
using ReasonRL.Server;

namespace ReasonRL.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "reward.yaml (steps, verifier, success, shaping, prm, orm, format, length); without it: success reward alone." };
        var host = new Option<string>("--host") { Description = "Loopback address to bind (only loopback is accepted).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port).", DefaultValueFactory = _ => 8000 };
        var token = new Option<string?>("--token") { Description = "Require 'Authorization: Bearer TOKEN' (all endpoints but /health). Default: env REASONRL_SERVE_TOKEN, else none." };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Request body limit in bytes (larger = 413).", DefaultValueFactory = _ => 8 * 1024 * 1024 };
        var timeout = new Option<double>("--timeout-seconds") { Description = "Per-request deadline in seconds (exceeded = 503).", DefaultValueFactory = _ => 30 };
        var concurrent = new Option<int>("--max-concurrent") { Description = "Requests scored at once; the rest wait within their deadline.", DefaultValueFactory = _ => 64 };
        var verifierThreads = new Option<int>("--verifier-threads") { Description = "Verifier calls at once (0 = core count).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("serve", "Serve rewards over HTTP: POST /get_reward (OpenRLHF), POST /v1/rewards (native), GET /health, GET /metrics.");
        foreach (var o in new Option[] { config, host, port, token, maxBody, timeout, concurrent, verifierThreads }) cmd.Options.Add(o);
        cmd.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
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
            }
            var options = new ServerOptions(
                parseResult.GetValue(host)!,
                parseResult.GetValue(port),
                parseResult.GetValue(token) ?? Environment.GetEnvironmentVariable("REASONRL_SERVE_TOKEN"),
                parseResult.GetValue(maxBody),
                TimeSpan.FromSeconds(parseResult.GetValue(timeout)),
                parseResult.GetValue(concurrent),
                parseResult.GetValue(verifierThreads));
            RewardServer server;
            try
            {
                server = RewardServer.FromConfig(options, rewardConfig, logging: false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
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
                $"max_concurrent={options.MaxConcurrentRequests} verifier_threads={options.EffectiveVerifierThreads}; Ctrl+C stops");
            server.WaitForShutdownAsync().GetAwaiter().GetResult();
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            output.WriteLine("reasonrl serve: stopped");
            return 0;
        });
        return cmd;
    }
}

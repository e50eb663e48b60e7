// Bad input gets a 4xx with a message and the server keeps serving; token, loopback-only binding,
// deadline, /health and /metrics.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class RobustnessTests
{
    [Theory]
    [InlineData("/get_reward", "{\"query\": [", "malformed JSON")]
    [InlineData("/get_reward", "{\"query\": 5}", "wrong type")]
    [InlineData("/get_reward", "{\"prompts\": [\"a\"]}", "missing field 'query'")]
    [InlineData("/get_reward", "{\"query\": [\"ab\"], \"prompts\": [\"x\"]}", "query[0] does not contain prompts[0]")]
    [InlineData("/get_reward", "{\"query\": [\"ab\"], \"labels\": [\"1\", \"2\"]}", "'labels' has 2")]
    [InlineData("/get_reward", "null", "JSON null")]
    [InlineData("/v1/rewards", "{\"samples\": []}", "'version' is missing")]
    [InlineData("/v1/rewards", "{\"version\": 1}", "missing field 'samples'")]
    [InlineData("/v1/rewards", "{\"version\": 1, \"samples\": [{\"response\": 3}]}", "wrong type")]
    public async Task BadRequest_Gets400WithMessage_ThenServerStillServes(string path, string json, string expected)
    {
        await using var server = await TestServers.StartAsync();
        using var http = new HttpClient();
        var (status, body) = await ProtocolTests.PostAsync(http, new Uri(server.Address, path), json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, body!["error"]!.GetValue<string>());
        var (ok, _) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), """{"query": ["\\boxed{1}"], "labels": ["1"]}""");
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task OversizedBody_Gets413_ThenServerStillServes()
    {
        await using var server = await TestServers.StartAsync(options: new ServerOptions(Port: 0, MaxBodyBytes: 4096));
        using var http = new HttpClient();
        var big = "{\"query\": [\"" + new string('x', 10_000) + "\"]}";
        var (status, body) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("4096 bytes", body!["error"]!.GetValue<string>());
        var (ok, _) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), """{"query": ["\\boxed{1}"]}""");
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task BearerToken_RequiredExceptOnHealth()
    {
        await using var server = await TestServers.StartAsync(options: new ServerOptions(Port: 0, BearerToken: "s3cret"));
        using var http = new HttpClient();
        var url = new Uri(server.Address, "/get_reward");
        var (denied, body) = await ProtocolTests.PostAsync(http, url, """{"query": ["1"]}""");
        Assert.Equal(HttpStatusCode.Unauthorized, denied);
        Assert.Contains("Bearer", body!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(server.Address, "/health"))).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        var (ok, _) = await ProtocolTests.PostAsync(http, url, """{"query": ["1"]}""");
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.10")]
    [InlineData("localhost-not-an-ip")]
    public void NonLoopbackHost_IsRefused(string host)
    {
        var e = Assert.Throws<ArgumentException>(() => new RewardServer(new ServerOptions(Host: host, Port: 0), null, (_, _) => throw new InvalidOperationException()));
        Assert.Contains("loopback", e.Message);
    }

    [Fact]
    public async Task SlowModel_PastDeadline_Gets503()
    {
        var prm = new RecordingPrm { Delay = TimeSpan.FromSeconds(5) };
        await using var server = await TestServers.StartAsync(TestServers.ClipDelta, prm, new ServerOptions(Port: 0, RequestTimeout: TimeSpan.FromMilliseconds(300)));
        using var http = new HttpClient();
        var (status, body) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/v1/rewards"), """{"version": 1, "samples": [{"prompt": "", "response": "\\boxed{1}", "gold": "1"}]}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("deadline", body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_HasNoPathsOrConfig_AndMetricsArePrometheusText()
    {
        await using var server = await TestServers.StartAsync(options: new ServerOptions(Port: 0, TokenizerPath: null, BearerToken: "t0k"));
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "t0k");
        var url = new Uri(server.Address, "/get_reward");
        await ProtocolTests.PostAsync(http, url, """{"query": ["\\boxed{1}", "\\boxed{2}", "\\boxed{3}"], "labels": ["1", "1", "1"]}""");
        await ProtocolTests.PostAsync(http, url, "{bad");
        var healthText = await http.GetStringAsync(new Uri(server.Address, "/health"));
        var health = System.Text.Json.Nodes.JsonNode.Parse(healthText)!;
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        Assert.Equal(["status", "uptime_seconds"], health.AsObject().Select(kv => kv.Key).ToArray());
        var response = await http.GetAsync(new Uri(server.Address, "/metrics"));
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("reasonrl_requests_total{path=\"/get_reward\"} 2", lines);
        Assert.Contains("reasonrl_responses_total{path=\"/get_reward\",code=\"200\"} 1", lines);
        Assert.Contains("reasonrl_responses_total{path=\"/get_reward\",code=\"400\"} 1", lines);
        Assert.Contains("reasonrl_responses_total{path=\"/health\",code=\"200\"} 1", lines);
        Assert.Contains("reasonrl_samples_total 3", lines);
        Assert.Contains("reasonrl_verdicts_total{verdict=\"correct\"} 1", lines);
        Assert.Contains("reasonrl_verdicts_total{verdict=\"incorrect\"} 2", lines);
        Assert.Contains("reasonrl_request_errors_total{kind=\"bad_request\"} 1", lines);
        Assert.Contains("reasonrl_request_duration_seconds_count{path=\"/get_reward\"} 2", lines);
        Assert.Contains("reasonrl_request_duration_seconds_bucket{path=\"/get_reward\",le=\"+Inf\"} 2", lines);
        Assert.Contains("reasonrl_admitted_samples 0", lines);
        // every sample line is "name{labels} value" or "name value", and every family has HELP and TYPE
        var typed = lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
        foreach (var line in lines.Where(l => !l.StartsWith('#')))
        {
            Assert.Matches("^[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})? -?[0-9.e+E-]+$", line);
            var name = line.Split('{', ' ')[0];
            var family = System.Text.RegularExpressions.Regex.Replace(name, "_(bucket|sum|count)$", "");
            Assert.True(typed.Contains(name) || typed.Contains(family), $"no # TYPE for {name}");
        }
    }

    [Fact]
    public async Task FailedRequest_IsOneStructuredLogLine()
    {
        using var log = new StringWriter();
        // The request line is written after the answer has gone out, so the test waits for it; reads take the
        // synchronized writer's lock (the one its writes hold), as the server may be writing meanwhile.
        var shared = TextWriter.Synchronized(log);
        string Logged() { lock (shared) return log.ToString(); }
        await using var server = new RewardServer(new ServerOptions(Port: 0, LogLevel: ServerLogLevel.Warn), null, ReasonRL.Rewards.Sources.MathVerifierJudge.Create(), log: shared);
        await server.StartAsync();
        using var http = new HttpClient();
        await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), """{"query": ["\\boxed{1}"]}""");
        await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), "{bad");
        await TestServers.WaitUntil(() => Logged().Contains("status=400", StringComparison.Ordinal));
        var lines = Logged().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines); // the 200 is below the warn level
        Assert.Matches("^ts=\\S+ level=warn method=POST path=/get_reward status=400 ms=[0-9.]+ kind=bad_request msg=\"malformed JSON", line);
    }
}

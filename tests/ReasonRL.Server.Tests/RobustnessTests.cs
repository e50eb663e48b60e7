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
    [InlineData("/get_reward", "{\"query\": [\"ab\"], \"prompts\": [\"x\"]}", "does not start with")]
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
    public async Task HealthAndMetrics_CountRequestsVerdictsAndStatuses()
    {
        await using var server = await TestServers.StartAsync();
        using var http = new HttpClient();
        var url = new Uri(server.Address, "/get_reward");
        await ProtocolTests.PostAsync(http, url, """{"query": ["\\boxed{1}", "\\boxed{2}", "\\boxed{3}"], "labels": ["1", "1", "1"]}""");
        await ProtocolTests.PostAsync(http, url, "{bad");
        var health = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(server.Address, "/health")))!;
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        Assert.Contains("no learned step reward", health["config"]!.GetValue<string>());
        var m = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(server.Address, "/metrics")))!;
        Assert.Equal(2, m["requests"]!["/get_reward"]!.GetValue<long>());
        Assert.Equal(2, m["responses"]!["200"]!.GetValue<long>()); // the scoring request and /health (this /metrics call is counted after it answers)
        Assert.Equal(1, m["responses"]!["400"]!.GetValue<long>());
        Assert.Equal(3, m["samples"]!.GetValue<long>());
        Assert.Equal(1, m["verdicts"]!["correct"]!.GetValue<long>());
        Assert.Equal(2, m["verdicts"]!["incorrect"]!.GetValue<long>());
        Assert.True(m["latency_max_ms"]!.GetValue<double>() > 0);
    }
}

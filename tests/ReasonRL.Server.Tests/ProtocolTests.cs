// Integration tests through a real loopback HTTP client: the Rewards library's own RemoteRewardSource
// (both protocols) pointed at the server, and raw JSON for what the client cannot send.
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Sources.Remote;
using ReasonRL.Rewards.Steps;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class ProtocolTests
{
    private static RewardSample Sample(string prompt, string response, string? gold) =>
        new(prompt, response, gold, new StepSplitter(StepSplitOptions.Lines).Split(response));

    internal static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(HttpClient http, Uri url, string json)
    {
        using var response = await http.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task OpenRlhfClient_GetsSuccessRewardPerSample()
    {
        await using var server = await TestServers.StartAsync();
        using var client = new RemoteRewardSource(RemoteRewardOptions.For(new Uri(server.Address, "/get_reward"), RemoteProtocol.OpenRlhf));
        var scores = await client.ScoreAsync([
            Sample("What is 2+2? ", "2+2 = 4.\nSo the answer is \\boxed{4}.", "4"),
            Sample("What is 2+2? ", "2+2 = 5.\nSo the answer is \\boxed{5}.", "4"),
        ]);
        Assert.All(scores, s => Assert.Equal(ScoreStatus.Ok, s.Status));
        Assert.Equal(1.0, scores[0].Outcome);
        Assert.Equal(0.0, scores[1].Outcome);
    }

    [Fact]
    public async Task OpenRlhf_MissingPromptsAndLabels_WholeQueryIsResponse_Unverifiable()
    {
        await using var server = await TestServers.StartAsync();
        using var http = new HttpClient();
        var (status, body) = await PostAsync(http, new Uri(server.Address, "/get_reward"), """{"query": ["a\nb\n\\boxed{1}"]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0.0, body!["rewards"]![0]!.GetValue<double>()); // no label → unverifiable → 0 by default values
        Assert.Equal(3.0, body["extra_logs"]!["steps"]![0]!.GetValue<double>()); // all three lines are response steps
        Assert.Equal(body["rewards"]!.ToJsonString(), body["scores"]!.ToJsonString());
    }

    [Fact]
    public async Task OpenRlhf_PromptPrefixIsRemovedBeforeSplitting()
    {
        await using var server = await TestServers.StartAsync();
        using var http = new HttpClient();
        var (status, body) = await PostAsync(http, new Uri(server.Address, "/get_reward"),
            """{"query": ["Q line 1\nQ line 2\nx = 3\n\\boxed{3}"], "prompts": ["Q line 1\nQ line 2\n"], "labels": ["3"]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1.0, body!["rewards"]![0]!.GetValue<double>());
        Assert.Equal(2.0, body["extra_logs"]!["steps"]![0]!.GetValue<double>());
    }

    [Fact]
    public async Task NativeClient_WithBatchedPrm_GetsShapedStepRewardsOfTheLibrary()
    {
        var prm = new RecordingPrm();
        await using var server = await TestServers.StartAsync(TestServers.ClipDelta, prm);
        using var client = new RemoteRewardSource(RemoteRewardOptions.For(new Uri(server.Address, "/v1/rewards"), RemoteProtocol.Native));
        var response = "x = 1\ny = 2\nso \\boxed{3}";
        var scores = await client.ScoreAsync([Sample("q", response, "3")]);
        var s = Assert.Single(scores);
        Assert.Equal(ScoreStatus.Ok, s.Status);
        Assert.Equal(SuccessVerdict.Correct, s.Verdict!.Verdict);
        var raw = Enumerable.Range(0, 3).Select(k => RecordingPrm.ScoreOf(response, k)).ToArray();
        Assert.Equal(raw, s.StepScores);
        Assert.Equal(StepShaping.Shape(raw, TestServers.ClipDelta.Design.Shaping!), s.StepRewards);
        Assert.Equal([new StepSpan(0, 5), new StepSpan(6, 11), new StepSpan(12, response.Length)], s.Steps);
    }

    [Fact]
    public async Task NativeClient_ShapingWithoutModelOrReplay_IsPerSampleError()
    {
        await using var server = await TestServers.StartAsync(TestServers.ClipDelta);
        using var client = new RemoteRewardSource(RemoteRewardOptions.For(new Uri(server.Address, "/v1/rewards"), RemoteProtocol.Native));
        var s = Assert.Single(await client.ScoreAsync([Sample("q", "\\boxed{3}", "3")]));
        Assert.Equal(ScoreStatus.Failed, s.Status);
        Assert.Contains("step_scores", s.Error);
    }

    [Fact]
    public async Task Native_ReplayedStepScores_MatchRewardComposer_AndBadSampleFailsAlone()
    {
        await using var server = await TestServers.StartAsync(TestServers.ClipDelta);
        using var http = new HttpClient();
        var (status, body) = await PostAsync(http, new Uri(server.Address, "/v1/rewards"),
            """{"version": 1, "samples": [{"prompt": "q", "response": "a\nb\n\\boxed{2}", "gold": "2", "step_scores": [0.9, 0.4, 0.7]}, {"prompt": "q", "gold": "2"}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var r0 = body!["results"]![0]!;
        var expected = RewardComposer.Diagnose(TestServers.ClipDelta.Design, "a\nb\n\\boxed{2}", [new(0, 1), new(2, 3), new(4, 13)],
            new SampleScore { Outcome = 1.0, Verdict = new SuccessJudgement(SuccessVerdict.Correct) }, [0.9, 0.4, 0.7], null);
        Assert.Equal("correct", r0["verdict"]!.GetValue<string>());
        Assert.Equal(expected.StepRewards, r0["step_rewards"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray());
        Assert.Equal(expected.TotalReturn, r0["total_return"]!.GetValue<double>(), 12);
        Assert.Null(r0["error"]);
        Assert.Contains("no 'response'", body["results"]![1]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenRlhf_ShapingWithoutStepScores_Is422NotAZeroReward()
    {
        await using var server = await TestServers.StartAsync(TestServers.ClipDelta);
        using var http = new HttpClient();
        var (status, body) = await PostAsync(http, new Uri(server.Address, "/get_reward"), """{"query": ["\\boxed{1}"], "labels": ["1"]}""");
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Contains("step_scores", body!["error"]!.GetValue<string>());
    }
}

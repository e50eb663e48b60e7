// RemoteRewardSource against an in-process HTTP host on 127.0.0.1: both protocols, retries with
// backoff on 5xx, no retry on 4xx or bad bodies, timeouts, connection refused, per-sample errors —
// and never a silent 0.
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Sources.Remote;
using ReasonRL.Rewards.Steps;
using System.Text.Json;

namespace ReasonRL.Rewards.Tests;

public sealed class RemoteRewardSourceTests
{
    private static readonly RewardSample[] Batch =
    [
        new("Q1: ", "2+2=4\n\\boxed{4}", "4", []),
        new("Q2: ", "3*3=9\n\\boxed{9}", null, []),
    ];

    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(40);

    private static RemoteRewardSource Client(Uri endpoint, RemoteProtocol protocol, List<TimeSpan> waits, int attempts = 3, double timeoutSeconds = 5) =>
        new(new RemoteRewardOptions(endpoint, protocol, TimeSpan.FromSeconds(timeoutSeconds), attempts, Backoff),
            delay: (wait, ct) => { waits.Add(wait); return Task.Delay(wait, ct); });

    [Fact]
    public async Task OpenRlhf_request_has_query_prompts_labels_and_rewards_are_read()
    {
        await using var server = new ScriptedRewardServer((_, _) => new ScriptedReply(200, """{"rewards": [0.75, -0.5], "scores": [9, 9]}"""));
        using var client = Client(server.Endpoint, RemoteProtocol.OpenRlhf, []);
        var scores = await client.ScoreAsync(Batch);

        Assert.Equal([0.75, -0.5], scores.Select(s => s.Outcome!.Value));
        using var request = JsonDocument.Parse(server.Requests.Single());
        var root = request.RootElement;
        Assert.Equal(["Q1: 2+2=4\n\\boxed{4}", "Q2: 3*3=9\n\\boxed{9}"], root.GetProperty("query").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["Q1: ", "Q2: "], root.GetProperty("prompts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["4", ""], root.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task OpenRlhf_scores_field_is_accepted_when_rewards_is_absent()
    {
        await using var server = new ScriptedRewardServer((_, _) => new ScriptedReply(200, """{"scores": [1, 0]}"""));
        using var client = Client(server.Endpoint, RemoteProtocol.OpenRlhf, []);
        Assert.Equal([1.0, 0.0], (await client.ScoreAsync(Batch)).Select(s => s.Outcome!.Value));
    }

    [Fact]
    public async Task Server_errors_are_retried_with_exponential_backoff_then_succeed()
    {
        await using var server = new ScriptedRewardServer((i, _) => i < 2 ? new ScriptedReply(503, "busy") : new ScriptedReply(200, """{"rewards": [1, 0]}"""));
        var waits = new List<TimeSpan>();
        using var client = Client(server.Endpoint, RemoteProtocol.OpenRlhf, waits);
        var scores = await client.ScoreAsync(Batch);

        Assert.All(scores, s => Assert.Equal(ScoreStatus.Ok, s.Status));
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal([Backoff, Backoff * 2], waits);
    }

    [Fact]
    public async Task Persistent_server_errors_fail_every_sample_explicitly()
    {
        await using var server = new ScriptedRewardServer((_, _) => new ScriptedReply(500, "boom"));
        using var client = Client(server.Endpoint, RemoteProtocol.OpenRlhf, []);
        var scores = await client.ScoreAsync(Batch);

        Assert.Equal(3, server.Requests.Count);
        Assert.All(scores, s =>
        {
            Assert.Equal(ScoreStatus.Failed, s.Status);
            Assert.Null(s.Outcome);
            Assert.Contains("HTTP 500", s.Error, StringComparison.Ordinal);
            Assert.Contains("gave up after 3 attempt(s)", s.Error, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(400, "{}", "HTTP 400")]
    [InlineData(200, """{"rewards": [1]}""", "1 reward(s) for 2 sample(s)")]
    [InlineData(200, """{"values": [1, 2]}""", "neither \"rewards\" nor \"scores\"")]
    [InlineData(200, "not json", "bad response body")]
    public async Task Client_errors_and_bad_bodies_are_not_retried(int status, string body, string expected)
    {
        await using var server = new ScriptedRewardServer((_, _) => new ScriptedReply(status, body));
        using var client = Client(server.Endpoint, RemoteProtocol.OpenRlhf, []);
        var scores = await client.ScoreAsync(Batch);

        Assert.Single(server.Requests);
        Assert.All(scores, s => Assert.Contains(expected, s.Error, StringComparison.Ordinal));
        Assert.All(scores, s => Assert.Contains("not retryable", s.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_attempt_times_out_and_the_failure_says_so()
    {
        // The server would answer after 60 s; two 0.2 s attempts must end far sooner (the bound is
        // loose so a loaded machine cannot fail it, and still 6x below the server's delay).
        await using var server = new ScriptedRewardServer((_, _) => new ScriptedReply(200, """{"rewards": [1, 1]}""", TimeSpan.FromSeconds(60)));
        using var client = Client(server.Endpoint, RemoteProtocol.OpenRlhf, [], attempts: 2, timeoutSeconds: 0.2);
        var started = DateTime.UtcNow;
        var scores = await client.ScoreAsync(Batch);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the timeout did not cut the attempts short");
        Assert.All(scores, s => Assert.Contains("timed out after 0.2 s", s.Error, StringComparison.Ordinal));
        // Counted on arrival: the second attempt can time out before the server has read its body.
        Assert.Equal(2, await server.WaitForArrivalsAsync(2, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Connection_refused_is_retried_then_fails()
    {
        var nobody = new Uri($"http://127.0.0.1:{ScriptedRewardServer.FreePort()}/get_reward");
        var waits = new List<TimeSpan>();
        using var client = Client(nobody, RemoteProtocol.OpenRlhf, waits, attempts: 2);
        var scores = await client.ScoreAsync(Batch);

        Assert.Single(waits);
        Assert.All(scores, s => Assert.Contains("request failed", s.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Native_protocol_round_trips_steps_rewards_and_per_sample_errors()
    {
        // The host answers with the library's own composition (Clip-Delta example design, fixed PRM
        // scores per step) and fails the sample that has no gold answer.
        var splitter = new StepSplitter(StepSplitOptions.Lines);
        await using var server = new ScriptedRewardServer((_, body) =>
        {
            var request = JsonSerializer.Deserialize(body, RemoteProtocolJson.Default.NativeRequest)!;
            var results = request.Samples.Select(s =>
            {
                if (s.Gold is null) return NativeResults.Failure("no gold answer");
                var steps = splitter.Split(s.Response);
                var success = new SampleScore { Outcome = 1.0, Verdict = new SuccessJudgement(SuccessVerdict.Correct) };
                var scores = Enumerable.Repeat(0.3, steps.Length).ToArray();
                return NativeResults.From(RewardComposer.Diagnose(RewardDesign.ClipDeltaExample, s.Response, steps, success, scores, null));
            }).ToArray();
            return new ScriptedReply(200, JsonSerializer.Serialize(new NativeResponse(1, results), RemoteProtocolJson.Default.NativeResponse));
        });
        using var client = Client(server.Endpoint, RemoteProtocol.Native, []);
        var scores = await client.ScoreAsync(Batch);

        var ok = scores[0];
        Assert.Equal(ScoreStatus.Ok, ok.Status);
        Assert.Equal(SuccessVerdict.Correct, ok.Verdict!.Verdict);
        Assert.Equal(1.0, ok.Outcome);
        Assert.Equal([new StepSpan(0, 5), new StepSpan(6, 15)], ok.Steps!);
        Assert.Equal([0.3, 0.3], ok.StepScores!);
        // Clip-Delta of [0.3, 0.3] with η = 0.5: c = [−0.2, −0.2] → [0, −0.2].
        WorkedExampleTests.AssertClose([0.0, -0.2], ok.StepRewards!, 1e-12, "step rewards");
        Assert.Equal(ScoreStatus.Failed, scores[1].Status);
        Assert.Contains("sample 1: server error: no gold answer", scores[1].Error, StringComparison.Ordinal);
        Assert.Contains("\"version\":1", server.Requests.Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version": 2, "results": []}""", "version 2")]
    [InlineData("""{"version": 1, "results": [{"verdict": "maybe", "success": 1, "steps": [], "step_rewards": []}]}""", "verdict 'maybe'")]
    [InlineData("""{"version": 1, "results": [{"verdict": "correct", "success": 1, "steps": [{"start": 0, "end": 2}], "step_rewards": []}]}""", "0 step reward(s) for 1 step(s)")]
    [InlineData("""{"version": 1, "results": [{"verdict": "correct", "steps": [], "step_rewards": []}]}""", "no \"success\"")]
    public void Native_bodies_are_checked(string body, string expected)
    {
        // A whole-body problem throws (the source turns it into a batch failure); a bad result fails its sample.
        string message;
        try
        {
            var score = RemoteRewardSource.ParseNative(body, 1).Single();
            Assert.Equal(ScoreStatus.Failed, score.Status);
            message = score.Error!;
        }
        catch (FormatException e)
        {
            message = e.Message;
        }
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }
}

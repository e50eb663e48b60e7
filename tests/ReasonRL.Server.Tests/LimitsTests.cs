// Request concurrency limit (a request waits for a slot, not just for the verifier) and the replayed
// ORM path (orm_score → the library's ORM term; missing → per-sample error, never 0).
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Sources;
using System.Net;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class LimitsTests
{
    private const string Replayed = """{"version": 1, "samples": [{"prompt": "", "response": "\\boxed{1}", "gold": "1", "step_scores": [0.5]}]}""";
    private const string NeedsModel = """{"version": 1, "samples": [{"prompt": "", "response": "\\boxed{1}", "gold": "1"}]}""";

    [Theory]
    [InlineData(1, false)] // the held request owns the only slot: the second waits
    [InlineData(2, true)]  // control: with two slots the second finishes while the first is held
    public async Task SecondRequest_WaitsForASlot_OnlyWhenTheLimitIsReached(int slots, bool secondFinishesWhileFirstHeld)
    {
        var prm = new RecordingPrm { Hold = new TaskCompletionSource() };
        await using var server = await TestServers.StartAsync(TestServers.ClipDelta, prm,
            new ServerOptions(Port: 0, MaxConcurrentRequests: slots, RequestTimeout: TimeSpan.FromSeconds(30)));
        using var http = new HttpClient();
        var url = new Uri(server.Address, "/v1/rewards");
        var held = ProtocolTests.PostAsync(http, url, NeedsModel);
        for (var i = 0; i < 1000 && prm.BatchSizes.IsEmpty; i++) await Task.Delay(10);
        Assert.False(prm.BatchSizes.IsEmpty);
        var second = ProtocolTests.PostAsync(http, url, Replayed); // needs no model, only a slot
        var finished = await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(secondFinishesWhileFirstHeld ? 10 : 0.5))) == second;
        Assert.Equal(secondFinishesWhileFirstHeld, finished);
        prm.Hold.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await held).Status);
        Assert.Equal(HttpStatusCode.OK, (await second).Status);
    }

    [Fact]
    public async Task ReplayedOrmScore_GivesTheLibrarysOrmTerm_MissingOneIsPerSampleError()
    {
        var config = RewardConfigLoader.Parse("orm: { alpha: 0.5 }\n", "orm.yaml");
        await using var server = await TestServers.StartAsync(config);
        using var http = new HttpClient();
        var (status, body) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/v1/rewards"),
            """{"version": 1, "samples": [{"prompt": "", "response": "\\boxed{2}", "gold": "1", "orm_score": 0.8}, {"prompt": "", "response": "\\boxed{1}", "gold": "1"}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var expected = RewardComposer.Diagnose(config.Design, "\\boxed{2}", [new(0, 9)],
            new SampleScore { Outcome = 0.0, Verdict = new SuccessJudgement(SuccessVerdict.Incorrect) }, null, 0.8);
        Assert.NotEqual(0.0, expected.OrmTerm);
        Assert.Equal(expected.TotalReturn, body!["results"]![0]!["total_return"]!.GetValue<double>(), 12);
        Assert.Contains("orm_score", body["results"]![1]!["error"]!.GetValue<string>());
    }
}

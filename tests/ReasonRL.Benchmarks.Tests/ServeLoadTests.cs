// ServeLoad: payloads built from real2000 are what the server accepts (0 errors under a short
// concurrent run, real verdicts), step_scores match the server's step split, and non-loopback
// targets are refused.
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Tests;
using Xunit;

using ReasonRL.Benchmarks;
using ReasonRL.Server;

using ReasonRL.Server.Tests;

namespace ReasonRL.Benchmarks.Tests;

public sealed class ServeLoadTests
{
    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public async Task ShortLoad_BothConfigurations_ZeroErrors_RealVerdicts()
    {
        var path = SharedData.PathOf("verifier-eval/real2000.jsonl");
        var verifierPayloads = ServeLoad.Build(path, 4, null);
        var prmPayloads = ServeLoad.Build(path, 4, new StepSplitter(TestServers.ClipDelta.Steps));
        Assert.Equal(500, verifierPayloads.Count);
        Assert.All(prmPayloads, p => Assert.Equal("/v1/rewards", p.Path));

        await using (var server = await TestServers.StartAsync())
        {
            // Payload 0 holds pairs 0–3 (labelled correct), payload 12 pairs 48–51 (48 and 51 labelled incorrect);
            // with 4 clients round-robin every client sends at least one, however loaded the machine is.
            var r = await ServeLoad.RunAsync(server.Address, [verifierPayloads[0], verifierPayloads[12]], clients: 4, TimeSpan.FromSeconds(1));
            Assert.True(r.Requests > 0);
            Assert.Equal(0, r.Errors);
            var m = server.Metrics;
            Assert.True(m.Verdicts(SuccessVerdict.Correct) > 0 && m.Verdicts(SuccessVerdict.Incorrect) > 0,
                $"real2000 holds both correct and incorrect outputs; got {m.Verdicts(SuccessVerdict.Correct)} correct, {m.Verdicts(SuccessVerdict.Incorrect)} incorrect in {r.Requests} requests");
        }
        await using (var server = await TestServers.StartAsync(TestServers.ClipDelta))
        {
            var r = await ServeLoad.RunAsync(server.Address, prmPayloads, clients: 4, TimeSpan.FromSeconds(1));
            Assert.True(r.Requests > 0);
            Assert.Equal(0, r.Errors); // replayed step_scores count matches the server's steps for every sample
            Assert.Equal(0, server.Metrics.SampleErrors);
        }
    }

    [Fact]
    public async Task NonLoopbackTarget_IsRefused()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => ServeLoad.RunAsync(new Uri("http://10.0.0.1:8000"), [new LoadPayload("/get_reward", [], 1)], 1, TimeSpan.FromSeconds(1)));
        Assert.Contains("loopback", e.Message);
    }
}

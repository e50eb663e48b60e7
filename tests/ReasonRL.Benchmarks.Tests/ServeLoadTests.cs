// ServeLoad: payloads built from real2000 are what the server accepts (0 errors under a short
// concurrent run, real verdicts), step_scores match the server's step split, and non-loopback
// targets are refused.
using ReasonRL.Benchmarks;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Server;
using ReasonRL.Server.Tests;
using ReasonRL.Tests;
using Xunit;

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

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public async Task OpenRlhfPayloads_AreShapedAsOpenRlhfSendsThem_AndScoreWithoutErrorsOnceStripped()
    {
        var path = SharedData.PathOf("verifier-eval/real2000.jsonl");
        var payloads = ServeLoad.BuildOpenRlhf(path, batch: 64, count: 3);
        Assert.Equal(3, payloads.Count);
        Assert.Equal(3, payloads.Select(p => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(p.Body))).Distinct().Count());
        using var doc = System.Text.Json.JsonDocument.Parse(payloads[0].Body);
        var queries = doc.RootElement.GetProperty("query").EnumerateArray().Select(q => q.GetString()!).ToArray();
        var labels = doc.RootElement.GetProperty("labels").EnumerateArray().ToArray();
        Assert.Equal(64, queries.Length);
        Assert.All(queries, q => Assert.EndsWith("<|im_end|>", q));
        Assert.Contains(queries, q => q.StartsWith("<|endoftext|>", StringComparison.Ordinal));
        Assert.Contains(labels, l => l.ValueKind == System.Text.Json.JsonValueKind.Number);
        var perSample = payloads.Average(p => p.Body.Length) / 64.0;
        Assert.InRange(perSample, 1500, 3500); // "about 2 KB" per sample
        // distinct nonces make distinct bodies with the same content
        Assert.NotEqual(payloads[0].WithNonce(1).Body, payloads[0].WithNonce(2).Body);
        Assert.Equal(payloads[0].Body.Length + 7, payloads[0].WithNonce(7).Body.Length);   // trailing spaces: lengths differ
        Assert.Equal(payloads[0].WithNonce(7).Body, payloads[0].WithNonce(7).Body);             // a retry resends the same body
        // the overload generator sends the nonced body in pieces, without copying the shared body: the same bytes
        Assert.Equal(payloads[0].WithNonce(1030).Body, payloads[0].NonceSegments(1030).SelectMany(p => p.ToArray()).ToArray());

        await using var server = await TestServers.StartAsync(options: new ServerOptions(Port: 0, StripTokens: ServeLoad.QwenStripTokens));
        var r = await ServeLoad.RunAsync(server.Address, payloads, clients: 2, TimeSpan.FromSeconds(1));
        Assert.True(r.Requests > 0);
        Assert.True(r.Errors == 0, r.FirstError);
        Assert.Equal(0, server.Metrics.SampleErrors);
        Assert.True(server.Metrics.Verdicts(SuccessVerdict.Correct) > 0 && server.Metrics.Verdicts(SuccessVerdict.Incorrect) > 0);
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public async Task Overload_WithABoundedQueue_AnswersOnly200OrFast503_AndDrains()
    {
        var payloads = ServeLoad.BuildOpenRlhf(SharedData.PathOf("verifier-eval/real2000.jsonl"), batch: 16, count: 4);
        // a judge of 20 ms per sample on one thread: 16-sample batches take 0.32 s; 10 batches/s offered is ~3x that
        SuccessJudge slow = (response, gold) =>
        {
            Thread.Sleep(20);
            return new SuccessJudgement(SuccessVerdict.Incorrect);
        };
        await using var server = new RewardServer(new ServerOptions(Port: 0, StripTokens: ServeLoad.QwenStripTokens, VerifierThreads: 1,
            MaxSamplesPerRequest: 16, MaxQueuedSamples: 48, RequestTimeout: TimeSpan.FromSeconds(30), LogLevel: ServerLogLevel.Off), null, slow);
        await server.StartAsync();
        var r = await ServeLoad.RunOverloadAsync(server.Address, payloads, batchesPerSecond: 10, TimeSpan.FromSeconds(2),
            () => (server.AdmittedSamples, 0), tries: 5, retrySleep: TimeSpan.FromMilliseconds(200));
        Assert.True(r.Batches >= 15, $"{r.Batches} batches offered");
        Assert.True(r.Answers.ContainsKey("503 overloaded"), string.Join(", ", r.Answers));
        Assert.Equal(r.Tries, r.Answers.Where(a => a.Key is "200" or "503 overloaded").Sum(a => a.Value));
        Assert.True(r.MaxRefusalMs < 30_000 * 0.25, $"slowest 503: {r.MaxRefusalMs} ms of a 30 s timeout");
        Assert.True(server.Metrics.MaxSecondsForKind("overloaded") < 30 * 0.1, $"server-side slowest refusal: {server.Metrics.MaxSecondsForKind("overloaded")} s");
        Assert.True(r.MaxAdmittedSamples <= 48, $"admitted {r.MaxAdmittedSamples}");
        Assert.Equal(0, server.AdmittedSamples);
        Assert.Equal(r.Batches, r.Succeeded + r.GaveUp);
        // every try announced its whole body; a refused one was closed before it was all uploaded, an admitted one was read
        Assert.InRange(r.TriesWhileOffered, r.Batches, r.Tries); // every first try starts while the load is offered
        Assert.True(r.SentBytes <= r.AnnouncedBytes && r.SentBytes > 0, $"sent {r.SentBytes} of {r.AnnouncedBytes} announced bytes");
    }

    [Fact]
    public async Task NonLoopbackTarget_IsRefused()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => ServeLoad.RunAsync(new Uri("http://10.0.0.1:8000"), [new LoadPayload("/get_reward", [], 1)], 1, TimeSpan.FromSeconds(1)));
        Assert.Contains("loopback", e.Message);
    }
}

// token_rewards on /v1/rewards (verl's per-token reward tensor): with the real Qwen3 tokenizer.json from
// ../shared/data/tokenizer, a response sent as token ids gets one reward per id — each shaped step reward on
// the token that ends the step, success + outcome terms on the last token. The expected vector is built
// independently of the server's decode path: from the tokenizer's own Encode offsets of the response text
// and StepTokenMap, with RewardComposer's step rewards.
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Tests;
using ReasonRL.Text;
using System.Net;
using System.Text.Json;
using Xunit;
using StepOffset = ReasonRL.Rewards.Steps.TokenOffset;

namespace ReasonRL.Server.Tests;

[Trait(SharedData.Trait, SharedData.TraitValue)]
public sealed class TokenRewardsTests
{
    private static string TokenizerPath => SharedData.PathOf("data/tokenizer/qwen3-tokenizer.json.gz");

    // multi-byte characters (×, ≈, an emoji split over byte-level tokens) and a step ending mid-token ("=12\nSo")
    private const string Response = "First, 3 × 4 = 12\nSo the total is 12 apples 🍎.\nCheck: 12 ≈ 12, fine.\nThe answer is \\boxed{12}";

    [SharedDataFact]
    public async Task TokenRewards_PutEachStepRewardOnItsLastToken_AndTheOutcomeOnTheLast()
    {
        var tokenizer = TokenizerLoader.Load(TokenizerPath);
        var encoding = tokenizer.Encode(Response);
        var eos = tokenizer.EosIds[0];
        var ids = encoding.Ids.Append(eos).ToArray();
        double[] stepScores = [0.9, 0.4, 0.7, 0.8];

        await using var server = await TestServers.StartAsync(TestServers.ClipDelta, options: new ServerOptions(Port: 0, TokenizerPath: TokenizerPath));
        using var http = new HttpClient();
        var body = JsonSerializer.Serialize(new
        {
            version = 1,
            samples = new[] { new { prompt = "q", gold = "12", step_scores = stepScores, response_ids = ids } },
        });
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/v1/rewards"), body);
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        var result = json!["results"]![0]!;
        Assert.True(result["error"] is null, result["error"]?.ToJsonString());
        var got = result["token_rewards"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();

        var steps = new StepSplitter(TestServers.ClipDelta.Steps).Split(Response);
        Assert.Equal(4, steps.Length);
        var d = RewardComposer.Diagnose(TestServers.ClipDelta.Design, Response, steps,
            new SampleScore { Outcome = 1.0, Verdict = new SuccessJudgement(SuccessVerdict.Correct) }, stepScores, null);
        var offsets = encoding.Offsets.Select(o => new StepOffset(o.Start, o.End)).Append(new StepOffset(Response.Length, Response.Length)).ToArray();
        var ends = StepTokenMap.StepEndTokens(steps, offsets);
        var expected = new double[ids.Length];
        for (var k = 0; k < ends.Length; k++) expected[ends[k]] += d.StepRewards[k];
        expected[^1] += d.Success;

        Assert.Equal(ids.Length, got.Length);
        Assert.Equal(expected, got);
        Assert.Equal(d.TotalReturn, got.Sum(), 12);
        Assert.Equal(d.StepRewards, result["step_rewards"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray());
        Assert.Equal("correct", result["verdict"]!.GetValue<string>());
        // the steps really sit on different tokens, before the EOS
        Assert.Equal(ends.Length, ends.Distinct().Count());
        Assert.True(ends[^1] < ids.Length - 1);
    }

    [SharedDataFact]
    public void Decode_GivesTheTextAndRangesTheTokenizerEncodedFrom()
    {
        var tokenizer = TokenizerLoader.Load(TokenizerPath);
        var encoding = tokenizer.Encode(Response);
        var (text, offsets) = new TokenRewards(tokenizer).Decode(encoding.Ids.Append(tokenizer.EosIds[0]).ToArray());
        Assert.Equal(Response, text);
        // every token's range ends where the tokenizer's own offset ends (the emoji's pieces share its range)
        for (var i = 0; i < encoding.Count; i++) Assert.Equal(encoding.Offsets[i].End, offsets[i].End);
        Assert.Equal(new StepOffset(Response.Length, Response.Length), offsets[^1]); // EOS: empty, at the end
    }

    [SharedDataFact]
    public async Task BadIds_AndNoTokenizer_ArePerSampleErrors()
    {
        await using (var server = await TestServers.StartAsync(options: new ServerOptions(Port: 0, TokenizerPath: TokenizerPath)))
        {
            using var http = new HttpClient();
            var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/v1/rewards"),
                """{"version": 1, "samples": [{"prompt": "", "gold": "1", "response_ids": [99999999]}, {"prompt": "", "gold": "1", "response_ids": []}, {"prompt": "", "response": "\\boxed{1}", "gold": "1"}]}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("response_ids[0] = 99999999", json!["results"]![0]!["error"]!.GetValue<string>());
            Assert.Contains("empty", json!["results"]![1]!["error"]!.GetValue<string>());
            Assert.Equal("correct", json!["results"]![2]!["verdict"]!.GetValue<string>());
            Assert.Null(json!["results"]![2]!["token_rewards"]);
        }
        await using (var server = await TestServers.StartAsync())
        {
            using var http = new HttpClient();
            var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/v1/rewards"),
                """{"version": 1, "samples": [{"prompt": "", "gold": "1", "response_ids": [16]}]}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("--tokenizer", json!["results"]![0]!["error"]!.GetValue<string>());
        }
    }
}

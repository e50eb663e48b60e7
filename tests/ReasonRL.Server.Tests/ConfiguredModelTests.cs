// `reasonrl serve --config` with in-process reward models: tiny PRM and ORM directories are made in the
// test from the committed fixture backbone (tests/Fixtures/tiny-qwen2-bpe) with fresh heads, the server
// is built by RewardServer.FromConfig and queried through a real loopback client. Checks: the PRM's raw
// step scores served over HTTP equal the same model scored directly (also under concurrent requests,
// which the batcher coalesces), the ORM's score is used exactly as a replayed orm_score would be, and
// the verifier: section changes verdicts.
using ReasonRL.Models;
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Sources.Remote;
using ReasonRL.Rewards.Steps;
using ReasonRL.Tensors;
using ReasonRL.Tests;
using System.Net;
using System.Text.Json;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class ConfiguredModelTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(SharedData.RepoRoot, "tests", "Fixtures", "tiny-qwen2-bpe");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"reasonrl-serve-rm-{Guid.NewGuid():N}");

    public ConfiguredModelTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string MakeModel(RewardModelKind kind)
    {
        string dir = Path.Combine(_dir, kind.ToString().ToLowerInvariant());
        var checkpoint = HfCheckpoint.Load(Fixture);
        var backbone = new Transformer(checkpoint.Config, GemmFactory.Create(GemmKind.Managed));
        backbone.LoadParameters(checkpoint.Floats);
        using (var model = RewardModel.Create(kind, backbone, headSeed: 9)) model.Save(dir);
        File.Copy(Path.Combine(Fixture, "tokenizer.json"), Path.Combine(dir, "tokenizer.json"));
        return dir;
    }

    private static RewardSample Sample(string response, string gold) =>
        new("Tom has 3 apples and buys 4 more. How many? ", response, gold, new StepSplitter(StepSplitOptions.Lines).Split(response));

    private static readonly RewardSample[] Samples =
    [
        Sample("3 + 4 = 7\nSo he has 7 apples.\nThe answer is \\boxed{7}", "7"),
        Sample("3 * 4 = 12\nThe answer is \\boxed{12}", "7"),
        Sample("He buys more.\nNow 3 + 4 = 7 apples.\nCheck: 7 - 4 = 3.\n\\boxed{7}", "7"),
    ];

    private static async Task<RewardServer> StartAsync(string yaml)
    {
        var server = RewardServer.FromConfig(new ServerOptions(Port: 0), RewardConfigLoader.Parse(yaml, "serve.yaml"));
        await server.StartAsync();
        return server;
    }

    [Fact]
    public async Task InProcessPrmStepScoresMatchTheModelScoredDirectly()
    {
        string prm = MakeModel(RewardModelKind.Prm);
        await using var server = await StartAsync($"shaping: {{ kind: clip_delta, alpha: 1.0, eta: 0.5 }}\nprm: {{ path: \"{prm}\", convention: step_end }}\n");
        Assert.Contains("prm path", server.ConfigDescription, StringComparison.Ordinal);
        using var direct = LoadedRewardModel.Open(prm);
        var expected = await direct.Source.ScoreAsync(Samples);

        using var client = new RemoteRewardSource(RemoteRewardOptions.For(new Uri(server.Address, "/v1/rewards"), RemoteProtocol.Native));
        // 8 concurrent one-sample requests per sample: each must get its own sample's scores
        var calls = Enumerable.Range(0, 8).SelectMany(_ => Samples.Select(s => client.ScoreAsync([s]))).ToArray();
        var served = await Task.WhenAll(calls);
        for (int i = 0; i < served.Length; i++)
        {
            var got = served[i][0];
            Assert.True(got.Status == ScoreStatus.Ok, got.Error);
            var want = expected[i % Samples.Length].StepScores!;
            Assert.Equal(want.Count, got.StepScores!.Count);
            // padding in a coalesced batch leaves real tokens' scores unchanged up to float rounding
            for (int k = 0; k < want.Count; k++) Assert.Equal(want[k], got.StepScores[k], 5);
            Assert.All(got.StepScores, s => Assert.InRange(s, 0, 1));
        }
        Assert.True(server.ModelBatcher!.Batches >= 1);
        // identical concurrent bodies share one scoring (RequestWork): the model scores each distinct sample once,
        // however many requests were made for it (the answer is within the retry window for later ones)
        Assert.Equal(Samples.Length, server.ModelBatcher.BatchedSamples);
    }

    [Fact]
    public async Task ResponseLongerThanThePrmContext_IsAPerSampleError_OthersAreScored()
    {
        string prm = MakeModel(RewardModelKind.Prm);
        await using var server = await StartAsync($"shaping: {{ kind: clip_delta, alpha: 1.0, eta: 0.5 }}\nprm: {{ path: \"{prm}\", convention: step_end }}\n");
        using var http = new HttpClient();
        // the fixture's max_position_embeddings is 4096: ~6000 tokens of arithmetic lines overflow it
        var tooLong = JsonSerializer.Serialize(string.Concat(Enumerable.Repeat("12 + 34 = 46\n", 1000)) + "\\boxed{46}");
        var ok = JsonSerializer.Serialize(Samples[0].Response);
        var (status, body) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/v1/rewards"),
            $$"""{"version": 1, "samples": [{"prompt": "q", "response": {{tooLong}}, "gold": "46"}, {"prompt": "q", "response": {{ok}}, "gold": "7"}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("max_position_embeddings 4096", body!["results"]![0]!["error"]!.GetValue<string>());
        Assert.True(body["results"]![1]!["error"] is null, body["results"]![1]!["error"]?.ToJsonString());
        Assert.Equal("correct", body["results"]![1]!["verdict"]!.GetValue<string>());
    }

    [Fact]
    public async Task InProcessOrmScoreIsUsedAsAReplayedOrmScoreWouldBe()
    {
        string orm = MakeModel(RewardModelKind.Orm);
        await using var server = await StartAsync($"orm: {{ alpha: 0.5, path: \"{orm}\" }}\n");
        using var direct = LoadedRewardModel.Open(orm);
        var scores = await direct.Source.ScoreAsync([Samples[0]]);
        double ormScore = scores[0].Outcome!.Value;

        using var http = new HttpClient();
        string sample = JsonSerializer.Serialize(Samples[0].Response);
        var (status, fromModel) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/v1/rewards"),
            $$"""{"version": 1, "samples": [{"prompt": "Tom has 3 apples and buys 4 more. How many? ", "response": {{sample}}, "gold": "7"}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var (_, replayed) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/v1/rewards"),
            $$"""{"version": 1, "samples": [{"prompt": "x", "response": {{sample}}, "gold": "7", "orm_score": {{ormScore.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}]}""");
        var a = fromModel!["results"]![0]!;
        var b = replayed!["results"]![0]!;
        Assert.Null(a["error"]?.GetValue<string>());
        Assert.Equal(b["total_return"]!.GetValue<double>(), a["total_return"]!.GetValue<double>(), 5);
        Assert.NotEqual(a["success"]!.GetValue<double>(), a["total_return"]!.GetValue<double>());   // the ORM term is really there
        Assert.Equal(1, server.OutcomeBatcher!.BatchedSamples);
    }

    [Fact]
    public async Task VerifierSectionChangesTheVerdict()
    {
        var sample = new RewardSample("", "1/3 is about 0.3333, so \\boxed{0.3333}", "\\frac{1}{3}", []);
        async Task<double?> SuccessUnder(string yaml)
        {
            await using var server = await StartAsync(yaml);
            using var client = new RemoteRewardSource(RemoteRewardOptions.For(new Uri(server.Address, "/get_reward"), RemoteProtocol.OpenRlhf));
            return (await client.ScoreAsync([sample]))[0].Outcome;
        }
        Assert.Equal(0.0, await SuccessUnder("success: { correct: 1 }\n"));                 // convention: 0.3333 ≠ 1/3
        Assert.Equal(1.0, await SuccessUnder("verifier: { decimal_rounding: 4 }\n"));      // Math-Verify-style rounding
    }

    [Fact]
    public async Task WithoutATokenizer_ThePrmsTokenizerConfigNamesThePadAndEosStrippedFromOpenRlhfQueries()
    {
        string prm = MakeModel(RewardModelKind.Prm);
        File.WriteAllText(Path.Combine(prm, "tokenizer_config.json"), """{"eos_token": "<|im_end|>", "pad_token": {"content": "<|endoftext|>"}}""");
        // raw shaping: the learned return is the sum of every step's score, the last step's included
        await using var server = await StartAsync($"shaping: {{ kind: raw }}\nprm: {{ path: \"{prm}\", convention: step_end }}\n");
        Assert.Equal(["<|endoftext|>", "<|im_end|>"], server.StripTokens.Order(StringComparer.Ordinal));

        // as OpenRLHF sends it: left pads, the chat-templated prompt, the response, EOS; no --tokenizer, no --strip-tokens
        var prompt = "<|im_start|>user\nTom has 3 apples and buys 4 more. How many?<|im_end|>\n<|im_start|>assistant\n";
        var query = "<|endoftext|><|endoftext|>" + prompt + Samples[0].Response + "<|im_end|>";
        using var http = new HttpClient();
        // the same sample as a clean query beside it: the PRM must see the same response (no EOS in its last step)
        var (status, body) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"),
            JsonSerializer.Serialize(new { query = new[] { query, prompt + Samples[0].Response }, prompts = new[] { prompt, prompt }, labels = new[] { 7, 7 } }));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1.0, body!["extra_logs"]!["success"]![0]!.GetValue<double>());
        var learned = body["extra_logs"]!["learned_return"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();
        Assert.NotEqual(0.0, learned[1]);
        Assert.Equal(learned[1], learned[0], 5);
    }

    [Fact]
    public async Task APolicyTokenizer_WinsOverThePrms()
    {
        string prm = MakeModel(RewardModelKind.Prm);
        File.WriteAllText(Path.Combine(prm, "tokenizer_config.json"), """{"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"}""");
        string policy = Path.Combine(_dir, "policy");
        Directory.CreateDirectory(policy);
        File.Copy(Path.Combine(Fixture, "tokenizer.json"), Path.Combine(policy, "tokenizer.json"));
        File.WriteAllText(Path.Combine(policy, "tokenizer_config.json"), """{"eos_token": "<|endoftext|>", "pad_token": null}""");
        var server = RewardServer.FromConfig(new ServerOptions(Port: 0, TokenizerPath: policy),
            RewardConfigLoader.Parse($"shaping: {{ kind: clip }}\nprm: {{ path: \"{prm}\" }}\n"));
        await using (server)
        {
            Assert.Equal(["<|endoftext|>"], server.StripTokens);
        }
    }

    [Fact]
    public void AWrongKindOfModelIsRefusedNamingTheSection()
    {
        string orm = MakeModel(RewardModelKind.Orm);
        var e = Assert.Throws<InvalidOperationException>(() => RewardServer.FromConfig(new ServerOptions(Port: 0),
            RewardConfigLoader.Parse($"shaping: {{ kind: clip }}\nprm: {{ path: \"{orm}\" }}\n")));
        Assert.StartsWith("prm: cannot open path", e.Message, StringComparison.Ordinal);
        Assert.Contains("ORM head but a PRM was asked for", e.Message, StringComparison.Ordinal);
    }
}

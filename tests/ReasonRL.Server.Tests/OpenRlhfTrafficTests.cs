// What OpenRLHF really sends to /get_reward (docs/serve.md, "POST /get_reward"): queries decoded with
// skip_special_tokens=False (left pad tokens, chat-template prompt, EOS at the end), labels that may be
// numbers, and batches of hundreds of samples of which one may be unscorable. Each case was a 400/422/500
// for the whole batch before the server stripped pads/EOS, located the prompt, read numeric labels and
// gave unscorable samples the configured on_error reward.
using ReasonRL.Rewards.Offline;
using ReasonRL.Tests;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class OpenRlhfTrafficTests
{
    private const string Pad = "<|endoftext|>";
    private const string Eos = "<|im_end|>";
    private static readonly string[] QwenStrip = [Pad, Eos];

    private static string Prompt(int i) => $"<|im_start|>user\nWhat is {i} + 1?<|im_end|>\n<|im_start|>assistant\n";

    private static string Query(int i, int pads, string answer) =>
        string.Concat(Enumerable.Repeat(Pad, pads)) + Prompt(i) + $"{i} + 1 = {answer}\nThe answer is \\boxed{{{answer}}}" + Eos;

    private static string Body(IEnumerable<string> queries, IEnumerable<string> prompts, IEnumerable<object> labels) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["query"] = queries.ToArray(), ["prompts"] = prompts.ToArray(), ["labels"] = labels.ToArray() });

    private static double[] Rewards(JsonNode body) => body["rewards"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();

    [Fact]
    public async Task LeftPadsEosAndNumericLabels_AreScoredAsTheResponseAlone()
    {
        await using var server = await TestServers.StartAsync(options: new ServerOptions(Port: 0, StripTokens: QwenStrip));
        using var http = new HttpClient();
        // sample 0 correct (numeric label 2), sample 1 wrong (numeric label 3 vs answer 5), sample 2 correct with a string label
        var body = Body([Query(1, 3, "2"), Query(2, 0, "5"), Query(3, 1, "4") + Pad + Pad], [Prompt(1), Prompt(2), Prompt(3)], [2, 3, "4"]);
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), body);
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        Assert.Equal([1.0, 0.0, 1.0], Rewards(json!));
        Assert.Empty(json!["extra_logs"]!["errors"]!.AsArray());
    }

    [Theory]
    [InlineData("1.10", "1.1")]       // a number is read as written, not through a double
    [InlineData("123456789012345678901", "123456789012345678901")]
    [InlineData("-7", "-7")]
    public async Task NumericLabel_IsFormattedWithoutLoss(string labelJson, string answer)
    {
        await using var server = await TestServers.StartAsync();
        using var http = new HttpClient();
        var body = $$"""{"query": ["\\boxed{{{answer}}}"], "labels": [{{labelJson}}]}""";
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), body);
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        Assert.Equal([1.0], Rewards(json!));
    }

    [Fact]
    public async Task PromptNotAPrefix_IsFoundAtItsLastOccurrence()
    {
        await using var server = await TestServers.StartAsync();
        using var http = new HttpClient();
        // a system preamble the prompts field does not carry; the prompt text also appears earlier
        var prompt = "Q: 2+2?\n";
        var query = "<|im_start|>system\nQ: 2+2?\n was an example<|im_end|>\n" + prompt + "\\boxed{4}";
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), Body([query], [prompt], ["4"]));
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        Assert.Equal([1.0], Rewards(json!));
        Assert.Equal([1.0], json!["extra_logs"]!["steps"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray());
    }

    [Fact]
    public async Task PromptAbsent_ByDefault_Is400NamingTheSample()
    {
        await using var server = await TestServers.StartAsync();
        using var http = new HttpClient();
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), Body(["a", "b"], ["a", "zzz"], ["1", "1"]));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("query[1]", json!["error"]!.GetValue<string>());
        Assert.Contains("prompts[1]", json!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task OneBadSampleAmong512_WithOnErrorReward_Is200WithCorrectRewardsAndTheErrorLogged()
    {
        await using var server = await TestServers.StartAsync(options: new ServerOptions(Port: 0, StripTokens: QwenStrip, OnErrorReward: -1.0));
        using var http = new HttpClient();
        const int n = 512;
        const int bad = 300;
        var queries = new string[n];
        var prompts = new string[n];
        var labels = new object[n];
        var expected = new double[n];
        for (var i = 0; i < n; i++)
        {
            var correct = i % 3 != 0;
            queries[i] = Query(i, i % 5, correct ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "0");
            prompts[i] = i == bad ? "a prompt that is not in the query" : Prompt(i);
            labels[i] = i % 2 == 0 ? i + 1 : (object)(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            expected[i] = i == bad ? -1.0 : correct ? 1.0 : 0.0;
        }
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), Body(queries, prompts, labels));
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        Assert.Equal(expected, Rewards(json!));
        var error = Assert.Single(json!["extra_logs"]!["errors"]!.AsArray())!;
        Assert.Equal(bad, error["index"]!.GetValue<int>());
        Assert.Contains("prompts[300]", error["reason"]!.GetValue<string>());
        var metrics = await http.GetStringAsync(new Uri(server.Address, "/metrics"));
        Assert.Contains("reasonrl_sample_errors_total{kind=\"prompt_not_found\"} 1", metrics);
    }

    [Fact]
    public async Task ScoringFailure_WithOnErrorReward_IsThatRewardAndTheReason()
    {
        await using var server = await TestServers.StartAsync(TestServers.ClipDelta, options: new ServerOptions(Port: 0, OnErrorReward: 0.0));
        using var http = new HttpClient();
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), """{"query": ["\\boxed{1}"], "labels": ["1"]}""");
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        Assert.Equal([0.0], Rewards(json!));
        Assert.Contains("step_scores", json!["extra_logs"]!["errors"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task RegexStepTimeout_IsAPerSampleError_NotA500()
    {
        var config = RewardConfigLoader.Parse("steps: { regex: \"(a+)+b\" }\n", "steps.yaml");
        await using var server = await TestServers.StartAsync(config);
        using var http = new HttpClient();
        var slow = new string('a', 40) + "!";
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/v1/rewards"),
            $$"""{"version": 1, "samples": [{"prompt": "", "response": "{{slow}}", "gold": "1"}, {"prompt": "", "response": "\\boxed{1}", "gold": "1"}]}""");
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        Assert.Contains("timed out", json!["results"]![0]!["error"]!.GetValue<string>());
        Assert.Equal("correct", json!["results"]![1]!["verdict"]!.GetValue<string>());
    }

    [Fact]
    public async Task NonFiniteReward_IsAPerSampleError_NotA500()
    {
        var config = RewardConfigLoader.Parse("shaping: { kind: delta, alpha: 1.0 }\n", "delta.yaml");
        await using var server = await TestServers.StartAsync(config);
        using var http = new HttpClient();
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/v1/rewards"),
            """{"version": 1, "samples": [{"prompt": "", "response": "a\n\\boxed{1}", "gold": "1", "step_scores": [1.7e308, -1.7e308]}]}""");
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        Assert.Contains("finite", json!["results"]![0]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ModelException_IsAPerSampleErrorForTheSamplesThatNeededIt_NotA500()
    {
        await using var server = await TestServers.StartAsync(TestServers.ClipDelta, new ThrowingPrm());
        using var http = new HttpClient();
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/v1/rewards"),
            """{"version": 1, "samples": [{"prompt": "", "response": "\\boxed{1}", "gold": "1"}, {"prompt": "", "response": "\\boxed{1}", "gold": "1", "step_scores": [0.5]}]}""");
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        Assert.Contains("CUDA-like failure", json!["results"]![0]!["error"]!.GetValue<string>());
        Assert.Equal("correct", json!["results"]![1]!["verdict"]!.GetValue<string>()); // replayed scores need no model
        var metrics = await http.GetStringAsync(new Uri(server.Address, "/metrics"));
        Assert.Contains("reasonrl_sample_errors_total{kind=\"model\"} 1", metrics);
    }

    private sealed class ThrowingPrm : ReasonRL.Rewards.Sources.IRewardSource
    {
        public string Name => "throwing-prm";

        public Task<IReadOnlyList<ReasonRL.Rewards.Sources.SampleScore>> ScoreAsync(IReadOnlyList<ReasonRL.Rewards.Sources.RewardSample> batch, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("CUDA-like failure");
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public async Task StripTokens_ComeFromTheConfiguredTokenizer()
    {
        var tokenizer = SharedData.PathOf("data/tokenizer/qwen3-tokenizer.json.gz");
        await using var server = await TestServers.StartAsync(options: new ServerOptions(Port: 0, TokenizerPath: tokenizer));
        using var http = new HttpClient();
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), Body([Query(4, 2, "5") + Pad], [Prompt(4)], [5]));
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        Assert.Equal([1.0], Rewards(json!));
    }
}

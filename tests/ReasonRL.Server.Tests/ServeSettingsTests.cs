// The serve: section of reward.yaml (strip_tokens, on_error, max_queued_samples): read through
// RewardConfigLoader and ServeSettings, errors naming file:line and serve.KEY, flags given on the command line
// winning over the keys, and the keys taking effect in a running server.
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Sources;
using System.Net;
using System.Text.Json;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class ServeSettingsTests
{
    private static ServeSettings Read(string yaml) => ServeSettings.From(RewardConfigLoader.Parse(yaml, "reward.yaml"))!;

    [Fact]
    public void TheKeysAreRead_AndOtherSectionsStillWork()
    {
        var config = RewardConfigLoader.Parse("success: { correct: 2 }\nserve:\n  strip_tokens: [\"<|endoftext|>\", \"<|im_end|>\"]\n  on_error: -0.5\n  max_queued_samples: 4096\n");
        Assert.Equal(2.0, config.Design.Success.Correct);
        var s = ServeSettings.From(config)!;
        Assert.Equal(["<|endoftext|>", "<|im_end|>"], s.StripTokens!);
        Assert.True(s.OnErrorSet);
        Assert.Equal(-0.5, s.OnErrorReward);
        Assert.Equal(4096, s.MaxQueuedSamples);
        var fail = Read("serve: { on_error: fail }\n");
        Assert.True(fail.OnErrorSet);
        Assert.Null(fail.OnErrorReward);
        Assert.Null(ServeSettings.From(RewardConfigLoader.Parse("success: { correct: 1 }\n")));
    }

    [Theory]
    [InlineData("serve:\n  on_error: zero\n", "reward.yaml:2: serve.on_error: 'zero'; expected fail or a finite number")]
    [InlineData("serve:\n  on_error: .inf\n", "reward.yaml:2: serve.on_error: '.inf'; expected fail or a finite number")]
    [InlineData("serve:\n  max_queued_samples: 0\n", "reward.yaml:2: serve.max_queued_samples: is 0; expected an integer in [1, 2147483647]")]
    [InlineData("serve:\n  max_queued_samples: lots\n", "reward.yaml:2: serve.max_queued_samples: 'lots' is not an integer")]
    [InlineData("success: { correct: 1 }\nserve:\n  strip_tokens: \"<|im_end|>\"\n", "reward.yaml:3: serve.strip_tokens: expected a list of strings")]
    [InlineData("serve:\n  strip_tokens: [\"<|im_end|>\", \"\"]\n", "reward.yaml:2: serve.strip_tokens[1]: is empty")]
    [InlineData("serve:\n  max_queued: 10\n", "reward.yaml:2: serve.max_queued: unknown key; expected one of strip_tokens, on_error, max_queued_samples")]
    public void ABadValueNamesTheFileLineAndKey(string yaml, string message)
    {
        var e = Assert.Throws<RewardConfigException>(() => Read(yaml));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFlagGivenOnTheCommandLineWins_AndTheQueueMustHoldOneRequest()
    {
        var s = Read("serve: { strip_tokens: [\"<pad>\"], on_error: 0, max_queued_samples: 9000 }\n");
        var cli = new ServerOptions(StripTokens: ["<eos>"], OnErrorReward: null, MaxQueuedSamples: 65536);
        var fromFile = s.ApplyTo(cli);
        Assert.Equal(["<pad>"], fromFile.StripTokens!);
        Assert.Equal(0.0, fromFile.OnErrorReward);
        Assert.Equal(9000, fromFile.MaxQueuedSamples);
        var flagsWin = s.ApplyTo(cli, [ServeSettings.StripTokensKey, ServeSettings.OnErrorKey, ServeSettings.MaxQueuedSamplesKey]);
        Assert.Equal(cli, flagsWin);
        var e = Assert.Throws<ArgumentException>(() => s.ApplyTo(new ServerOptions(MaxSamplesPerRequest: 10_000)));
        Assert.StartsWith("reward.yaml: serve.max_queued_samples: 9000; expected ≥ the samples one request may carry (10000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKeysTakeEffectInARunningServer()
    {
        var config = RewardConfigLoader.Parse("serve:\n  strip_tokens: [\"<|endoftext|>\", \"<|im_end|>\"]\n  on_error: -1\n  max_queued_samples: 8192\n");
        var options = ServeSettings.From(config)!.ApplyTo(new ServerOptions(Port: 0));
        await using var server = new RewardServer(options, config, MathVerifierJudge.Create(), log: TextWriter.Null);
        await server.StartAsync();
        Assert.Equal(8192, server.Options.MaxQueuedSamples);
        using var http = new HttpClient();
        var body = JsonSerializer.Serialize(new
        {
            query = new[] { "<|endoftext|><|endoftext|>Q: 1+1?\nA: \\boxed{2}<|im_end|>", "something else entirely" },
            prompts = new[] { "Q: 1+1?\n", "Q: 2+2?\n" },
            labels = new[] { 2, 4 },
        });
        var (status, json) = await ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), body);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1.0, json!["rewards"]![0]!.GetValue<double>());    // pads and EOS stripped, prompt found
        Assert.Equal(-1.0, json["rewards"]![1]!.GetValue<double>());    // on_error: the prompt is not in the query
        Assert.Equal(1, json["extra_logs"]!["errors"]![0]!["index"]!.GetValue<int>());
    }
}

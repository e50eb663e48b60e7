// Critic construction copies (never shares) weights; GreedyEvaluator's batched answers equal each
// prompt decoded alone and stop at EOS.
using ReasonRL.Models;
using ReasonRL.Training.Ppo;
using Xunit;

namespace ReasonRL.Training.Tests.Ppo;

public sealed class CriticAndEvaluatorTests
{
    [Fact]
    public void FromPolicyCopiesTheBackboneAndSeedsTheHead()
    {
        using var policy = PpoTestKit.NewPolicy(2);
        using var critic = Critic.FromPolicy(policy, headSeed: 4);
        using var again = Critic.FromPolicy(policy, headSeed: 4);
        Assert.Equal(PpoTestKit.Weights(policy.Parameters), PpoTestKit.Weights(critic.Backbone.Parameters));
        Assert.Equal(PpoTestKit.Weights(critic.Head.Parameters), PpoTestKit.Weights(again.Head.Parameters));
        Assert.Contains(PpoTestKit.Weights(critic.Head.Parameters), w => w != 0);
        Assert.Equal("value_head.weight", critic.Head.Layout.Entries[0].Name);
        critic.Backbone.Parameters.Clear();
        Assert.Contains(PpoTestKit.Weights(policy.Parameters), w => w != 0);   // not shared
    }

    [Fact]
    public void FromPartsCopiesAnOrmHeadWithItsNameAndBias()
    {
        using var backbone = PpoTestKit.NewPolicy(2);
        using var orm = new ScalarHead(backbone.Config.HiddenSize, "score", bias: true);
        orm.InitializeRandom(1);
        orm.Parameters["score.bias"][0] = 0.25f;
        using var critic = Critic.FromParts(backbone, orm);
        Assert.Equal(PpoTestKit.Weights(orm.Parameters), PpoTestKit.Weights(critic.Head.Parameters));
        Assert.True(critic.Head.Layout.Contains("score.bias"));
        orm.Parameters.Clear();
        Assert.Equal(0.25f, critic.Head.Parameters["score.bias"][0]);
    }

    [Fact]
    public void GreedyAnswersDoNotDependOnTheBatchSize()
    {
        using var policy = PpoTestKit.NewPolicy(8);
        string[] prompts = ["a", "bab", "ab\nb", "b", "aa"];
        var batched = GreedyEvaluator.Generate(policy, PpoTestKit.Tokenizer, prompts, maxNewTokens: 6);
        var alone = GreedyEvaluator.Generate(policy, PpoTestKit.Tokenizer, prompts, maxNewTokens: 6, batchSize: 1);
        Assert.Equal(alone, batched);
        Assert.All(batched, a => Assert.DoesNotContain("<eos>", a));
        Assert.All(batched, a => Assert.InRange(a.Length, 0, 6));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GreedyEvaluator.Generate(policy, PpoTestKit.Tokenizer, prompts, 6, batchSize: 0));
        Assert.Contains("batch size", e.Message);
    }
}

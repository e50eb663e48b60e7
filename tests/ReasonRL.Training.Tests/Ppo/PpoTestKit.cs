// PpoTestKit: the tiny setup the PPO tests share — a CharTokenizer over "ab\n", a random-init
// 2-layer Transformer sized to it, a rule reward (success = the response starts with the gold
// string) through the real RewardPipeline, and helpers to compare weights bit for bit.
using ReasonRL.Models;
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Training.Ppo;

namespace ReasonRL.Training.Tests.Ppo;

internal static class PpoTestKit
{
    public static CharTokenizer Tokenizer { get; } = new("ab\n");

    /// <summary>Four prompts whose gold is "a": success = the response starts with 'a'.</summary>
    public static IReadOnlyList<PromptItem> Prompts { get; } =
        [new("p0", "b", "a"), new("p1", "ab", "a"), new("p2", "ba", "a"), new("p3", "bb", "a")];

    public static ModelConfig Config { get; } = new()
    {
        VocabSize = Tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, LayerCount = 2, HeadCount = 4, KvHeadCount = 2,
        MaxPositionEmbeddings = 64, EosTokenIds = Tokenizer.EosIds, BosTokenId = Tokenizer.BosId,
    };

    public static Transformer NewPolicy(int seed)
    {
        var model = new Transformer(Config, new ManagedGemm());
        model.InitializeRandom(seed);
        return model;
    }

    public static Transformer Copy(Transformer model)
    {
        var copy = new Transformer(model.Config, model.Gemm);
        copy.Parameters.CopyFrom(model.Parameters);
        return copy;
    }

    public static SuccessJudge StartsWithGold { get; } = (response, gold) =>
        new SuccessJudgement(response.StartsWith(gold, StringComparison.Ordinal) ? SuccessVerdict.Correct : SuccessVerdict.Incorrect);

    public static RewardPipeline Pipeline(IRewardSource? success = null) =>
        new(new RewardDesign(SuccessValues.ZeroOne, null), new StepSplitter(StepSplitOptions.Lines),
            success ?? new SuccessSource(StartsWithGold, SuccessValues.ZeroOne));

    /// <summary>Options that learn the task quickly on this tiny model.</summary>
    public static PpoOptions FastOptions { get; } = new()
    {
        RolloutsPerPrompt = 8, MaxNewTokens = 4, MiniBatchSize = 16, PpoEpochs = 2,
        PolicyLearningRate = 3e-3, CriticLearningRate = 3e-3, KlCoef = 0.01, Seed = 7,
    };

    public static float[] Weights(NativeSlab slab)
    {
        var a = new float[slab.Length];
        slab.Range(0, (int)slab.Length).CopyTo(a);
        return a;
    }
}

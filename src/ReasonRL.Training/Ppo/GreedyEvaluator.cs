// GreedyEvaluator: temperature-0 answers for held-out prompts, generated in batches with the KV cache
// (Generator.GenerateBatch), prompts tokenised by the contract convention (Text's PromptIds), stopping at
// the tokenizer's EOS ids. Used by the trainer's eval-every-N, the lab and `reasonrl eval`.
// What it is not: a judge — callers score the answers (e.g. with a SuccessJudge).
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Text;

namespace ReasonRL.Training.Ppo;

/// <summary>Batched greedy decoding.</summary>
public static class GreedyEvaluator
{
    /// <summary>One greedy response text per prompt (special tokens, e.g. the EOS, dropped), in order.</summary>
    public static IReadOnlyList<string> Generate(Transformer model, ITokenizer tokenizer, IReadOnlyList<string> prompts, int maxNewTokens, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompts);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "greedy eval: batch size must be >= 1");
        var options = new GenerationOptions { Temperature = 0f, MaxNewTokens = maxNewTokens, EosIds = tokenizer.EosIds };
        options.Validate();
        var coins = new[] { new Rng(0) };   // greedy ignores the coin but draws one per token
        var answers = new string[prompts.Count];
        for (int start = 0; start < prompts.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, prompts.Count - start);
            var ids = new int[n][];
            for (int i = 0; i < n; i++) ids[i] = PromptIds.Of(tokenizer, prompts[start + i]);
            var results = Generator.GenerateBatch(model, ids, options, coins);
            for (int i = 0; i < n; i++) answers[start + i] = tokenizer.Decode(results[i].Tokens, skipSpecialTokens: true);
        }
        return answers;
    }
}

// PromptTokens: the project-wide prompt tokenisation convention (docs/architecture.md, "One PPO step"):
//   prompt ids = [BosId if the tokenizer has one] + tokenizer.Encode(prompt).Ids
// the response follows directly and generation stops at tokenizer.EosIds.
// What it is not: a chat template (callers format the prompt text first).
using ReasonRL.Text;

namespace ReasonRL.Training.Ppo;

/// <summary>Prompt → ids by the contract convention.</summary>
public static class PromptTokens
{
    /// <summary>[BOS?] + Encode(prompt); throws when the result is empty (generation needs ≥ 1 token).</summary>
    public static int[] Of(ITokenizer tokenizer, string prompt)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompt);
        var ids = tokenizer.Encode(prompt).Ids;
        int[] result = tokenizer.BosId is int bos ? [bos, .. ids] : [.. ids];
        if (result.Length == 0) throw new ArgumentException("prompt tokens: the prompt is empty and the tokenizer has no BOS id; generation needs at least one token", nameof(prompt));
        return result;
    }
}

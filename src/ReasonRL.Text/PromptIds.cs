// PromptIds: the project's one prompt tokenisation convention, used by generation (PPO rollouts,
// evaluation, `reasonrl generate`, the lab), SFT and reward-model inputs alike:
//   prompt ids = [BosId if the tokenizer has one] + the prompt's encoding
// and the response follows directly (generation stops at tokenizer.EosIds).
// What it is not: a chat template (callers render the prompt text, or encode it with a template,
// first) and not a length check (an empty result is returned as is; Generator rejects empty prompts).
namespace ReasonRL.Text;

/// <summary>Prompt → model input ids by the project convention ([BOS?] + encoding).</summary>
public static class PromptIds
{
    /// <summary>[BOS?] + Encode(<paramref name="prompt"/>) with the default (plain text) special-token policy.</summary>
    public static int[] Of(ITokenizer tokenizer, string prompt)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompt);
        return Of(tokenizer, tokenizer.Encode(prompt).Ids);
    }

    /// <summary>[BOS?] + <paramref name="encodedPrompt"/>: for a prompt encoded otherwise (e.g. by a chat template).</summary>
    public static int[] Of(ITokenizer tokenizer, ReadOnlySpan<int> encodedPrompt)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (tokenizer.BosId is not int bos) return encodedPrompt.ToArray();
        var ids = new int[encodedPrompt.Length + 1];
        ids[0] = bos;
        encodedPrompt.CopyTo(ids.AsSpan(1));
        return ids;
    }
}

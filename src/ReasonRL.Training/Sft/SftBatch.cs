// SftBatch: packs (prompt, response) examples into one right-padded [B, T] token matrix with
// next-token targets, −1 on every position whose target is a prompt token or padding.
// Row b: ids = prompt ++ response (length L_b); inputs[b, t] = ids[t] for t < L_b − 1, pad after;
// targets[b, t] = ids[t + 1] when t + 1 ≥ |prompt| (a response token), else −1; T = max_b (L_b − 1).
// Right padding never changes earlier positions (causal attention), so the loss is padding-free.
// What it is not: tokenization (callers pass ids) or the loss (SftTrainer).
namespace ReasonRL.Training.Sft;

/// <summary>A right-padded SFT batch.</summary>
/// <param name="Inputs">[B, T] input ids (pad id 0 after each row's end).</param>
/// <param name="Targets">[B, T] next-token targets, −1 = no loss.</param>
/// <param name="Batch">B.</param>
/// <param name="Tokens">T.</param>
/// <param name="TargetCount">Positions with a target ≥ 0 (response tokens).</param>
public sealed record SftBatch(int[] Inputs, int[] Targets, int Batch, int Tokens, int TargetCount)
{
    /// <summary>Builds the batch; throws when an example is empty or longer than <paramref name="maxTokens"/> + 1.</summary>
    public static SftBatch From(IReadOnlyList<SftExample> examples, int maxTokens)
    {
        if (examples.Count == 0) throw new ArgumentException("SFT batch: no examples");
        int t = 1;
        for (int i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            if (e.Prompt.Length == 0) throw new ArgumentException($"SFT example {i}: empty prompt (it needs at least one token, e.g. BOS, to predict the first response token)");
            if (e.Response.Length == 0) throw new ArgumentException($"SFT example {i}: empty response");
            int len = e.Prompt.Length + e.Response.Length - 1;
            if (len > maxTokens) throw new ArgumentException($"SFT example {i}: prompt + response is {len + 1} tokens; the model's max_position_embeddings allows {maxTokens + 1}");
            t = Math.Max(t, len);
        }
        int b = examples.Count, count = 0;
        var inputs = new int[b * t];
        var targets = new int[b * t];
        Array.Fill(targets, -1);
        for (int r = 0; r < b; r++)
        {
            var (p, resp) = (examples[r].Prompt, examples[r].Response);
            int len = p.Length + resp.Length;
            for (int i = 0; i < len - 1; i++)
            {
                inputs[r * t + i] = i < p.Length ? p[i] : resp[i - p.Length];
                int next = i + 1;
                if (next >= p.Length) { targets[r * t + i] = resp[next - p.Length]; count++; }
            }
        }
        return new SftBatch(inputs, targets, b, t, count);
    }
}

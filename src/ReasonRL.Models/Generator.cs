// Generator: batched autoregressive generation with a KV cache — prefill the prompts, then sample
// and decode one token per sequence per step. What it is: the loop the benchmark and RL rollouts
// share (equal-length prompts; stop tokens are the caller's business: it gets every sampled token
// and log-prob). What it is not: a text API (tokenizers live in ReasonRL.Text).
// Glossary: B sequences, P prompt length, G new tokens, V vocab.
namespace ReasonRL.Models;

/// <summary>Generation loop over a Transformer and a KvCache.</summary>
public static class Generator
{
    /// <summary>
    /// prompts [B, P] → tokens [B, G] and their log-probs [B, G]. The cache is reset first and must
    /// hold P + G − 1 positions. Coins come from <paramref name="rng"/> in row order each step.
    /// </summary>
    public static void Generate(Transformer model, KvCache cache, ReadOnlySpan<int> prompts, int promptLength, int newTokens,
        float temperature, Random rng, Span<int> tokens, Span<float> logProbs)
    {
        int batch = cache.Batch, vocab = model.Config.VocabSize;
        if (prompts.Length != batch * promptLength) throw new ArgumentException($"generate: prompts has {prompts.Length} ids, expected B·P = {batch}·{promptLength}");
        if (tokens.Length < batch * newTokens || logProbs.Length < batch * newTokens) throw new ArgumentException($"generate: outputs need B·G = {batch * newTokens} entries");
        cache.Reset();
        var scratch = new float[vocab];
        var step = new int[batch];
        var logits = model.ForwardCached(prompts, promptLength, cache);
        for (int g = 0; g < newTokens; g++)
        {
            if (g > 0) logits = model.ForwardCached(step, 1, cache);
            for (int b = 0; b < batch; b++)
            {
                var (tok, lp) = Sampler.Sample(logits.Slice(b * vocab, vocab), temperature, rng.NextDouble(), scratch);
                step[b] = tok;
                tokens[b * newTokens + g] = tok;
                logProbs[b * newTokens + g] = lp;
            }
        }
    }
}

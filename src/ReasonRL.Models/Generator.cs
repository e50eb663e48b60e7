// Generator: batched autoregressive generation with a KV cache — prefill the prompts, then sample
// and decode one token per sequence per step. Two loops: Generate (equal-length prompts, fixed G
// tokens, no stop handling: the engine benchmark's loop) and GenerateBatch (prompts of different
// lengths in a ragged cache — prompts of equal length are prefilled together in a temporary cache and
// each copied into its own slot, then all sequences decode together, each attending over its own [0, len_i), so no padding ever enters
// attention; top-k/top-p/greedy, EOS ids and stop strings, a finish reason per sequence).
// What it is not: a text API (tokenizers live in ReasonRL.Text; stop strings use a decode callback).
// Glossary: B sequences, P prompt length, G new tokens, V vocab.
using ReasonRL.Core;

namespace ReasonRL.Models;

/// <summary>Generation loop over a Transformer and a KvCache.</summary>
public static class Generator
{
    /// <summary>
    /// prompts [B, P] → tokens [B, G] and their log-probs [B, G]. The cache is reset first and must
    /// hold P + G − 1 positions. Coins come from <paramref name="rng"/> in row order each step.
    /// </summary>
    public static void Generate(Transformer model, KvCache cache, ReadOnlySpan<int> prompts, int promptLength, int newTokens,
        float temperature, Rng rng, Span<int> tokens, Span<float> logProbs)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Generate(model, cache, prompts, promptLength, newTokens, temperature, rng.NextDouble, tokens, logProbs);
    }

    private static void Generate(Transformer model, KvCache cache, ReadOnlySpan<int> prompts, int promptLength, int newTokens,
        float temperature, Func<double> coin, Span<int> tokens, Span<float> logProbs)
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
                var (tok, lp) = Sampler.Sample(logits.Slice(b * vocab, vocab), temperature, coin(), scratch);
                step[b] = tok;
                tokens[b * newTokens + g] = tok;
                logProbs[b * newTokens + g] = lp;
            }
        }
    }

    /// <summary>
    /// Generates a continuation for each prompt (any lengths ≥ 1). Coins: with one Rng in
    /// <paramref name="rngs"/> every sampled token draws from it in sequence order each step; with one
    /// Rng per prompt each sequence draws only from its own stream, so its output is the same as if it
    /// were generated alone (e.g. Rng.ForStream(seed, sequence id)). Greedy (temperature 0) still draws
    /// one coin per token. A finished sequence keeps its slot in the batched decode step (its logits are
    /// ignored) until every sequence is done.
    /// </summary>
    public static GenerationResult[] GenerateBatch(Transformer model, IReadOnlyList<int[]> prompts, GenerationOptions options, IReadOnlyList<Rng> rngs)
    {
        ArgumentNullException.ThrowIfNull(rngs);
        CheckStreams(rngs.Count, prompts.Count);
        return GenerateBatch(model, prompts, options, sequence => rngs[rngs.Count == 1 ? 0 : sequence].NextDouble());
    }

    private static void CheckStreams(int streams, int batch)
    {
        if (batch > 0 && streams != 1 && streams != batch)
            throw new ArgumentException($"generate: rngs has {streams} streams, expected 1 (shared) or {batch} (one per prompt)", "rngs");
    }

    private static GenerationResult[] GenerateBatch(Transformer model, IReadOnlyList<int[]> prompts, GenerationOptions options, Func<int, double> coin)
    {
        options.Validate();
        int batch = prompts.Count, vocab = model.Config.VocabSize, maxNew = options.MaxNewTokens;
        if (batch == 0) return [];
        int maxPrompt = 0;
        for (int b = 0; b < batch; b++)
        {
            var prompt = prompts[b];
            if (prompt.Length == 0) throw new ArgumentException($"generate: prompt {b} is empty (need at least one token, e.g. BOS)", nameof(prompts));
            foreach (int id in prompt)
                if ((uint)id >= (uint)vocab) throw new ArgumentException($"generate: prompt {b} has id {id}, expected [0, {vocab})", nameof(prompts));
            maxPrompt = Math.Max(maxPrompt, prompt.Length);
        }
        // the last sampled token is never fed back, so a sequence holds at most P + G − 1 positions
        int capacity = maxPrompt + maxNew - 1;
        if (capacity > model.Config.MaxPositionEmbeddings) throw new ArgumentException($"generate: longest prompt {maxPrompt} + max new tokens {maxNew} − 1 = {capacity} exceeds max_position_embeddings {model.Config.MaxPositionEmbeddings}");
        var scratch = new float[2 * vocab];
        var order = new int[vocab];
        var tokens = new List<int>[batch];
        var logProbs = new List<float>[batch];
        var finish = new FinishReason?[batch];
        using var cache = new KvCache(model.Config, batch, capacity);
        var firstLogits = PrefillByLength(model, prompts, cache);
        // first tokens sampled in sequence order after every prefill, so coins are drawn as before
        for (int b = 0; b < batch; b++)
        {
            tokens[b] = new List<int>(maxNew);
            logProbs[b] = new List<float>(maxNew);
            finish[b] = SampleInto(firstLogits.AsSpan(b * vocab, vocab), options, coin(b), scratch, order, tokens[b], logProbs[b]);
        }
        var step = new int[batch];
        int stepsDone = 0;
        int live = CountLive(finish);
        while (live > 0)
        {
            for (int b = 0; b < batch; b++) step[b] = tokens[b][^1];
            var logits = model.ForwardCached(step, 1, cache);
            for (int b = 0; b < batch; b++)
                if (finish[b] is null)
                    finish[b] = SampleInto(logits.Slice(b * vocab, vocab), options, coin(b), scratch, order, tokens[b], logProbs[b]);
            live = CountLive(finish);
            options.Progress?.Invoke(++stepsDone, live);
        }
        var results = new GenerationResult[batch];
        for (int b = 0; b < batch; b++) results[b] = new GenerationResult([.. tokens[b]], [.. logProbs[b]], finish[b]!.Value);
        return results;
    }

    /// <summary>Most prompt rows one prefill call runs (bounds its scratch: rows × (C + 3F + …) floats).</summary>
    private const int MaxPrefillRows = 2048;

    /// <summary>
    /// Prefills every prompt into its own slot of <paramref name="cache"/> and returns each one's
    /// last-token logits [B, V]. Prompts of equal length are prefilled together (up to MaxPrefillRows
    /// rows a call) in a temporary cache and copied into their slots, so equal-length batches take the
    /// batched forward; each sequence still attends only over its own positions.
    /// </summary>
    private static float[] PrefillByLength(Transformer model, IReadOnlyList<int[]> prompts, KvCache cache)
    {
        int vocab = model.Config.VocabSize;
        var logits = new float[prompts.Count * vocab];
        foreach (var group in Enumerable.Range(0, prompts.Count).GroupBy(b => prompts[b].Length))
        {
            int len = group.Key;
            var members = group.ToArray();
            int perCall = Math.Max(1, MaxPrefillRows / len);
            for (int start = 0; start < members.Length; start += perCall)
            {
                var chunk = members.AsSpan(start, Math.Min(perCall, members.Length - start));
                var ids = new int[chunk.Length * len];
                for (int i = 0; i < chunk.Length; i++) prompts[chunk[i]].CopyTo(ids.AsSpan(i * len));
                using var pre = new KvCache(model.Config, chunk.Length, len);
                var last = model.ForwardCached(ids, len, pre);
                for (int i = 0; i < chunk.Length; i++)
                {
                    cache.CopySequenceFrom(pre, i, chunk[i]);
                    last.Slice(i * vocab, vocab).CopyTo(logits.AsSpan(chunk[i] * vocab, vocab));
                }
            }
        }
        return logits;
    }

    private static int CountLive(FinishReason?[] finish)
    {
        int live = 0;
        foreach (var f in finish) if (f is null) live++;
        return live;
    }

    /// <summary>Samples one token onto the sequence; returns its finish reason if it just ended.</summary>
    private static FinishReason? SampleInto(ReadOnlySpan<float> logits, GenerationOptions o, double coin, float[] scratch, int[] order,
        List<int> tokens, List<float> logProbs)
    {
        var (tok, lp) = Sampler.Sample(logits, o.Temperature, o.TopK, o.TopP, coin, scratch, order);
        tokens.Add(tok);
        logProbs.Add(lp);
        foreach (int eos in o.EosIds)
            if (tok == eos) return FinishReason.Stop;
        if (o.StopStrings.Count > 0)
        {
            // decode the whole continuation: a stop string may span tokens, and byte-level tokens may
            // only complete a character together; the first token at which it appears ends the sequence
            string text = o.Decode!([.. tokens]);
            foreach (var stop in o.StopStrings)
                if (text.Contains(stop, StringComparison.Ordinal)) return FinishReason.Stop;
        }
        return tokens.Count >= o.MaxNewTokens ? FinishReason.Length : null;
    }
}

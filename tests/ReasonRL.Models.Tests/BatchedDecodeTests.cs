// Batched prefill and decode steps (B ≥ 2: sequences split across cores, packed weights per cache epoch) against
// the batch-1 path (ForwardLayer + IGemm) sequence by sequence, and the repacking rule: a new or
// Reset cache after a weight update decodes with the new weights; GenerateBatch's grouped prefill of
// equal-length prompts against each prompt generated alone.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Models.Tests;

public sealed class BatchedDecodeTests
{
    /// <summary>Same float math, different GEMM kernels (packed strips vs dot products): round-off only.</summary>
    private static readonly Tolerance BatchedVsSingle = new("batched-vs-single-decode", 2e-5, 1e-4);

    [Theory]
    [InlineData(2, true, true)]
    [InlineData(5, false, true)]
    [InlineData(9, true, true)]
    [InlineData(5, true, false)]
    public void BatchedPrefillAndStepsEqualSingleSequenceOnes(int batch, bool tied, bool packed) =>
        CheckBatchedAgainstSingle(ModelTestUtil.Tiny(tied), batch, packed);

    [Theory]
    [InlineData("qwen3", 5, true)]
    [InlineData("qwen3", 3, false)]
    [InlineData("llama3", 5, true)]
    [InlineData("smollm3", 4, true)]
    public void BatchedPrefillAndStepsEqualSingleSequenceOnesForVariant(string variant, int batch, bool packed) =>
        CheckBatchedAgainstSingle(ModelTestUtil.TinyVariant(variant), batch, packed);

    private static void CheckBatchedAgainstSingle(ModelConfig cfg, int batch, bool packed)
    {
        // packed = false: a limit of 0 floats sends every projection through the serial ManagedGemm fallback
        using var model = new Transformer(cfg, new ManagedGemm()) { PackedWeightLimit = packed ? long.MaxValue : 0 };
        ModelTestUtil.RandomizeForTests(model.Layout, model.Parameters, 8);
        var rng = new Random(batch);
        int prompt = 3, steps = 6, v = cfg.VocabSize;
        var prompts = ModelTestUtil.RandomTokens(rng, batch * prompt, v);
        var feed = ModelTestUtil.RandomTokens(rng, batch * steps, v);
        var expectedPrefill = new float[batch * v];
        var expected = new float[steps][];
        for (int s = 0; s < steps; s++) expected[s] = new float[batch * v];
        for (int b = 0; b < batch; b++)
        {
            using var single = new KvCache(cfg, 1, prompt + steps);
            model.ForwardCached(prompts.AsSpan(b * prompt, prompt), prompt, single).CopyTo(expectedPrefill.AsSpan(b * v));
            for (int s = 0; s < steps; s++)
                model.ForwardCached(feed.AsSpan(b * steps + s, 1), 1, single).CopyTo(expected[s].AsSpan(b * v));
        }
        using var cache = new KvCache(cfg, batch, prompt + steps);
        var cmp = new TensorComparison();
        cmp.Add($"B={batch} prefill", expectedPrefill, model.ForwardCached(prompts, prompt, cache), BatchedVsSingle);
        var step = new int[batch];
        for (int s = 0; s < steps; s++)
        {
            for (int b = 0; b < batch; b++) step[b] = feed[b * steps + s];
            cmp.Add($"B={batch} step {s}", expected[s], model.ForwardCached(step, 1, cache), BatchedVsSingle);
        }
        ModelTestUtil.AssertAllOk(cmp, "batched decode vs batch-1 decode");
    }

    [Fact]
    public void AnOpenSerialScopeKeepsTheBatchedPathOnTheCallingThread()
    {
        var cfg = ModelTestUtil.Tiny();
        using var model = new Transformer(cfg, new ManagedGemm());
        ModelTestUtil.RandomizeForTests(model.Layout, model.Parameters, 4);
        var prompts = ModelTestUtil.RandomTokens(new Random(1), 4 * 3, cfg.VocabSize);
        using var free = new KvCache(cfg, 4, 3);
        var expected = model.ForwardCached(prompts, 3, free).ToArray();
        using var serialCache = new KvCache(cfg, 4, 3);
        float[] actual;
        using (Kernels.Serial()) actual = model.ForwardCached(prompts, 3, serialCache).ToArray();
        Assert.Equal(expected, actual);   // same slices' arithmetic per row, only the threads differ: bit-identical
    }

    [Fact]
    public void ANewGenerationAfterAWeightUpdateDecodesWithTheNewWeights()
    {
        var cfg = ModelTestUtil.Tiny();
        using var model = new Transformer(cfg, new ManagedGemm());
        var rng = new Random(2);
        int batch = 3, t = 5, v = cfg.VocabSize;
        var tokens = ModelTestUtil.RandomTokens(rng, batch * t, v);
        using var cache = new KvCache(cfg, batch, t);
        var cmp = new TensorComparison();
        foreach (int seed in new[] { 1, 2 })
        {
            ModelTestUtil.RandomizeForTests(model.Layout, model.Parameters, seed);   // an "RL update" between generations
            model.Forward(tokens, batch, t);
            var full = model.LmHeadForward().ToArray();
            cache.Reset();
            var prompt = new int[batch * (t - 1)];
            for (int b = 0; b < batch; b++) tokens.AsSpan(b * t, t - 1).CopyTo(prompt.AsSpan(b * (t - 1)));
            model.ForwardCached(prompt, t - 1, cache);
            var last = model.ForwardCached(Enumerable.Range(0, batch).Select(b => tokens[b * t + t - 1]).ToArray(), 1, cache).ToArray();
            var expected = new float[batch * v];
            for (int b = 0; b < batch; b++) full.AsSpan((b * t + t - 1) * v, v).CopyTo(expected.AsSpan(b * v));
            cmp.Add($"weights seed {seed}", expected, last, BatchedVsSingle);
        }
        ModelTestUtil.AssertAllOk(cmp, "decode after weight update");
    }

    [Theory]
    [InlineData(0f, 32)]
    [InlineData(1f, 32)]
    [InlineData(1f, 1100)]   // 2 · 1100 rows > one prefill call's 2048: the equal-length group is split
    public void GenerateBatchWithEqualLengthPromptsMatchesEachPromptAlone(float temperature, int longLength)
    {
        var cfg = ModelTestUtil.Tiny() with { MaxPositionEmbeddings = longLength + 8 };
        using var model = new Transformer(cfg, new ManagedGemm());
        ModelTestUtil.RandomizeForTests(model.Layout, model.Parameters, 6);
        var rng = new Random(longLength);
        int[] lengths = [2, longLength, 1, 2, longLength, 2, 1];
        var prompts = lengths.Select(l => ModelTestUtil.RandomTokens(rng, l, cfg.VocabSize)).ToArray();
        var o = new GenerationOptions { Temperature = temperature, MaxNewTokens = 6 };
        var batched = Generator.GenerateBatch(model, prompts, o, prompts.Select((_, s) => Rng.ForStream(50, (ulong)s)).ToArray());
        for (int s = 0; s < prompts.Length; s++)
        {
            var alone = Generator.GenerateBatch(model, [prompts[s]], o, [Rng.ForStream(50, (ulong)s)])[0];
            Assert.Equal(alone.Tokens, batched[s].Tokens);
            for (int i = 0; i < alone.LogProbs.Length; i++) Assert.Equal(alone.LogProbs[i], batched[s].LogProbs[i], 1e-4f);
        }
    }
}

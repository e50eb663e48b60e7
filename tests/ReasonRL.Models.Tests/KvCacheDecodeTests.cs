// KV-cache decode consistency (docs/conventions.md §17): logits from a prefill + token-by-token decode must equal
// the full-sequence training forward's logits at every position; plus sampler and generator checks.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Models.Tests;

public sealed class KvCacheDecodeTests
{
    /// <summary>Same float kernels, different summation order (GEMM blocking, decode vs causal blocks):
    /// differences are float round-off, ~1e-6 on O(1) logits; 2e-5 absolute + 1e-4 relative.</summary>
    private static readonly Tolerance DecodeVsFull = new("decode-vs-full-float", 2e-5, 1e-4);

    [Theory]
    [InlineData(1, true)]
    [InlineData(4, true)]
    [InlineData(3, false)]
    public void DecodeLogitsEqualFullForwardAtEveryPosition(int promptLength, bool tied) =>
        CheckDecodeAgainstFullForward(ModelTestUtil.Tiny(tied), promptLength, $"tied={tied}");

    [Theory]
    [InlineData("qwen3", 1)]
    [InlineData("qwen3", 4)]
    [InlineData("llama3", 3)]
    [InlineData("smollm3", 2)]
    public void DecodeLogitsEqualFullForwardForVariant(string variant, int promptLength) =>
        CheckDecodeAgainstFullForward(ModelTestUtil.TinyVariant(variant), promptLength, variant);

    private static void CheckDecodeAgainstFullForward(ModelConfig cfg, int promptLength, string context)
    {
        using var model = new Transformer(cfg, new ManagedGemm());
        ModelTestUtil.RandomizeForTests(model.Layout, model.Parameters, 21);
        var rng = new Random(4);
        int b = 3, t = 12, v = cfg.VocabSize;
        var tokens = ModelTestUtil.RandomTokens(rng, b * t, v);
        model.Forward(tokens, b, t);
        var full = model.LmHeadForward().ToArray();   // [B·T, V]

        using var cache = new KvCache(cfg, b, t);
        var prompt = new int[b * promptLength];
        for (int s = 0; s < b; s++) tokens.AsSpan(s * t, promptLength).CopyTo(prompt.AsSpan(s * promptLength));
        var cmp = new TensorComparison();
        var logits = model.ForwardCached(prompt, promptLength, cache);
        for (int pos = promptLength - 1; pos < t; pos++)
        {
            if (pos >= promptLength)
            {
                var step = Enumerable.Range(0, b).Select(s => tokens[s * t + pos]).ToArray();
                logits = model.ForwardCached(step, 1, cache);
            }
            var expected = new float[b * v];
            for (int s = 0; s < b; s++) full.AsSpan((s * t + pos) * v, v).CopyTo(expected.AsSpan(s * v));
            cmp.Add($"logits at position {pos}", expected, logits, DecodeVsFull);
        }
        Assert.Equal(t, cache.Lengths[0]);
        ModelTestUtil.AssertAllOk(cmp, $"KV-cache decode vs full forward (prompt {promptLength}, {context})");
    }

    [Fact]
    public void SamplerIsDeterministicGivenTheCoin()
    {
        float[] logits = [1f, 3f, 2f, -1f];
        var scratch = new float[4];
        Assert.Equal(1, Sampler.Sample(logits, 0f, 0.99, scratch).Token);          // argmax ignores the coin
        // temperature 1: p ≈ [0.087, 0.644, 0.237, 0.032]; CDF ≈ [0.087, 0.731, 0.968, 1]
        Assert.Equal(0, Sampler.Sample(logits, 1f, 0.05, scratch).Token);
        Assert.Equal(1, Sampler.Sample(logits, 1f, 0.5, scratch).Token);
        Assert.Equal(2, Sampler.Sample(logits, 1f, 0.9, scratch).Token);
        Assert.Equal(3, Sampler.Sample(logits, 1f, 0.999, scratch).Token);
        var (tok, lp) = Sampler.Sample(logits, 1f, 0.5, scratch);
        double lse = Math.Log(logits.Sum(z => Math.Exp(z)));
        Assert.Equal(logits[tok] - lse, lp, 1e-5);
    }

    [Fact]
    public void GreedyGenerationMatchesArgmaxOfFullForward()
    {
        var cfg = ModelTestUtil.Tiny();
        using var model = new Transformer(cfg, new ManagedGemm());
        ModelTestUtil.RandomizeForTests(model.Layout, model.Parameters, 8);
        int b = 2, p = 3, g = 6;
        var rng = new Rng(1);
        var prompts = ModelTestUtil.RandomTokens(rng, b * p, cfg.VocabSize);
        using var cache = new KvCache(cfg, b, p + g);
        var outTokens = new int[b * g]; var outLp = new float[b * g];
        Generator.Generate(model, cache, prompts, p, g, 0f, rng, outTokens, outLp);
        for (int s = 0; s < b; s++)
        {
            // re-run the full forward on prompt + generated prefix and check each greedy choice
            var seq = prompts.Skip(s * p).Take(p).Concat(outTokens.Skip(s * g).Take(g)).ToArray();
            model.Forward(seq, 1, seq.Length);
            var logits = model.LmHeadForward();
            for (int i = 0; i < g; i++)
            {
                var row = logits.Slice((p - 1 + i) * cfg.VocabSize, cfg.VocabSize);
                Assert.Equal(System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row), outTokens[s * g + i]);
            }
        }
    }
}

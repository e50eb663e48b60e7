// Batched ragged generation (Generator.GenerateBatch) and the top-k / top-p sampler: determinism,
// greedy = argmax of a full forward per sequence at different prompt lengths, batch = alone,
// EOS / stop-string handling with finish reasons, top-k 1 = greedy, top-p edge cases.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using System.Numerics.Tensors;
using Xunit;

namespace ReasonRL.Models.Tests;

public sealed class GenerationTests
{
    /// <summary>Batched vs single-sequence decode, or decode vs full forward: same kernels, different
    /// summation order; float round-off on O(1) log-probs (as KvCacheDecodeTests' decode-vs-full).</summary>
    private const double LogProbTolerance = 1e-4;

    private static readonly int[][] RaggedPrompts = [[3], [1, 4, 1, 5, 9, 2], [7, 0, 2], [5, 5]];

    private static Transformer NewModel(int seed = 8, bool tied = true)
    {
        var model = new Transformer(ModelTestUtil.Tiny(tied), new ManagedGemm());
        ModelTestUtil.RandomizeForTests(model.Layout, model.Parameters, seed);
        return model;
    }

    private static string Letters(int[] ids) => new(ids.Select(i => (char)('a' + i)).ToArray());

    [Fact]
    public void ProgressReportsEveryDecodeStepAndEndsWithNothingRunning()
    {
        using var model = NewModel();
        var calls = new List<(int Done, int Running)>();
        var o = new GenerationOptions { Temperature = 0, MaxNewTokens = 6, Progress = (d, r) => calls.Add((d, r)) };
        var res = Generator.GenerateBatch(model, RaggedPrompts, o, [new Rng(1)]);
        // The first token of each sequence comes from its prefill; each later one from a decode step.
        Assert.Equal(Enumerable.Range(1, 5), calls.Select(c => c.Done));
        Assert.Equal(0, calls[^1].Running);
        Assert.All(calls.Take(calls.Count - 1), c => Assert.Equal(RaggedPrompts.Length, c.Running));
        Assert.All(res, r => Assert.Equal(6, r.Tokens.Length));
    }

    [Fact]
    public void SameSeedGivesSameOutput()
    {
        using var model = NewModel();
        var o = new GenerationOptions { Temperature = 1.3f, TopK = 6, TopP = 0.9f, MaxNewTokens = 10 };
        var a = Generator.GenerateBatch(model, RaggedPrompts, o, [new Rng(42)]);
        var b = Generator.GenerateBatch(model, RaggedPrompts, o, [new Rng(42)]);
        var c = Generator.GenerateBatch(model, RaggedPrompts, o, [new Rng(43)]);
        for (int s = 0; s < RaggedPrompts.Length; s++)
        {
            Assert.Equal(a[s].Tokens, b[s].Tokens);
            Assert.Equal(a[s].LogProbs, b[s].LogProbs);
            Assert.Equal(FinishReason.Length, a[s].FinishReason);
            Assert.Equal(10, a[s].Tokens.Length);
        }
        // a different seed must change something across 40 sampled tokens at T = 1.3
        Assert.Contains(Enumerable.Range(0, RaggedPrompts.Length), s => !a[s].Tokens.SequenceEqual(c[s].Tokens));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GreedyEqualsArgmaxOfFullForwardPerSequence(bool tied)
    {
        using var model = NewModel(11, tied);
        int v = model.Config.VocabSize, g = 7;
        var res = Generator.GenerateBatch(model, RaggedPrompts, new GenerationOptions { Temperature = 0, MaxNewTokens = g }, [new Rng(1)]);
        for (int s = 0; s < RaggedPrompts.Length; s++)
        {
            var prompt = RaggedPrompts[s];
            Assert.Equal(g, res[s].Tokens.Length);
            var seq = prompt.Concat(res[s].Tokens).ToArray();
            model.Forward(seq, 1, seq.Length);
            var logits = model.LmHeadForward().ToArray();
            for (int i = 0; i < g; i++)
            {
                var row = logits.AsSpan((prompt.Length - 1 + i) * v, v);
                Assert.Equal(TensorPrimitives.IndexOfMax(row), res[s].Tokens[i]);
                double lse = Math.Log(row.ToArray().Sum(z => Math.Exp(z)));
                Assert.Equal(row[res[s].Tokens[i]] - lse, res[s].LogProbs[i], LogProbTolerance);
            }
        }
    }

    [Theory]
    [InlineData(0f, 0, 1f, -1)]
    [InlineData(1f, 0, 1f, -1)]
    [InlineData(0.8f, 5, 0.95f, -1)]
    [InlineData(1.5f, 0, 1f, 2)]   // EOS 2: some sequences stop early while the others keep decoding
    public void BatchGivesTheSameContinuationsAsEachPromptAlone(float temperature, int topK, float topP, int eos)
    {
        using var model = NewModel(5);
        var o = new GenerationOptions { Temperature = temperature, TopK = topK, TopP = topP, MaxNewTokens = 9, EosIds = eos < 0 ? [] : [eos] };
        var streams = RaggedPrompts.Select((_, s) => new Rng((ulong)(100 + s))).ToArray();
        var batched = Generator.GenerateBatch(model, RaggedPrompts, o, streams);
        for (int s = 0; s < RaggedPrompts.Length; s++)
        {
            var alone = Generator.GenerateBatch(model, [RaggedPrompts[s]], o, [new Rng((ulong)(100 + s))])[0];
            Assert.Equal(alone.Tokens, batched[s].Tokens);
            Assert.Equal(alone.FinishReason, batched[s].FinishReason);
            for (int i = 0; i < alone.LogProbs.Length; i++) Assert.Equal(alone.LogProbs[i], batched[s].LogProbs[i], LogProbTolerance);
        }
        if (eos >= 0)
        {
            // the case is only meaningful when the batch really mixes early-stopped and running sequences
            Assert.Contains(batched, r => r.FinishReason == FinishReason.Stop && r.Tokens.Length < o.MaxNewTokens);
            Assert.Contains(batched, r => r.FinishReason == FinishReason.Length);
        }
    }

    [Fact]
    public void EosIdStopsTheSequenceAndKeepsTheEosToken()
    {
        using var model = NewModel(3);
        var free = Generator.GenerateBatch(model, RaggedPrompts, new GenerationOptions { Temperature = 0, MaxNewTokens = 8 }, [new Rng(0)]);
        int eos = free[1].Tokens[3];
        var stopped = Generator.GenerateBatch(model, RaggedPrompts, new GenerationOptions { Temperature = 0, MaxNewTokens = 8, EosIds = [eos] }, [new Rng(0)]);
        for (int s = 0; s < RaggedPrompts.Length; s++)
        {
            int first = Array.IndexOf(free[s].Tokens, eos);
            if (first < 0)
            {
                Assert.Equal(free[s].Tokens, stopped[s].Tokens);
                Assert.Equal(FinishReason.Length, stopped[s].FinishReason);
            }
            else
            {
                Assert.Equal(free[s].Tokens.Take(first + 1), stopped[s].Tokens);
                Assert.Equal(FinishReason.Stop, stopped[s].FinishReason);
            }
        }
        Assert.Equal(FinishReason.Stop, stopped[1].FinishReason);
        Assert.True(stopped[1].Tokens.Length <= 4);
    }

    [Fact]
    public void StopStringStopsAtTheTokenThatCompletesIt()
    {
        using var model = NewModel(3);
        var o = new GenerationOptions { Temperature = 0, MaxNewTokens = 10 };
        var free = Generator.GenerateBatch(model, RaggedPrompts, o, [new Rng(0)]);
        string stop = Letters(free[2].Tokens[4..6]);   // a two-token stop string
        var stopped = Generator.GenerateBatch(model, RaggedPrompts, o with { StopStrings = [stop], Decode = Letters }, [new Rng(0)]);
        for (int s = 0; s < RaggedPrompts.Length; s++)
        {
            int at = Letters(free[s].Tokens).IndexOf(stop, StringComparison.Ordinal);
            int expectedLength = at < 0 ? free[s].Tokens.Length : at + stop.Length;   // one letter per token
            Assert.Equal(free[s].Tokens.Take(expectedLength), stopped[s].Tokens);
            Assert.Equal(at < 0 ? FinishReason.Length : FinishReason.Stop, stopped[s].FinishReason);
        }
        Assert.Equal(FinishReason.Stop, stopped[2].FinishReason);
    }

    [Fact]
    public void TopKOneEqualsGreedy()
    {
        using var model = NewModel(9);
        var greedy = Generator.GenerateBatch(model, RaggedPrompts, new GenerationOptions { Temperature = 0, MaxNewTokens = 8 }, [new Rng(0)]);
        var top1 = Generator.GenerateBatch(model, RaggedPrompts, new GenerationOptions { Temperature = 1.7f, TopK = 1, MaxNewTokens = 8 }, [new Rng(77)]);
        for (int s = 0; s < RaggedPrompts.Length; s++)
        {
            Assert.Equal(greedy[s].Tokens, top1[s].Tokens);
            Assert.All(top1[s].LogProbs, lp => Assert.Equal(0f, lp));   // the only kept token has probability 1
        }
    }

    [Fact]
    public void TopPEdgeCases()
    {
        float[] logits = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.2f)];
        var scratch = new float[6];
        var order = new int[3];
        // both filters off: exactly the plain sampler
        foreach (double coin in new[] { 0.1, 0.6, 0.9 })
            Assert.Equal(Sampler.Sample(logits, 1f, coin, scratch), Sampler.Sample(logits, 1f, 0, 1f, coin, scratch, order));
        // a tiny P keeps only the most likely token, whatever the coin
        Assert.Equal((0, 0f), Sampler.Sample(logits, 1f, 0, 1e-6f, 0.999, scratch, order));
        // P = 0.75 keeps {0, 1} (0.5 < 0.75 ≤ 0.8): renormalised to [0.625, 0.375]
        var (tok, lp) = Sampler.Sample(logits, 1f, 0, 0.75f, 0.99, scratch, order);
        Assert.Equal(1, tok);
        Assert.Equal(Math.Log(0.3 / 0.8), lp, 1e-5);
        Assert.Equal(0, Sampler.Sample(logits, 1f, 0, 0.75f, 0.6, scratch, order).Token);
        // top-k 2 gives the same kept set
        Assert.Equal(1, Sampler.Sample(logits, 1f, 2, 1f, 0.99, scratch, order).Token);
        // ties: top-k 1 keeps the lower id
        Assert.Equal(0, Sampler.Sample([1f, 1f, 1f], 1f, 1, 1f, 0.99, scratch, order).Token);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampler.Sample(logits, 1f, 0, 0f, 0.5, scratch, order));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampler.Sample(logits, 1f, -1, 1f, 0.5, scratch, order));
    }

    [Fact]
    public void InvalidOptionsAndPromptsAreRejected()
    {
        using var model = NewModel();
        Rng[] rng = [new Rng(0)];
        Assert.Throws<ArgumentOutOfRangeException>(() => Generator.GenerateBatch(model, RaggedPrompts, new GenerationOptions { TopP = 1.5f }, rng));
        Assert.Throws<ArgumentException>(() => Generator.GenerateBatch(model, RaggedPrompts, new GenerationOptions { StopStrings = ["x"] }, rng));
        Assert.Throws<ArgumentException>(() => Generator.GenerateBatch(model, [[1], []], new GenerationOptions(), rng));
        Assert.Throws<ArgumentException>(() => Generator.GenerateBatch(model, [[1, 99]], new GenerationOptions(), rng));
        Assert.Throws<ArgumentException>(() => Generator.GenerateBatch(model, RaggedPrompts, new GenerationOptions(), [new Rng(0), new Rng(1)]));
        Assert.Throws<ArgumentException>(() => Generator.GenerateBatch(model, [[1, 2, 3]], new GenerationOptions { MaxNewTokens = 40 }, rng));
    }
}

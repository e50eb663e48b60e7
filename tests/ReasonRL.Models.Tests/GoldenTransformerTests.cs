// Golden test against PyTorch (docs/conventions.md §7): the fixtures of tools/reference/make_golden_fixtures.py
// (tied and untied Qwen2-shaped models, GQA, q/k/v biases, RoPE; a Qwen3 with per-head q/k norms and
// head_dim ≠ hidden/heads; a Llama with rope_scaling llama3; a SmolLM3 with a NoPE layer) — logits, loss, every parameter gradient
// and the losses of 10 AdamW steps — compared tensor by tensor with a printed table; and KV-cache
// decode (batch-1 and batched) against PyTorch's full-forward logits at every position.
using ReasonRL.Models;
using ReasonRL.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace ReasonRL.Models.Tests;

public sealed class GoldenTransformerTests(ITestOutputHelper output)
{
    // Both sides compute in float32 with different summation orders (PyTorch's MKL/OpenBLAS kernels vs
    // ours): on O(1) activations over ≤ 96-term reductions and 2 layers, round-off is ~1e-6.
    /// <summary>Logits and loss: 2e-5 absolute + 1e-4 relative (≈ 20× the observed float round-off).</summary>
    private static readonly Tolerance Forward = new("float32-vs-pytorch-forward", 2e-5, 1e-4);

    /// <summary>Gradients: magnitudes ~1e-3..1e-1 (loss is a mean over 24 tokens); 1e-5 absolute + 1e-3 relative.</summary>
    private static readonly Tolerance Gradient = new("float32-vs-pytorch-grad", 1e-5, 1e-3);

    /// <summary>AdamW losses after up to 9 steps of lr 1e-3: observed ≤ 5e-7 (float round-off of the loss itself);
    /// Adam's m/√v can turn round-off in near-zero gradients into ±lr steps, so allow 1e-5 absolute.</summary>
    private static readonly Tolerance AdamWLoss = new("adamw-10-steps", 1e-5, 0);

    /// <summary>RoPE inverse frequencies: both sides compute them in float32 from the same formula;
    /// ≤ 1 ulp apart (pow in double vs float), so 1e-6 relative.</summary>
    private static readonly Tolerance RopeFrequencies = new("rope-inv-freq-float32", 0, 1e-6);

    /// <summary>Decode vs PyTorch's full forward: the forward tolerance (different summation order only).</summary>
    [Theory]
    [InlineData("tied", 1)]
    [InlineData("qwen3", 1)]
    [InlineData("qwen3", 2)]
    [InlineData("llama3", 1)]
    [InlineData("llama3", 2)]
    [InlineData("smollm3", 1)]
    [InlineData("smollm3", 2)]
    public void KvCacheDecodeMatchesPyTorchFullForward(string name, int cacheBatch)
    {
        // cacheBatch 1: each sequence alone (ForwardLayer + IGemm); 2: both sequences in one cache (sliced, packed path)
        var fx = GoldenFixture.Load(name);
        var cfg = fx.Config;
        using var model = new Transformer(cfg, new ManagedGemm());
        model.LoadParameters(fx.Weights.Floats);
        int b = fx.Batch, t = fx.SeqLen, v = cfg.VocabSize, prompt = 3;
        var cmp = new TensorComparison();
        for (int first = 0; first < b; first += cacheBatch)
        {
            using var cache = new KvCache(cfg, cacheBatch, t);
            var ids = new int[cacheBatch * prompt];
            for (int s = 0; s < cacheBatch; s++) fx.InputIds.AsSpan((first + s) * t, prompt).CopyTo(ids.AsSpan(s * prompt));
            var logits = model.ForwardCached(ids, prompt, cache);
            for (int pos = prompt - 1; pos < t; pos++)
            {
                if (pos >= prompt)
                {
                    var step = Enumerable.Range(first, cacheBatch).Select(s => fx.InputIds[s * t + pos]).ToArray();
                    logits = model.ForwardCached(step, 1, cache);
                }
                var expected = new float[cacheBatch * v];
                for (int s = 0; s < cacheBatch; s++) fx.Logits.AsSpan(((first + s) * t + pos) * v, v).CopyTo(expected.AsSpan(s * v));
                cmp.Add($"seq {first}..{first + cacheBatch - 1} pos {pos}", expected, logits, Forward);
            }
        }
        output.WriteLine(cmp.Render());
        ModelTestUtil.AssertAllOk(cmp, $"decode vs PyTorch full forward ({name}, cache batch {cacheBatch}); regenerate fixtures with: {fx.RegenerateCommand}");
    }

    [Theory]
    [InlineData("tied", GemmKind.Managed)]
    [InlineData("untied", GemmKind.Managed)]
    [InlineData("untied", GemmKind.Reference)]
    [InlineData("qwen3", GemmKind.Managed)]
    [InlineData("qwen3", GemmKind.Reference)]
    [InlineData("llama3", GemmKind.Managed)]
    [InlineData("llama3", GemmKind.Reference)]
    [InlineData("smollm3", GemmKind.Managed)]
    public void MatchesPyTorch(string name, GemmKind gemm)
    {
        var fx = GoldenFixture.Load(name);
        var cfg = fx.Config;
        using var model = new Transformer(cfg, GemmFactory.Create(gemm));
        var cmp = new TensorComparison();
        if (fx.RopeInvFreq is { } invFreq) cmp.Add("rope_inv_freq", invFreq, cfg.RopeInverseFrequencies(), RopeFrequencies);
        model.LoadParameters(fx.Weights.Floats);
        int b = fx.Batch, t = fx.SeqLen;

        model.ZeroGradients();
        float loss = model.ForwardLoss(fx.InputIds, fx.Targets, b, t);
        var logits = model.Activations.Saved.View(model.Activations.Logits).ToArray();
        model.BackwardLoss(fx.Targets);

        cmp.Add("logits", fx.Logits, logits, Forward);
        cmp.Add("loss", [fx.Loss], [loss], Forward);
        foreach (var e in model.Layout.Slab.Entries)
            cmp.Add("grad." + e.Name, fx.Gradients[e.Name], model.Gradients!.View(e), Gradient);
        Assert.Equal(fx.ParameterNames.Count, model.Layout.Slab.Entries.Count);

        var a = fx.AdamW;
        using var opt = new AdamWOptimizer(model.Layout.Slab, new AdamWOptions
        {
            LearningRate = (float)a.LearningRate, Beta1 = (float)a.Beta1, Beta2 = (float)a.Beta2, Eps = (float)a.Eps, WeightDecay = (float)a.WeightDecay,
        });
        var losses = new float[a.Steps];
        for (int k = 0; k < a.Steps; k++)
        {
            model.ZeroGradients();
            losses[k] = model.ForwardLoss(fx.InputIds, fx.Targets, b, t);
            model.BackwardLoss(fx.Targets);
            opt.Update(model.Parameters, model.Gradients!);   // no clipping: the fixture has none
        }
        cmp.Add("adamw_losses", fx.AdamWLosses, losses, AdamWLoss);
        output.WriteLine(cmp.Render());
        ModelTestUtil.AssertAllOk(cmp, $"golden {name} (gemm {gemm}); regenerate fixtures with: {fx.RegenerateCommand}");
    }
}
